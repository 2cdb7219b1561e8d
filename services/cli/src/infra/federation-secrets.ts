// The federation's secrets: every principal's SCRAM password on every cluster, the forum key the
// labs share for identity tokens, and one env file per principal and cluster that points the
// project's commands there. It must never print a secret, never write one to a file others can
// read (mode 0600), and never change a password once a cluster was formatted with it.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { envFileName, labPrefix, type ClusterLayout, type ClusterName, type FederationLayout, type LabName } from './federation-layout.ts';

/** cluster → principal → password. */
export type Credentials = Record<string, Record<string, string>>;

/** Reads the credentials, making them (random, 32 hex characters each) on the first set-up. */
export function ensureCredentials(layout: FederationLayout): Credentials {
  if (existsSync(layout.credentialsFile)) return readCredentials(layout);
  const formatted = layout.clusters.filter((c) => existsSync(join(c.dataDir, 'meta.properties')));
  if (formatted.length > 0) {
    // The SCRAM credentials live in the clusters' metadata; new passwords would lock everyone out.
    throw new UserError(`${layout.credentialsFile} is missing but ${formatted.map((c) => c.name).join(', ')} already hold data: delete ${layout.dir} for a clean slate`);
  }
  const credentials: Credentials = Object.fromEntries(layout.clusters.map((c) => [
    c.name, Object.fromEntries(c.principals.map((p) => [p, randomBytes(16).toString('hex')])),
  ]));
  mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  writeSecret(layout.credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`);
  return credentials;
}

export function readCredentials(layout: FederationLayout): Credentials {
  return JSON.parse(readFileSync(layout.credentialsFile, 'utf8')) as Credentials;
}

export function password(credentials: Credentials, cluster: ClusterName, principal: string): string {
  const value = credentials[cluster]?.[principal];
  if (value === undefined) throw new UserError(`no password for ${principal} on ${cluster} in the federation credentials file`);
  return value;
}

/** The topic prefix a principal's commands use on a cluster: a lab's own, or none on the forum. */
export function topicPrefixOn(cluster: ClusterName): string {
  return cluster === 'forum' ? '' : labPrefix(cluster as LabName);
}

/** The connection variables of the project (CONTRACT.md section 1) for one principal on one cluster. */
export function connectionEnv(layout: FederationLayout, cluster: ClusterLayout, principal: string, secret: string): Record<string, string> {
  return {
    KAFKA_BROKERS: `${cluster.host}:${cluster.port}`,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD: secret,
    KAFKA_TLS: 'true',
    KAFKA_TLS_CA_FILE: layout.caFile,
    SCHEMA_REGISTRY_URL: layout.schemaRegistryUrl,
    DISTILLWATCH_TOPIC_PREFIX: topicPrefixOn(cluster.name),
  };
}

/** Writes every principal's env file on every cluster; returns their paths. */
export function writeEnvFiles(layout: FederationLayout, credentials: Credentials): string[] {
  return layout.clusters.flatMap((cluster) => cluster.principals.map((principal) => {
    const file = join(layout.dir, envFileName(principal, cluster.name));
    const env = connectionEnv(layout, cluster, principal, password(credentials, cluster.name, principal));
    const lines = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`);
    writeSecret(file, [`# ${principal} on the ${cluster.name} cluster; use: set -a; source ${envFileName(principal, cluster.name)}; set +a`, ...lines, ''].join('\n'));
    return file;
  }));
}

/** Single quotes keep every value literal for `source` (paths may hold spaces). */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export interface ForumKey {
  /** A fingerprint of the key (not the key): names it in logs and records. */
  id: string;
  /** 32 random bytes, base64. */
  key: string;
}

/** The forum key file: the key tokens are made under now, and the one before a rotation. */
export interface ForumKeyFile {
  current: ForumKey;
  previous: ForumKey | null;
}

function newForumKey(): ForumKey {
  const key = randomBytes(32);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key: key.toString('base64') };
}

/** Makes the forum key file on the first set-up; returns true when it made it. */
export function ensureForumKey(layout: FederationLayout): boolean {
  if (existsSync(layout.forumKeyFile)) return false;
  writeForumKeys(layout, { current: newForumKey(), previous: null });
  return true;
}

/** A new current key; the old one stays as previous, so tokens under it still link. Returns the new key's id. */
export function rotateForumKey(layout: FederationLayout): { current: string; previous: string } {
  if (!existsSync(layout.forumKeyFile)) throw new UserError(`no forum key at ${layout.forumKeyFile}: run infra up --federation first`);
  const keys = JSON.parse(readFileSync(layout.forumKeyFile, 'utf8')) as ForumKeyFile;
  const rotated: ForumKeyFile = { current: newForumKey(), previous: keys.current };
  writeForumKeys(layout, rotated);
  return { current: rotated.current.id, previous: keys.current.id };
}

function writeForumKeys(layout: FederationLayout, keys: ForumKeyFile): void {
  mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  writeSecret(layout.forumKeyFile, `${JSON.stringify(keys, null, 2)}\n`);
}

/** Writes a file only its owner can read, also when it existed with wider rights. */
function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}
