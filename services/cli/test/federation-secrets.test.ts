// The federation's secrets and certificates on a temporary state dir: made once, kept after,
// readable only by their owner. Runs the real `openssl`.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@distillwatch/platform/config';
import { UserError } from '../src/errors.ts';
import { ensureBrokerCertificate, ensureCa } from '../src/infra/certificates.ts';
import { clusterByName, federationLayout, type FederationLayout } from '../src/infra/federation-layout.ts';
import { ensureCredentials, ensureForumKey, rotateForumKey, writeEnvFiles, type ForumKeyFile } from '../src/infra/federation-secrets.ts';
import { infraLayout } from '../src/infra/layout.ts';

let stateDir: string;
let layout: FederationLayout;
const mode = (file: string) => statSync(file).mode & 0o777;
const forumKeys = () => JSON.parse(readFileSync(layout.forumKeyFile, 'utf8')) as ForumKeyFile;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'distillwatch-federation-'));
  layout = federationLayout(infraLayout(loadConfig({}), { DISTILLWATCH_INFRA_DIR: stateDir }));
});

afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('credentials', () => {
  it('makes a distinct password per principal and cluster once, mode 0600, and keeps them after', () => {
    const first = ensureCredentials(layout);
    const passwords = Object.values(first).flatMap((byPrincipal) => Object.values(byPrincipal));
    expect(passwords).toHaveLength(2 + 2 + 2 + 5);
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(passwords.every((p) => /^[0-9a-f]{32}$/.test(p))).toBe(true);
    expect(mode(layout.credentialsFile)).toBe(0o600);
    expect(ensureCredentials(layout)).toEqual(first);
  });

  it('refuses to make new passwords for clusters formatted with the old ones', () => {
    const dataDir = clusterByName(layout, 'lab-b').dataDir;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'meta.properties'), 'cluster.id=x\n');
    expect(() => ensureCredentials(layout)).toThrow(UserError);
    expect(() => ensureCredentials(layout)).toThrow(/lab-b already hold data/);
  });

  it('writes one env file per principal and cluster, mode 0600, that a shell sources literally', () => {
    const files = writeEnvFiles(layout, ensureCredentials(layout));
    expect(files.map((f) => f.slice(layout.dir.length + 1)).sort()).toEqual([
      'admin.forum.env', 'admin.lab-a.env', 'admin.lab-b.env', 'admin.lab-c.env', 'forum.env',
      'lab-a.env', 'lab-a.forum.env', 'lab-b.env', 'lab-b.forum.env', 'lab-c.env', 'lab-c.forum.env',
    ]);
    expect(files.map(mode)).toEqual(files.map(() => 0o600));
    expect(readFileSync(join(layout.dir, 'lab-a.env'), 'utf8')).toContain("DISTILLWATCH_TOPIC_PREFIX='lab-a.'\n");
  });
});

describe('forum key', () => {
  it('is 32 random bytes named by a fingerprint, made once, mode 0600', () => {
    expect(ensureForumKey(layout)).toBe(true);
    const keys = forumKeys();
    expect(Buffer.from(keys.current.key, 'base64')).toHaveLength(32);
    expect(keys.current.id).toMatch(/^[0-9a-f]{16}$/);
    expect(keys.previous).toBeNull();
    expect(mode(layout.forumKeyFile)).toBe(0o600);
    expect(ensureForumKey(layout)).toBe(false);
    expect(forumKeys()).toEqual(keys);
  });

  it('rotates to a new current key and keeps the old one as previous, for the overlap', () => {
    ensureForumKey(layout);
    const before = forumKeys();
    const ids = rotateForumKey(layout);
    const after = forumKeys();
    expect(after.previous).toEqual(before.current);
    expect(after.current.key).not.toBe(before.current.key);
    expect(ids).toEqual({ current: after.current.id, previous: before.current.id });
    expect(mode(layout.forumKeyFile)).toBe(0o600);
  });

  it('refuses to rotate a key that was never made', () => {
    expect(() => rotateForumKey(layout)).toThrow(/run infra up --federation first/);
  });
});

describe('certificates', () => {
  it('signs each broker\'s certificate for 127.0.0.1 and localhost with the CA, and keeps both after', () => {
    expect(ensureCa(layout)).toBe(true);
    const lab = clusterByName(layout, 'lab-a');
    expect(ensureBrokerCertificate(layout, lab)).toBe(true);

    const ca = new X509Certificate(readFileSync(layout.caFile));
    const keystore = readFileSync(lab.keystoreFile, 'utf8');
    expect(keystore).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const broker = new X509Certificate(keystore.slice(keystore.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(broker.verify(ca.publicKey)).toBe(true);
    expect(broker.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(broker.checkHost('localhost')).toBe('localhost');
    expect(broker.subject).toBe('CN=broker.lab-a');
    expect([mode(layout.caKeyFile), mode(lab.keystoreFile)]).toEqual([0o600, 0o600]);

    expect(ensureCa(layout)).toBe(false);
    expect(ensureBrokerCertificate(layout, lab)).toBe(false);
    expect(readFileSync(lab.keystoreFile, 'utf8')).toBe(keystore);
  });
});
