/**
 * The 64-bit prompt SimHash of CONTRACT.md section 2, which labs can compute without sharing
 * prompt text: NFKC + lower case, tokens are maximal runs of letters or digits, features are
 * every token and every adjacent token pair joined by one space (each occurrence weight 1),
 * each hashed with 64-bit FNV-1a over its UTF-8 bytes; bit i is set where the features with
 * bit i set outnumber those with it clear (a tie gives 0). Near-duplicate prompts get hashes
 * a small Hamming distance apart.
 *
 * It runs on every event in `detect`, so the hot loop avoids BigInt and allocation: a 64-bit
 * hash is two unsigned 32-bit halves (`hi`, `lo`), FNV multiplication is done in 32-bit
 * pieces, and bit votes are kept in bit-sliced counters (32 bit positions per word op). It must never change
 * its output for a given text: stored `prompt_simhash` values and other labs depend on it
 * (schemas/simhash-vectors.json pins it).
 */
import type { UsageEvent } from '../schemas.generated.ts';

/** A 64-bit SimHash as two unsigned 32-bit halves: bits 63..32 in `hi`, 31..0 in `lo`. */
export interface SimHash64 {
  hi: number;
  lo: number;
}

// FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const PRIME_LO = 0x1b3;
const TWO_POW_32 = 4294967296;
const SPACE = 0x20;

// Letters and digits of the Basic Multilingual Plane, tabulated once so tokenising needs no
// regular expression per character (built on first use: loading the module stays cheap).
// Astral code points use the regular expression itself.
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
let bmpWord: Uint8Array | null = null;

function buildBmpWordTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (WORD_CHAR.test(String.fromCharCode(c))) table[c] = 1;
  }
  return table;
}

// Reused buffers: the UTF-8 bytes of the current token, and the bit votes.
let tokenBytes: Uint8Array = new Uint8Array(256);
// Bit votes as bit-sliced binary counters, one set per 32-bit half: bit b of `loPlanes[k]` is
// bit k of the number of features with bit b of `lo` set. Adding a feature is a ripple-carry
// add of its hash into the planes, for all 32 bit positions at once: a few word operations
// per feature instead of one counter update per bit (this vote was the costliest part of
// `detect`). 32 planes count up to 2^32 - 1 features, more than any string can hold.
const PLANES = 32;
const loPlanes = new Int32Array(PLANES);
const hiPlanes = new Int32Array(PLANES);
let planesUsed = 0; // planes [planesUsed, PLANES) are all zero
let featureCount = 0;
// The 64-bit result of the latest `hashInto`, read right after the call.
let resultHi = 0;
let resultLo = 0;

/** The prompt SimHash as two 32-bit halves. */
export function promptSimHashParts(text: string): SimHash64 {
  hashInto(text);
  return { hi: resultHi, lo: resultLo };
}

/** The prompt SimHash as an unsigned 64-bit BigInt. */
export function promptSimHash(text: string): bigint {
  hashInto(text);
  return (BigInt(resultHi) << 32n) | BigInt(resultLo);
}

/** The prompt SimHash as 16 lower-case hex digits, bit 63 first (the `prompt_simhash` form). */
export function simHashHex(text: string): string {
  hashInto(text);
  return halvesToHex(resultHi, resultLo);
}

export function simHashToHex(h: SimHash64): string {
  return halvesToHex(h.hi, h.lo);
}

/** Reads a `prompt_simhash` value (16 hex digits, as `parseUsageEventLine` guarantees). */
export function simHashFromHex(hex: string): SimHash64 {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new RangeError(`not a 16-hex-digit SimHash: ${hex}`);
  return { hi: Number.parseInt(hex.slice(0, 8), 16), lo: Number.parseInt(hex.slice(8), 16) };
}

/**
 * The SimHash of an event's prompt: computed from `prompt_text` when the lab sent it (the text
 * wins), else the lab's `prompt_simhash`, else null.
 */
export function eventSimHash(event: UsageEvent): SimHash64 | null {
  if (event.prompt_text != null) return promptSimHashParts(event.prompt_text);
  if (event.prompt_simhash != null) return simHashFromHex(event.prompt_simhash);
  return null;
}

