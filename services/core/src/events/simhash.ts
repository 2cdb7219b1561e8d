/**
 * The 64-bit prompt SimHash of CONTRACT.md section 2, which labs can compute without sharing
 * prompt text: NFKC + lower case, tokens are maximal runs of letters or digits, features are
 * every token and every adjacent token pair joined by one space (each occurrence weight 1),
 * each hashed with 64-bit FNV-1a over its UTF-8 bytes; bit i is set where the features with
 * bit i set outnumber those with it clear (a tie gives 0). Near-duplicate prompts get hashes
 * a small Hamming distance apart.
 *
 * It runs on every event in `detect`, so the hot loop avoids BigInt and allocation: a 64-bit
 * hash is two 32-bit halves (`hi`, `lo`), FNV multiplication is done in 32-bit integer
 * pieces, feature hashes are collected in a reused buffer and their bit votes counted
 * afterwards, four bit positions per 32-bit add. ASCII text (nearly every prompt) takes a
 * shorter path: no normalisation, no code-point decoding. It must never change its output for
 * a given text: stored `prompt_simhash` values and other labs depend on it
 * (schemas/simhash-vectors.json pins it).
 */
import type { UsageEvent } from '../schemas.generated.ts';

/** A 64-bit SimHash as two unsigned 32-bit halves: bits 63..32 in `hi`, 31..0 in `lo`. */
export interface SimHash64 {
  hi: number;
  lo: number;
}

// FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3 = 2^40 + 0x1b3. One step,
// written out in each hashing loop below, multiplies by the prime modulo 2^64 in 32-bit
// integers: lo * 0x1b3 gives the new `lo` and a carry into `hi` (lo's 16-bit halves times
// 0x1b3 stay below 2^25), and the 2^40 term adds lo << 8 to `hi`. No float conversions.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const PRIME_LO = 0x1b3;
const SPACE = 0x20;

// Text with any character outside ASCII needs NFKC and the full Unicode word rules.
const NON_ASCII = /[^\x00-\x7f]/;
// ASCII letters and digits, lower-cased (what NFKC + toLowerCase make of them); 0 for every
// other ASCII character.
const ASCII_WORD_LOWER = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII_WORD_LOWER[c] = c;
for (let c = 0x61; c <= 0x7a; c++) ASCII_WORD_LOWER[c] = ASCII_WORD_LOWER[c - 0x20] = c;
const asciiEncoder = new TextEncoder();

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

// Reused buffers: the bytes of an ASCII prompt, the UTF-8 bytes of the current token of
// other prompts, the (hi, lo) hash of every feature of the current prompt, and the bit votes.
let asciiBytes: Uint8Array = new Uint8Array(1024);
let tokenBytes: Uint8Array = new Uint8Array(256);
let featureHashes: Int32Array = new Int32Array(512);
let featureCount = 0;
/** The previous token's hash, where the next bigram continues (reset per prompt). */
let prevTokenHi = 0;
let prevTokenLo = 0;
let hasPrevToken = false;
const votes = new Int32Array(64);
// Votes are summed in byte lanes: bit j of every byte of a hash half is added at once with
// `(half >>> j) & BYTE_ONES`, so lane j's byte i counts bit 8i + j. The lanes are emptied into
// `votes` every LANE_CAPACITY features: 127 rather than the 255 a byte holds keeps each lane
// below 2^31, in V8's fast small-integer arithmetic.
const BYTE_ONES = 0x01010101;
const LANE_CAPACITY = 127;
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

/**
 * The features of the prompt this module hashed last (every token and every adjacent token
 * pair, as above), as 64-bit FNV-1a hashes in (hi, lo) pairs of signed 32-bit halves:
 * `latestFeatureHashes()[2 * f]` and `[2 * f + 1]` for f below `latestFeatureCount()`; the
 * unigrams are features 0 and every odd f (each later token is followed by its bigram). Valid
 * until the next hash; for readers of the prompt's words that must not tokenise it a second
 * time (features/vocabularySample.ts). Never to be written to.
 */
export function latestFeatureHashes(): Int32Array {
  return featureHashes;
}

