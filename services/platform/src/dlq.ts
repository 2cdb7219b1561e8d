// Dead-letter records of the topic `usage-events.dlq`: every input that distillwatch could not
// use, with the reason, so nothing bad is silently dropped. The value is one JSON object
// (UTF-8, not Avro, so any consumer or `kafka-console-consumer` reads it):
//   {"line": N | null, "reason": "...", "field": "..." (when one is at fault),
//    "raw": "at most 1,000 characters of the input", "source": "produce" | <service>,
//    "partition": P, "offset": O (services only: where the bad record sits in its topic)}
// `produce` fills `line` (1-based, blank lines counted) and leaves partition/offset out; the
// services set `line` to null and give the source partition and offset. This module only
// shapes and sends dead letters; it never decides what is bad (the core parser does).
import { cutRaw } from '@distillwatch/core';
import { prefixed, type PlatformConfig } from './config.ts';
import type { Message, Producer } from './kafka/index.ts';

// The one cut of `raw` (core/events/raw.ts), shared with the core's parser.
export { cutRaw };

/** Who found the bad input: the `produce` command, or the service that consumed it. */
export type DeadLetterSource = 'produce' | 'aggregator' | 'scorer' | 'notifier' | 'bridge' | 'forum';

export interface DeadLetter {
  /** 1-based line of the input file (`produce`); null for records read from a topic. */
  line: number | null;
  /** Short stable reason, e.g. `invalid JSON`, `missing field`, `late`. */
  reason: string;
  /** The field at fault, when one is. */
  field?: string;
  /** At most RAW_LIMIT (1,000) characters of the offending line or record. */
  raw: string;
  source: DeadLetterSource;
  /** Source partition of a record read from a topic. */
  partition?: number;
  /** Source offset of a record read from a topic. */
  offset?: number;
}

/** The dead-letter topic of the usage stream, under the configured prefix. */
export function deadLetterTopic(config: Pick<PlatformConfig, 'topicPrefix'>): string {
  return prefixed(config, 'usage-events.dlq');
}

/**
 * `raw` for a record whose value is not text (e.g. undecodable Avro): its bytes in base64,
 * cut to the raw limit.
 */
export function rawFromBytes(value: Buffer | null): string {
  return value === null ? '' : cutRaw(value.toString('base64'));
}

/** The JSON value of a dead letter, fields in the documented order, absent ones left out. */
export function encodeDeadLetter(letter: DeadLetter): Buffer {
  const value: Record<string, unknown> = { line: letter.line, reason: letter.reason };
  if (letter.field !== undefined) value.field = letter.field;
  value.raw = cutRaw(letter.raw);
  value.source = letter.source;
  if (letter.partition !== undefined) value.partition = letter.partition;
  if (letter.offset !== undefined) value.offset = letter.offset;
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * The Kafka message of a dead letter. `key` is the source record's key when there is one (so
 * an account's dead letters stay in order), null for lines of a file.
 */
export function deadLetterMessage(letter: DeadLetter, key: Buffer | string | null = null): Message {
  return { key, value: encodeDeadLetter(letter) };
}

/** Sends dead letters to the dead-letter topic and waits for the broker to acknowledge them. */
export async function sendDeadLetters(
  producer: Producer,
  config: Pick<PlatformConfig, 'topicPrefix'>,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({ topic: deadLetterTopic(config), messages: letters.map((l) => deadLetterMessage(l)) });
}
