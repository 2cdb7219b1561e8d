// The parts of `distillwatch produce` that need no broker: line splitting, flags and help.
// What lands on the topics is checked against the real broker in produce.int.test.ts.
import { describe, expect, it } from 'vitest';
import { LineSplitter, produce } from '../src/commands/produce.ts';
import { UserError } from '../src/errors.ts';

function split(chunks: string[]): string[] {
  const splitter = new LineSplitter();
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

describe('produce line splitting', () => {
  it('splits on LF and CRLF, keeping blank lines so line numbers match the file', () => {
    expect(split(['{"a":1}\n\r\n{"b":2}\r\n', '\n'])).toEqual(['{"a":1}', '', '{"b":2}', '']);
  });

  it('joins a line cut across chunks, including a CRLF cut between its CR and LF', () => {
    expect(split(['{"event', '_id":"e-1"}\r', '\n{"x"', ':1}\n'])).toEqual(['{"event_id":"e-1"}', '{"x":1}']);
  });

  it('keeps a last line without a newline, and adds no line after a final newline', () => {
    expect(split(['one\ntwo'])).toEqual(['one', 'two']);
    expect(split(['one\ntwo\n'])).toEqual(['one', 'two']);
    expect(split([])).toEqual([]);
  });
});

describe('produce flags', () => {
  it('documents every flag and connection variable in --help', () => {
    for (const word of ['--input', '--topic', '.ndjson.gz', 'stdin', 'usage-events.dlq', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DISTILLWATCH_TOPIC_PREFIX']) {
      expect(produce.help).toContain(word);
    }
  });

  it('refuses to run without --input, and names a missing input file, before touching Kafka', async () => {
    await expect(produce.run([])).rejects.toThrow(new UserError('missing required flag --input'));
    await expect(produce.run(['--input', 'no/such/file.ndjson'])).rejects.toThrow("cannot read input 'no/such/file.ndjson': no such file");
  });
});
