// A buffered NDJSON writer to a file or standard output (`-`), honouring backpressure, and
// failing with a UserError that names the path when it cannot be written.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UserError } from '../errors.ts';

export class LineWriter {
  readonly path: string;
  private readonly stream: Writable;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private failure: Error | null = null;

  private constructor(path: string, stream: Writable) {
    this.path = path;
    this.stream = stream;
    stream.on('error', (err) => { this.failure = err; });
  }

  static async open(path: string): Promise<LineWriter> {
    if (path === '-') return new LineWriter(path, process.stdout);
    const stream: WriteStream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (err) {
      throw new UserError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return new LineWriter(path, stream);
  }

  /** Queues one line (a newline is added). Await `drain()` now and then to bound memory. */
  write(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
  }

  /** Writes what is queued once it is large, waiting for the stream when it pushes back. */
  async drain(force = false): Promise<void> {
    if (this.failure) throw new UserError(`${this.path}: ${this.failure.message}`);
    if (this.buffer.length === 0 || (!force && this.bufferedChars < 1 << 16)) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.bufferedChars = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.drain(true);
    if (this.stream === process.stdout) return;
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw new UserError(`${this.path}: ${this.failure.message}`);
  }
}
