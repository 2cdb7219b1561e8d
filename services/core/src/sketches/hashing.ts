/**
 * Seeded, deterministic 32-bit hashing for the sketches: string keys (topics, API keys, user
 * agents, ...) become well-mixed 32-bit integers so that register and bit choices are uniform.
 * Every sketch result depends on these exact functions, so they must never change silently
 * (a changelog restored by a newer build would mix two hash families), never use Math.random
 * and never be used for anything security-related: they are not keyed against an adversary.
 */

/** MurmurHash3's 32-bit finaliser: a bijection on uint32 with full avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, then `mix32` (FNV's low bits are weak
 * on short keys that differ only in their last character).
 */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return mix32(h);
}

/** A 32-bit key for a 64-bit value given as two uint32 halves (a SimHash, a fingerprint). */
export function hash64To32(hi: number, lo: number): number {
  return mix32((hi ^ mix32(lo ^ 0x9e3779b9)) >>> 0);
}
