// The files every `detect` run shares, plain or federated: the usage input (parsed on
// `--threads` workers, in file order), the alerts output, and the dead-letter file. It feeds each
// line to the caller's detector, writes the dead letter the detector returns, reports rejected
// lines on stderr and prints progress. It never judges a line itself: what is rejected, late or
// a duplicate is the core's to decide, so both commands dead-letter the same lines the same way.
import type { ParseResult, Rejection } from '@distillwatch/core';
import { openInput } from './ndjsonLines.ts';
import { parsedBatches } from './parsePool.ts';
import { LineWriter } from './output.ts';
import { Progress } from './progress.ts';
import { RejectionReporter } from './rejections.ts';

/** What the caller's detector made of one line: its dead-letter record, if it has one. */
export type LineHandler = (parsed: ParseResult, line: number, text: () => string) => Rejection | null;

export interface DetectPaths {
  input: string;
  output: string;
  /** `--dlq`; default: the output path + `.dlq.ndjson`, or `detect.dlq.ndjson` for stdout. */
  dlq: string | undefined;
}

export class DetectFiles {
  readonly out: LineWriter;
  readonly progress = new Progress();
  private readonly input: Awaited<ReturnType<typeof openInput>>;
  private readonly inputPath: string;
  private readonly dlq: LineWriter;
  private readonly rejections: RejectionReporter;

  private constructor(paths: DetectPaths, input: Awaited<ReturnType<typeof openInput>>, out: LineWriter, dlq: LineWriter) {
    this.inputPath = paths.input;
    this.input = input;
    this.out = out;
    this.dlq = dlq;
    this.rejections = new RejectionReporter(paths.input, dlq.path);
  }

  /** Opens the input, then the output, then the dead-letter file (a problem names the first at fault). */
  static async open(paths: DetectPaths): Promise<DetectFiles> {
    const dlqPath = paths.dlq ?? (paths.output === '-' ? 'detect.dlq.ndjson' : `${paths.output}.dlq.ndjson`);
    const input = await openInput(paths.input);
    const out = await LineWriter.open(paths.output);
    const dlq = await LineWriter.open(dlqPath);
    return new DetectFiles(paths, input, out, dlq);
  }

  /**
   * Hands every line to `handle`, in file order; after each batch, waits for the outputs
   * (`drain`: the caller's own too) and shows `status` as progress. Late events are
   * dead-lettered and counted in the caller's summary, not listed one by one: they are not
   * malformed lines.
   */
  async feed(threads: number, handle: LineHandler, drain: () => Promise<void>, status: (seconds: number) => string): Promise<void> {
    for await (const batch of parsedBatches(this.input.stream, this.inputPath, threads)) {
      for (let i = 0; i < batch.size; i++) {
        const rejection = handle(batch.parsed(i), batch.firstLine + i, () => batch.text(i));
        if (!rejection) continue;
        if (rejection.reason !== 'late') this.rejections.report(rejection);
        this.dlq.write(JSON.stringify(rejection));
      }
      await this.out.drain();
      await this.dlq.drain();
      await drain();
      this.progress.tick(status);
    }
  }

  /** Closes the output and the dead-letter file, and ends what was shown on stderr. */
  async close(): Promise<void> {
    await this.out.close();
    await this.dlq.close();
    this.rejections.finish();
    this.progress.done();
  }
}
