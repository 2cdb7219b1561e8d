// The subcommands, in the order `distillwatch --help` lists them.
import type { Command } from '../command.ts';
import { detect } from './detect.ts';
import { infra } from './infra.ts';
import { produce } from './produce.ts';
import { simulate } from './simulate.ts';
import { evaluate } from './evaluate.ts';

export const commands: Command[] = [detect, simulate, evaluate, produce, infra];
