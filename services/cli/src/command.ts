// The shape every subcommand has, and the shared flag parsing. A command module exports one
// `Command`; `main.ts` only dispatches. Commands never call process.exit themselves.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.ts';

export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Runs with the arguments after the subcommand name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/**
 * A subcommand as the dispatcher lists it: name and summary for the top-level help, and the
 * module loaded only when that subcommand runs, so `--help` and `detect` never pay for Kafka,
 * the HTML report or the simulator.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly; unknown flags and missing values become a UserError naming them. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!);
  }
}

/** The options of flags that each take one string value, for `parseFlags`. */
export function stringFlags<K extends string>(...names: K[]): Record<K, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<K, { type: 'string' }>;
}

/** A required string flag: throws a UserError naming it when absent. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UserError(`missing required flag --${flag}`);
  return value;
}

/** True when argv asks for help. */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