export function latestFeatureCount(): number {
  return featureCount;
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
  featureCount = 0;
  hasPrevToken = false;
  if (NON_ASCII.test(text)) hashUnicodeTokens(text.normalize('NFKC').toLowerCase());
  else hashAsciiTokens(text);

  countVotes();
  let hi = 0;
  let lo = 0;
  // Set where votes for 1 outnumber votes for 0: count1 > featureCount - count1.
  for (let b = 0; b < 32; b++) {
    if (2 * votes[b]! > featureCount) lo |= 1 << b;
    if (2 * votes[b + 32]! > featureCount) hi |= 1 << b;
  }
  resultHi = hi >>> 0;
  resultLo = lo >>> 0;
}

/** Feature hashes of NFKC-normalised, lower-cased text: tokens read as code points, hashed as UTF-8. */
function hashUnicodeTokens(normal: string): void {
  const isWord = bmpWord ?? (bmpWord = buildBmpWordTable());

  let bytes = tokenBytes;
  const length = normal.length;
  let i = 0;
  for (;;) {
    // Read the next token's UTF-8 bytes into `bytes[0..n)`, consuming the separator after it.
    let n = 0;
    while (i < length) {
      const c = normal.charCodeAt(i++);
      let cp = -1; // not a letter or digit: ends the current token
      if (c < 0xd800 || c > 0xdfff) {
        if (isWord[c] === 1) cp = c;
      } else if (c <= 0xdbff && i < length) {
        const d = normal.charCodeAt(i);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          if (WORD_CHAR.test(normal.slice(i - 2, i))) cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        }
      }
      if (cp < 0) {
        if (n > 0) break;
      } else if (cp < 0x80) {
        if (n === bytes.length) bytes = tokenBytes = growBuffer(bytes);
        bytes[n++] = cp;
      } else {
        if (n + 4 > bytes.length) bytes = tokenBytes = growBuffer(bytes);
        n = appendUtf8(bytes, n, cp);
      }
    }
    if (n === 0) break;
    // Unigram: FNV-1a of the token from the offset basis.
    let hi = OFFSET_HI | 0;
    let lo = OFFSET_LO | 0;
    for (let k = 0; k < n; k++) {
      lo ^= bytes[k]!;
      const carry = ((lo >>> 16) * PRIME_LO + (((lo & 0xffff) * PRIME_LO) >>> 16)) >>> 16;
      hi = (Math.imul(hi, PRIME_LO) + carry + (lo << 8)) | 0;
      lo = Math.imul(lo, PRIME_LO);
    }
    recordToken(hi, lo, bytes, 0, n);
  }
}

/**
 * Tokens of ASCII text, the common case: NFKC leaves it as it is, lower-casing only maps A-Z,
 * and every character is its own UTF-8 byte. So the text is copied into bytes once (natively)
 * and each token is lower-cased and hashed in place.
 */
function hashAsciiTokens(text: string): void {
  if (text.length > asciiBytes.length) asciiBytes = new Uint8Array(Math.max(text.length, 2 * asciiBytes.length));
  const bytes = asciiBytes;
  const length = asciiEncoder.encodeInto(text, bytes).written;
  let i = 0;
  for (;;) {
    while (i < length && ASCII_WORD_LOWER[bytes[i]!] === 0) i++;
    if (i === length) break;
    // Unigram: lower-case the token in place and hash it as it is read.
    const start = i;
    let hi = OFFSET_HI | 0;
    let lo = OFFSET_LO | 0;
    for (; i < length; i++) {
      const byte = ASCII_WORD_LOWER[bytes[i]!]!;
      if (byte === 0) break;
      bytes[i] = byte;
      lo ^= byte;
      const carry = ((lo >>> 16) * PRIME_LO + (((lo & 0xffff) * PRIME_LO) >>> 16)) >>> 16;
      hi = (Math.imul(hi, PRIME_LO) + carry + (lo << 8)) | 0;
      lo = Math.imul(lo, PRIME_LO);
    }
    recordToken(hi, lo, bytes, start, i);
  }
}

/**
 * Records a token (its unigram hash, and its UTF-8 bytes in `bytes[start..end)`) as features:
 * the unigram, and the bigram "<previous token> <token>", whose FNV-1a continues from the
 * previous token's hash over a space and this token's bytes.
 */