/** Number of differing bits between two SimHashes (0..64). */
export function hammingDistance(a: SimHash64, b: SimHash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function halvesToHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

function hashInto(text: string): void {
  const normal = normalise(text);
  const isWord = bmpWord ?? (bmpWord = buildBmpWordTable());
  loPlanes.fill(0, 0, planesUsed);
  hiPlanes.fill(0, 0, planesUsed);
  planesUsed = 0;
  featureCount = 0;

  let prevHi = 0; // FNV state after the previous token's bytes (= that token's hash)
  let prevLo = 0;
  let hasPrev = false;
  let n = 0; // bytes of the current token in tokenBytes
  const length = normal.length;
  for (let i = 0; i <= length; i++) {
    let cp = -1; // -1 ends the current token
    let width = 1;
    if (i < length) {
      const c = normal.charCodeAt(i);
      if (c < 0xd800 || c > 0xdfff) {
        if (isWord[c] === 1) cp = c;
      } else if (c <= 0xdbff && i + 1 < length) {
        const d = normal.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          width = 2;
          const astral = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          if (WORD_CHAR.test(normal.slice(i, i + 2))) cp = astral;
        }
      }
    }
    if (cp >= 0) {
      if (n + 4 > tokenBytes.length) tokenBytes = growBuffer(tokenBytes);
      n = appendUtf8(tokenBytes, n, cp);
    } else if (n > 0) {
      // Unigram: FNV-1a of the token from the offset basis.
      let hi = OFFSET_HI;
      let lo = OFFSET_LO;
      for (let k = 0; k < n; k++) {
        lo = (lo ^ tokenBytes[k]!) >>> 0;
        const p = lo * PRIME_LO; // < 2^41: exact in a double
        const low = p >>> 0;
        hi = (Math.imul(hi, PRIME_LO) + (p - low) / TWO_POW_32 + (lo << 8)) >>> 0;
        lo = low;
      }
      vote(hi, lo);
      if (hasPrev) {
        // Bigram "<prev> <token>": FNV-1a continues from the previous token's hash.
        let bhi = prevHi;
        let blo = prevLo;
        for (let k = -1; k < n; k++) {
          blo = (blo ^ (k < 0 ? SPACE : tokenBytes[k]!)) >>> 0;
          const p = blo * PRIME_LO;
          const low = p >>> 0;
          bhi = (Math.imul(bhi, PRIME_LO) + (p - low) / TWO_POW_32 + (blo << 8)) >>> 0;
          blo = low;
        }
        vote(bhi, blo);
      }
      prevHi = hi;
      prevLo = lo;
      hasPrev = true;
      n = 0;
    }
    i += width - 1;
  }

  let hi = 0;
  let lo = 0;
  // Set where votes for 1 outnumber votes for 0: count1 > featureCount - count1.
  for (let b = 0; b < 32; b++) {
    if (2 * planeCount(loPlanes, b) > featureCount) lo |= 1 << b;
    if (2 * planeCount(hiPlanes, b) > featureCount) hi |= 1 << b;
  }
  resultHi = hi >>> 0;
  resultLo = lo >>> 0;
}

/** How many features voted for bit `b` of one half: its counter read back from the planes. */
function planeCount(planes: Int32Array, b: number): number {
  let count = 0;
  for (let k = 0; k < planesUsed; k++) count += ((planes[k]! >>> b) & 1) * 2 ** k;
  return count;
}

function normalise(text: string): string {
  // NFKC leaves pure ASCII unchanged; skip the ICU call for the common case.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return text.normalize('NFKC').toLowerCase();
  }
  return text.toLowerCase();
}

function vote(hi: number, lo: number): void {
  // Ripple-carry add of each half into its planes; stops as soon as no position carries.
  let k = 0;
  for (let carry = lo | 0; carry !== 0; k++) {
    const plane = loPlanes[k]!;
    loPlanes[k] = plane ^ carry;
    carry &= plane;
  }
  if (k > planesUsed) planesUsed = k;
  k = 0;
  for (let carry = hi | 0; carry !== 0; k++) {
    const plane = hiPlanes[k]!;
    hiPlanes[k] = plane ^ carry;
    carry &= plane;
  }
  if (k > planesUsed) planesUsed = k;
  featureCount++;
}

function appendUtf8(buf: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) {
    buf[n] = cp;
    return n + 1;
  }
  if (cp < 0x800) {
    buf[n] = 0xc0 | (cp >> 6);
    buf[n + 1] = 0x80 | (cp & 0x3f);
    return n + 2;
  }
  if (cp < 0x10000) {
    buf[n] = 0xe0 | (cp >> 12);
    buf[n + 1] = 0x80 | ((cp >> 6) & 0x3f);
    buf[n + 2] = 0x80 | (cp & 0x3f);
    return n + 3;
  }
  buf[n] = 0xf0 | (cp >> 18);
  buf[n + 1] = 0x80 | ((cp >> 12) & 0x3f);
  buf[n + 2] = 0x80 | ((cp >> 6) & 0x3f);
  buf[n + 3] = 0x80 | (cp & 0x3f);
  return n + 4;
}

function growBuffer(buf: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(buf.length * 2);
  bigger.set(buf);
  return bigger;
}
