// The schema registry as distillwatch uses it: register a topic's value schema under its
// TopicNameStrategy subject with BACKWARD compatibility, and fetch writer schemas by id.
// It talks the Confluent REST API through @confluentinc/schemaregistry's client, so the same
// code runs against Apicurio's ccompat API (local) and Confluent's registry (Docker hosts).
// It never encodes records (avro.ts does) and never hides a registry failure: every failure
// becomes a SchemaRegistryError that says whether retrying can help.
// The client's own modules, not the package root: the root also loads every serde and the AWS,
// Azure and GCP KMS drivers, which cost a service 1.2 s of CPU at every start (measured with
// process.cpuUsage around the import: 1,613 ms against 369 ms).
import { Compatibility, SchemaRegistryClient, type Client } from '@confluentinc/schemaregistry/dist/schemaregistry-client.js';
import { RestError } from '@confluentinc/schemaregistry/dist/rest-error.js';
import type { PlatformConfig } from './config.ts';

/** A registry request failed. `retriable` is true when the same request may succeed later. */
export class SchemaRegistryError extends Error {
  override readonly name = 'SchemaRegistryError';
  readonly retriable: boolean;
  /** HTTP status, when the registry answered at all. */
  readonly status: number | undefined;

  constructor(message: string, options: { retriable: boolean; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable;
    this.status = options.status;
  }
}

/** The Confluent TopicNameStrategy subject of a topic's values (the topic already prefixed). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

export interface RegistryRetry {
  maxRetries: number;
  retriesWaitMs: number;
  retriesMaxWaitMs: number;
}

/** A command gives up soon and says so; the services wait out a registry restart (their own retry). */
const COMMAND_RETRY: RegistryRetry = { maxRetries: 2, retriesWaitMs: 200, retriesMaxWaitMs: 2_000 };

/**
 * A registry client from the connection config: its Confluent-compatible API base URL (e.g.
 * .../apis/ccompat/v7) and basic auth when SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO is set.
 */
export function createRegistryClient(config: Pick<PlatformConfig, 'schemaRegistryUrl' | 'registrySecurity'>, retry: RegistryRetry = COMMAND_RETRY): Client {
  const userInfo = config.registrySecurity.basicAuthUserInfo;
  return new SchemaRegistryClient({
    baseURLs: [config.schemaRegistryUrl],
    ...(userInfo ? { basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo } } : {}),
    ...retry,
  });
}

/** Runs one registry call, turning whatever it throws into a SchemaRegistryError. */
async function call<T>(registryUrl: string, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw toRegistryError(registryUrl, what, err);
  }
}

function toRegistryError(registryUrl: string, what: string, err: unknown): SchemaRegistryError {
  if (err instanceof SchemaRegistryError) return err;
  if (err instanceof RestError) {
    // 408/429/5xx are the registry being busy or restarting; 4xx are our request being wrong.
    const retriable = err.status === 408 || err.status === 429 || err.status >= 500;
    return new SchemaRegistryError(`schema registry at ${registryUrl}: ${what} failed (HTTP ${err.status}): ${err.message}`, {
      retriable, status: err.status, cause: err,
    });
  }
  const code = (err as { code?: unknown }).code;
  const detail = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return new SchemaRegistryError(`schema registry at ${registryUrl} is unreachable (${detail}) while trying to ${what}`, {
    retriable: true, cause: err,
  });
}

/**
 * Registers an Avro value schema for `topic` (idempotent: the registry answers an identical
 * schema with its existing id) and sets the subject's compatibility to BACKWARD, so every later
 * version must read what earlier versions wrote. Returns the schema id.
 */
export async function registerValueSchema(client: Client, topic: string, schema: string): Promise<number> {
  const subject = valueSubject(topic);
  const url = client.config().baseURLs[0] ?? '(no URL)';
  // Registered first: Apicurio refuses a subject config before the subject exists.
  const id = await call(url, `register subject '${subject}'`, () => client.register(subject, { schemaType: 'AVRO', schema }, false));
  await setBackward(client, url, subject);
  return id;
}

/**
 * Sets the subject's compatibility to BACKWARD. Apicurio answers 409 ("rule already exists") to
 * the loser when two processes create the rule at the same moment; the rule then exists, and
 * setting it once more updates it.
 */
async function setBackward(client: Client, url: string, subject: string): Promise<void> {
  const set = () => call(url, `set BACKWARD compatibility on '${subject}'`, () => client.updateConfig(subject, { compatibility: Compatibility.BACKWARD }));
  try {
    await set();
  } catch (err) {
    if (!(err instanceof SchemaRegistryError) || err.status !== 409) throw err;
    await set();
  }
}

/** The schema text a record was written with, by its id (the client caches it). */
export async function writerSchemaById(client: Client, topic: string, id: number): Promise<string> {
  const url = client.config().baseURLs[0] ?? '(no URL)';
  const info = await call(url, `fetch schema id ${id}`, () => client.getBySubjectAndId(valueSubject(topic), id));
  return info.schema;
}
