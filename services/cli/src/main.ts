#!/usr/bin/env node
// Entry point of `pnpm distillwatch <subcommand>`: dispatches to one module per subcommand,
// loading only the module that runs. User errors (a UserError, or the ConfigError of a variable
// of the environment or a key of the detector's config) print one line naming the problem
// and exit 2, never a stack trace; anything else is an internal error and exits 1.
import { wantsHelp, type Command, type CommandEntry } from './command.ts';
import { UserError, userErrorMessage } from './errors.ts';
import { commands } from './commands/index.ts';
import { silenceTimeoutNegativeWarning } from './warnings.ts';
import { enableCompileCache } from 'node:module';

silenceTimeoutNegativeWarning();
// Stripping the types of a command's modules and compiling them cost `run all` about half of its
// 1.1 s of CPU at start; Node's compile cache (under the OS's temp folder) keeps both for the
// next start. The subcommand modules are loaded below, after this.
enableCompileCache();

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  return [
    'usage: distillwatch <subcommand> [flags]',
    '',
    'Detects adversarial distillation in API usage streams.',
    '',
    'subcommands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `distillwatch <subcommand> --help` for its flags.',
  ].join('\n');
}

function find(name: string): CommandEntry {
  const entry = commands.find((c) => c.name === name);
  if (!entry) throw new UserError(`unknown subcommand '${name}' (known: ${commands.map((c) => c.name).join(', ')})`);
  return entry;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UserError(`missing subcommand (known: ${commands.map((c) => c.name).join(', ')}; see distillwatch --help)`);
  if (name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (name === 'help') {
    if (rest[0] === undefined) { process.stdout.write(usage() + '\n'); return 0; }
    return printHelp(await find(rest[0]).load());
  }
  const command = await find(name).load();
  if (wantsHelp(rest)) return printHelp(command);
  return command.run(rest);
}

function printHelp(command: Command): number {
  process.stdout.write(command.help.trimEnd() + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  async (err: unknown) => {
    const message = await userErrorMessage(err).catch(() => null);
    if (message !== null) {
      process.stderr.write(`distillwatch: ${message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`distillwatch: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
