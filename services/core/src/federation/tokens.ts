// Keyed tokens: what identities become before they cross a lab's boundary. HMAC-SHA256, cut to
// a fixed length and written in base64url. Under the shared forum key, the same normalised
// identifier gives the same token at every lab (so the forum can link), while the forum
// operator, who does not hold the key, cannot test a guess (a dictionary of IP prefixes or
// user agents is useless without the key). Under a lab's own key, a token is a pseudonym only
// that lab can resolve. Pure; must never return or log its input.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Bytes kept of an identity or pseudonym token: 96 bits, no collision among billions. */
const TOKEN_BYTES = 12;
/** Bytes kept of a template token: only compared within one window's sketches. */
const TEMPLATE_TOKEN_BYTES = 8;

/** What a token stands for; part of the HMAC input so that kinds never collide. */
export type TokenKind = 'payment' | 'network' | 'template' | 'account';

export function keyedToken(key: Buffer, kind: TokenKind, value: string): string {
  const bytes = kind === 'template' ? TEMPLATE_TOKEN_BYTES : TOKEN_BYTES;
  return createHmac('sha256', secretKeyOf(key)).update(`${kind}\u0000${value}`).digest().subarray(0, bytes).toString('base64url');
}

/**
 * Each key as a KeyObject, made once per key: given the raw bytes, createHmac makes one at every
 * call, and that was most of a bridge's time forwarding account-windows (dozens of tokens each)
 * in a CPU profile of the federation bench. The same HMAC, the same tokens.
 */
const secretKeys = new WeakMap<Buffer, KeyObject>();

function secretKeyOf(key: Buffer): KeyObject {
  let secret = secretKeys.get(key);
  if (!secret) secretKeys.set(key, secret = createSecretKey(key));
  return secret;
}
