// The subcommands, in the order `distillwatch --help` lists them.
import type { Command } from '../command.ts';

export const commands: Command[] = [];
