// Keyed tokens: what identities become before they cross a lab's boundary. HMAC-SHA256, cut to
// a fixed length and written in base64url. Under the shared forum key, the same normalised
// identifier gives the same token at every lab (so the forum can link), while the forum
// operator, who does not hold the key, cannot test a guess (a dictionary of IP prefixes or
// user agents is useless without the key). Under a lab's own key, a token is a pseudonym only
// that lab can resolve. A token depends only on key, kind and value (recent ones are kept per
// key, bounded, for speed); must never return or log its input.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Bytes kept of an identity or pseudonym token: 96 bits, no collision among billions. */
const TOKEN_BYTES = 12;
/** Bytes kept of a template token: only compared within one window's sketches. */
const TEMPLATE_TOKEN_BYTES = 8;
/** Tokens remembered per key before the memory starts over (about 20 MB at most per key). */
const REMEMBERED_TOKENS = 1 << 17;

/** What a token stands for; part of the HMAC input so that kinds never collide. */
export type TokenKind = 'payment' | 'network' | 'template' | 'account';

/** A key made once into Node's KeyObject, with the tokens it gave lately (`<kind>\0<value>` -> token). */
interface PreparedKey { key: KeyObject; tokens: Map<string, string> }

// Why: given a Buffer, createHmac imports and re-checks the key on every call, which cost
// about 85 % of a token (and most of `detect --federated`'s time on `wide`); the same accounts,
// identifiers and templates also recur window after window. Both are kept per key Buffer, so a
// rotated key starts afresh; the token of a value never depends on what is remembered.
const prepared = new WeakMap<Buffer, PreparedKey>();

export function keyedToken(key: Buffer, kind: TokenKind, value: string): string {
  let p = prepared.get(key);
  if (p === undefined) prepared.set(key, p = { key: createSecretKey(key), tokens: new Map() });
  const input = `${kind}\u0000${value}`;
  let token = p.tokens.get(input);
  if (token !== undefined) return token;
  const bytes = kind === 'template' ? TEMPLATE_TOKEN_BYTES : TOKEN_BYTES;
  token = createHmac('sha256', p.key).update(input).digest().subarray(0, bytes).toString('base64url');
  if (p.tokens.size >= REMEMBERED_TOKENS) p.tokens.clear();
  p.tokens.set(input, token);
  return token;
}
