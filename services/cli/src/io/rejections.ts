// Reports rejected input lines on stderr as `FILE:LINE: field 'x': reason`, one line each up to a
// cap (a file full of bad lines must not flood the terminal), then a count of the rest and where
// all of them are (the dead-letter file or topic).
import type { Rejection } from '@distillwatch/core';

export class RejectionReporter {
  private readonly source: string;
  private readonly deadLetters: string;
  private readonly cap: number;
  private shown = 0;
  private hidden = 0;

  constructor(source: string, deadLetters: string, cap = 20) {
    this.source = source === '-' ? '<stdin>' : source;
    this.deadLetters = deadLetters;
    this.cap = cap;
  }

  report(r: Rejection): void {
    if (this.shown >= this.cap) { this.hidden++; return; }
    this.shown++;
    process.stderr.write(`${this.source}:${r.line}: ${r.field ? `field '${r.field}': ` : ''}${r.reason}\n`);
  }

  /** Prints how many were not shown, if any. */
  finish(): void {
    if (this.hidden > 0) process.stderr.write(`${this.source}: ... ${this.hidden} more rejected lines not shown (all are in ${this.deadLetters})\n`);
  }
}
