// Avro records on the wire, in the Confluent wire format every Confluent client reads:
//   byte 0: magic byte 0 | bytes 1-4: schema id, big-endian | rest: Avro binary body.
// An AvroCodec is bound to one topic: it registers the topic's value schema (registry.ts)
// once, encodes with it, and decodes any record of the topic with the schema the record was
// *written* with, fetched by the id in its header and resolved to the current schema, so
// records written under older schema versions still decode. It never guesses a schema from a
// value and never swallows a bad record: those become typed errors a caller can branch on.
import { readFile } from 'node:fs/promises';
import avro from 'avsc';
import type { Client } from '@confluentinc/schemaregistry';
import { registerValueSchema, SchemaRegistryError, writerSchemaById } from './registry.ts';

export const MAGIC_BYTE = 0;
/** Magic byte + 4-byte schema id. */
export const WIRE_HEADER_BYTES = 5;

/** A record's bytes cannot be decoded (not Confluent framing, unknown schema, corrupt body). */
export class UndecodableRecordError extends Error {
  override readonly name = 'UndecodableRecordError';
  /** Retrying cannot help: the bytes are what they are. Dead-letter the record. */
  readonly retriable = false;
}

/** A value does not fit the schema it is encoded with; `field` is the dotted path at fault. */
export class RecordEncodingError extends Error {
  override readonly name = 'RecordEncodingError';
  readonly retriable = false;
  readonly field: string | undefined;

  constructor(message: string, field: string | undefined) {
    super(message);
    this.field = field;
  }
}

/** Prefixes an Avro body with the Confluent header for `schemaId`. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(WIRE_HEADER_BYTES);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body], WIRE_HEADER_BYTES + body.length);
}

/** Splits a Confluent-framed payload into its schema id and Avro body. */
export function unframe(payload: Buffer): { schemaId: number; body: Buffer } {
  if (payload.length < WIRE_HEADER_BYTES) {
    throw new UndecodableRecordError(`record of ${payload.length} bytes is shorter than the ${WIRE_HEADER_BYTES}-byte Confluent header`);
  }
  const magic = payload.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new UndecodableRecordError(`record starts with byte ${magic}, not the Confluent magic byte ${MAGIC_BYTE}`);
  }
  return { schemaId: payload.readUInt32BE(1), body: payload.subarray(WIRE_HEADER_BYTES) };
}

/** The text of a schema file in the repository's schemas/ folder, e.g. 'usage-event.avsc'. */
export async function readSchemaFile(file: string): Promise<string> {
  return readFile(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8');
}

/** Encodes and decodes the values of one topic. Create with `AvroCodec.forTopic`. */
export class AvroCodec<T> {
  readonly topic: string;
  /** Id of the schema this codec writes with (the registered version of the local file). */
  readonly schemaId: number;
  readonly #registry: Client;
  readonly #type: avro.Type;
  /** Per writer-schema id: how to read its bodies as the current schema. */
  readonly #readers = new Map<number, (body: Buffer) => T>();

  private constructor(registry: Client, topic: string, schemaId: number, type: avro.Type) {
    this.#registry = registry;
    this.topic = topic;
    this.schemaId = schemaId;
    this.#type = type;
    this.#readers.set(schemaId, (body) => type.fromBuffer(body) as T);
  }

  /** Registers `schema` (Avro JSON text) for `topic`'s values and returns a codec writing with it. */
  static async forTopic<T>(registry: Client, topic: string, schema: string): Promise<AvroCodec<T>> {
    const type = avro.Type.forSchema(JSON.parse(schema) as avro.Schema);
    const schemaId = await registerValueSchema(registry, topic, schema);
    return new AvroCodec<T>(registry, topic, schemaId, type);
  }

  /** Confluent-framed Avro bytes of `value`; a RecordEncodingError names the field that does not fit. */
  encode(value: T): Buffer {
    let body: Buffer;
    try {
      body = this.#type.toBuffer(value);
    } catch (err) {
      throw this.#encodingError(value, err);
    }
    return frame(this.schemaId, body);
  }

  /**
   * The value of a framed record, read with the schema it was written with and resolved to this
   * codec's schema. Throws UndecodableRecordError for bytes no schema can read, and
   * SchemaRegistryError (check `retriable`) when the writer schema cannot be fetched.
   */
  async decode(payload: Buffer): Promise<T> {
    const { schemaId, body } = unframe(payload);
    const read = this.#readers.get(schemaId) ?? (await this.#readerFor(schemaId));
    try {
      return read(body);
    } catch (err) {
      throw new UndecodableRecordError(`record body does not match schema id ${schemaId}: ${(err as Error).message}`);
    }
  }

  async #readerFor(schemaId: number): Promise<(body: Buffer) => T> {
    let writerText: string;
    try {
      writerText = await writerSchemaById(this.#registry, this.topic, schemaId);
    } catch (err) {
      if (err instanceof SchemaRegistryError && err.status === 404) {
        throw new UndecodableRecordError(`record names schema id ${schemaId}, which the registry does not know`);
      }
      throw err;
    }
    const writer = avro.Type.forSchema(JSON.parse(writerText) as avro.Schema);
    let read: (body: Buffer) => T;
    if (writer.equals(this.#type)) {
      read = (body) => this.#type.fromBuffer(body) as T;
    } else {
      let resolver: avro.Resolver;
      try {
        resolver = this.#type.createResolver(writer);
      } catch (err) {
        throw new UndecodableRecordError(`schema id ${schemaId} cannot be read as the current schema: ${(err as Error).message}`);
      }
      read = (body) => this.#type.fromBuffer(body, resolver) as T;
    }
    this.#readers.set(schemaId, read);
    return read;
  }

  #encodingError(value: T, cause: unknown): RecordEncodingError {
    let field: string | undefined;
    this.#type.isValid(value, {
      errorHook: (path) => { field ??= path.join('.') || undefined; },
    });
    const name = this.#type.name ?? 'record';
    return field === undefined
      ? new RecordEncodingError(`value does not fit ${name}: ${(cause as Error).message}`, undefined)
      : new RecordEncodingError(`field '${field}' does not fit ${name}`, field);
  }
}
