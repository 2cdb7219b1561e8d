// Structured logs: one JSON object per line on stderr ({"time", "level", "msg", ...fields}), so
// a log shipper can index them and stdout stays free for command output. It never throws and
// never logs record contents beyond what an operator needs (no prompt text).
import type { LogLevel } from './settings.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export class Logger {
  readonly level: LogLevel;
  readonly #base: LogFields;
  readonly #write: (line: string) => void;

  constructor(level: LogLevel, base: LogFields = {}, write: (line: string) => void = (l) => process.stderr.write(l)) {
    this.level = level;
    this.#base = base;
    this.#write = write;
  }

  /** A logger adding `fields` to every line (e.g. the service name). */
  child(fields: LogFields): Logger {
    return new Logger(this.level, { ...this.#base, ...fields }, this.#write);
  }

  debug(msg: string, fields?: LogFields): void { this.#log('debug', msg, fields); }
  info(msg: string, fields?: LogFields): void { this.#log('info', msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.#log('warn', msg, fields); }
  error(msg: string, fields?: LogFields): void { this.#log('error', msg, fields); }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[level] < RANK[this.level]) return;
    try {
      this.#write(`${JSON.stringify({ time: new Date().toISOString(), level, ...this.#base, msg, ...fields }, errorReplacer)}\n`);
    } catch {
      // A log line that cannot be written must not take the service down.
    }
  }
}

/** Errors serialise as their name, message and kafkajs's `type`/`retriable`, not as `{}`. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const e = value as Error & { type?: unknown; retriable?: unknown };
    return { name: e.name, message: e.message, ...(e.type === undefined ? {} : { type: e.type }), ...(e.retriable === undefined ? {} : { retriable: e.retriable }) };
  }
  return value;
}