function recordToken(hi: number, lo: number, bytes: Uint8Array, start: number, end: number): void {
  if (2 * featureCount + 4 > featureHashes.length) featureHashes = growHashes(featureHashes);
  const hashes = featureHashes;
  hashes[2 * featureCount] = hi;
  hashes[2 * featureCount + 1] = lo;
  featureCount++;
  if (hasPrevToken) {
    let bhi = prevTokenHi;
    let blo = prevTokenLo;
    for (let k = start - 1; k < end; k++) {
      blo ^= k < start ? SPACE : bytes[k]!;
      const carry = ((blo >>> 16) * PRIME_LO + (((blo & 0xffff) * PRIME_LO) >>> 16)) >>> 16;
      bhi = (Math.imul(bhi, PRIME_LO) + carry + (blo << 8)) | 0;
      blo = Math.imul(blo, PRIME_LO);
    }
    hashes[2 * featureCount] = bhi;
    hashes[2 * featureCount + 1] = blo;
    featureCount++;
  }
  prevTokenHi = hi;
  prevTokenLo = lo;
  hasPrevToken = true;
}

/** Fills `votes[b]` with how many of the current features have bit b (0..63) set. */
function countVotes(): void {
  const hashes = featureHashes;
  votes.fill(0);
  for (let start = 0; start < featureCount; start += LANE_CAPACITY) {
    const end = Math.min(featureCount, start + LANE_CAPACITY);
    // Lanes in locals (not an array): this loop runs for every feature of every prompt.
    let lo0 = 0, lo1 = 0, lo2 = 0, lo3 = 0, lo4 = 0, lo5 = 0, lo6 = 0, lo7 = 0;
    let hi0 = 0, hi1 = 0, hi2 = 0, hi3 = 0, hi4 = 0, hi5 = 0, hi6 = 0, hi7 = 0;
    for (let f = start; f < end; f++) {
      const hi = hashes[2 * f]!;
      const lo = hashes[2 * f + 1]!;
      lo0 += lo & BYTE_ONES; lo1 += (lo >>> 1) & BYTE_ONES; lo2 += (lo >>> 2) & BYTE_ONES; lo3 += (lo >>> 3) & BYTE_ONES;
      lo4 += (lo >>> 4) & BYTE_ONES; lo5 += (lo >>> 5) & BYTE_ONES; lo6 += (lo >>> 6) & BYTE_ONES; lo7 += (lo >>> 7) & BYTE_ONES;
      hi0 += hi & BYTE_ONES; hi1 += (hi >>> 1) & BYTE_ONES; hi2 += (hi >>> 2) & BYTE_ONES; hi3 += (hi >>> 3) & BYTE_ONES;
      hi4 += (hi >>> 4) & BYTE_ONES; hi5 += (hi >>> 5) & BYTE_ONES; hi6 += (hi >>> 6) & BYTE_ONES; hi7 += (hi >>> 7) & BYTE_ONES;
    }
    addLane(lo0, 0); addLane(lo1, 1); addLane(lo2, 2); addLane(lo3, 3);
    addLane(lo4, 4); addLane(lo5, 5); addLane(lo6, 6); addLane(lo7, 7);
    addLane(hi0, 32); addLane(hi1, 33); addLane(hi2, 34); addLane(hi3, 35);
    addLane(hi4, 36); addLane(hi5, 37); addLane(hi6, 38); addLane(hi7, 39);
  }
}

/** Adds the four byte counters of a lane to the votes of bits `first`, first + 8, + 16, + 24. */
function addLane(lane: number, first: number): void {
  votes[first] = votes[first]! + (lane & 0xff);
  votes[first + 8] = votes[first + 8]! + ((lane >>> 8) & 0xff);
  votes[first + 16] = votes[first + 16]! + ((lane >>> 16) & 0xff);
  votes[first + 24] = votes[first + 24]! + (lane >>> 24);
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

function growHashes(buf: Int32Array): Int32Array {
  const bigger = new Int32Array(buf.length * 2);
  bigger.set(buf);
  return bigger;
}

function growBuffer(buf: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(buf.length * 2);
  bigger.set(buf);
  return bigger;
}
