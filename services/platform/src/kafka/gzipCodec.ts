// The gzip codec of record batches: kafkajs's own compresses at zlib's default level (6); this
// one at level 1. The services gzip every changelog write (an aggregator commit rewrites each
// account it touched, the scorer its state), and in a CPU profile of `run all` under a steady
// load kafkajs's gzip compression was about 5 % of the busy time. Level 1 spends about half that
// CPU for batches about a third larger (BENCHMARKS.md, "Streaming, fifth pass"); any gzip reader
// decompresses it. It must never change what a record holds, only how its batch is compressed.
import { promisify } from 'node:util';
import { constants, gzip, unzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);

/** kafkajs's codec interface: compress gets the batch's encoder, decompress its bytes. */
export const FAST_GZIP_CODEC = {
  compress: (encoder: { buffer: Buffer }): Promise<Buffer> => gzipAsync(encoder.buffer, { level: constants.Z_BEST_SPEED }),
  decompress: (buffer: Buffer): Promise<Buffer> => unzipAsync(buffer),
};
