// CPU time of this thread, for the scorer's per-window log lines: on a shared, loaded machine
// wall time says more about the neighbours than about the scorer. Never used to decide anything.

/** Milliseconds of CPU (user + system) this thread has used. */
export function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}
