// The gzip codec every Kafka client of the process compresses record batches with: what it
// writes is plain gzip (any reader decompresses it), what it reads back is the batch, and the
// client port installs it in kafkajs's codec table.
import { gunzipSync, gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { FAST_GZIP_CODEC } from '../src/kafka/gzipCodec.ts';
import '../src/kafka/client.ts';

const batch = Buffer.from(Array.from({ length: 2000 }, (_, i) => JSON.stringify({ account: `acct-${i % 37}`, requests: i, window_end: 1_700_000_000_000 + i })).join('\n'), 'utf8');

describe('the gzip codec of record batches', () => {
  it('writes gzip that any reader decompresses to the same bytes', async () => {
    const compressed = await FAST_GZIP_CODEC.compress({ buffer: batch });
    expect(compressed.length).toBeLessThan(batch.length / 4);
    expect(gunzipSync(compressed).equals(batch)).toBe(true);
  });

  it('reads gzip written at any level, as batches of other producers are', async () => {
    expect((await FAST_GZIP_CODEC.decompress(gzipSync(batch, { level: 9 }))).equals(batch)).toBe(true);
  });

  it('is the codec kafkajs compresses gzip batches with once the client port is loaded', () => {
    expect(kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP]()).toBe(FAST_GZIP_CODEC);
  });
});
