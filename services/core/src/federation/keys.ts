// Federation keys: the forum key the labs share (current, and the previous one while a rotation
// overlaps) and each lab's own pseudonym key. Parsed from a JSON document (the key file of
// `detect --federated`, README "Federation"); every bad entry is a FederationKeyError naming it.
// The forum operator never holds any of these keys. Pure: takes parsed JSON, never reads files;
// never logs or echoes key material.
import { createHash } from 'node:crypto';

/** Key material, at least this many bytes (HMAC-SHA256 gains nothing from more than 64). */
export const MIN_KEY_BYTES = 32;

export interface ForumKeyRing {
  /** Key every lab uses now. */
  current: Buffer;
  /** Key in force before the rotation that is still overlapping, if any. */
  previous: Buffer | null;
}

export interface FederationKeys {
  forum: ForumKeyRing;
  /**
   * Each lab's own key (its accounts' pseudonyms; no other lab, and not the forum, holds it),
   * or a FederationKeyError naming the lab when it has none.
   */
  labKey(lab: string): Buffer;
}

/** A key document that cannot be used; `key` is the dotted path at fault (never its value). */
export class FederationKeyError extends Error {
  override readonly name = 'FederationKeyError';
  readonly retriable = false;
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.key = key;
  }
}

/**
 * `{"forum": {"current": HEX, "previous": HEX?}, "labs": {"lab-a": HEX, ...}}`, each HEX at
 * least MIN_KEY_BYTES bytes of hex. Unknown keys are errors: a typo must not drop a key.
 */
export function parseFederationKeys(json: unknown): FederationKeys {
  const doc = objectAt(json, '(document)');
  onlyKeys(doc, ['forum', 'labs'], '');
  const forum = objectAt(doc['forum'], 'forum');
  onlyKeys(forum, ['current', 'previous'], 'forum.');
  const labsDoc = objectAt(doc['labs'], 'labs');
  const labs = new Map<string, Buffer>();
  for (const [lab, value] of Object.entries(labsDoc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    labs.set(lab, keyAt(value, `labs.${lab}`));
  }
  return {
    labKey: (lab) => {
      const key = labs.get(lab);
      if (!key) throw new FederationKeyError(`labs.${lab}`, 'missing: every lab in the input needs its own key');
      return key;
    },
    forum: {
      current: keyAt(forum['current'], 'forum.current'),
      previous: forum['previous'] === undefined || forum['previous'] === null ? null : keyAt(forum['previous'], 'forum.previous'),
    },
  };
}

/**
 * Fixed, publicly known keys for tests and demos (`detect --federated` without a key file):
 * deterministic output, and no protection at all — anyone can recompute every token.
 */
export function testFederationKeys(): FederationKeys {
  const derive = (label: string) => createHash('sha256').update(`distillwatch public test key: ${label}`).digest();
  return { forum: { current: derive('forum'), previous: null }, labKey: (lab) => derive(`lab ${lab}`) };
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FederationKeyError(path, 'expected an object');
  return value as Record<string, unknown>;
}

function onlyKeys(doc: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const k of Object.keys(doc)) if (!allowed.includes(k)) throw new FederationKeyError(`${prefix}${k}`, 'unknown key');
}

function keyAt(value: unknown, path: string): Buffer {
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(value)) throw new FederationKeyError(path, 'expected hex digits');
  const key = Buffer.from(value, 'hex');
  if (key.length < MIN_KEY_BYTES) throw new FederationKeyError(path, `too short: at least ${MIN_KEY_BYTES} bytes (${MIN_KEY_BYTES * 2} hex digits)`);
  return key;
}
