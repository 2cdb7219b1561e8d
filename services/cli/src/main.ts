#!/usr/bin/env node
// Entry point of `pnpm distillwatch <subcommand>`: dispatches to one module per subcommand.
// User errors print one line naming the problem and exit 2; internal errors exit 1.
import type { Command } from './command.ts';
import { wantsHelp } from './command.ts';
import { UserError } from './errors.ts';

import { commands } from "./commands/index.ts";

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

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UserError(`unknown subcommand '${name}' (see distillwatch --help)`);
  if (wantsHelp(rest)) {
    process.stdout.write(command.help.trimEnd() + '\n');
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(`distillwatch: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`distillwatch: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
