// Process warnings the CLI drops on purpose, by type and nothing else.
//
// kafkajs arms timers with negative delays, which Node 24 reports as a TimeoutNegativeWarning
// on every Kafka-using command (Node then waits 1 ms, which is what kafkajs means). The noise
// would bury real warnings on stderr, so that one type is dropped; every other warning prints
// as usual.

/** Drops TimeoutNegativeWarning from this process; call once, before anything arms a timer. */
export function silenceTimeoutNegativeWarning(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning' || (warning instanceof Error && warning.name === 'TimeoutNegativeWarning')) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
}
