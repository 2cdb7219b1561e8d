// The prompt SimHash exactly as CONTRACT.md section 2 defines it, written from the contract's
// text: NFKC and lower case; tokens are maximal runs of letters or digits; features are every
// token and every adjacent pair joined by one space, each occurrence weighing 1; each feature's
// UTF-8 bytes hashed with 64-bit FNV-1a; bit i set where set bits outnumber clear ones (tie 0);
// 16 lower-case hex digits, bit 63 first. 64-bit arithmetic is done on two 32-bit halves, because
// BigInt is too slow for the hundreds of thousands of prompts a withholding lab sends.
// It must never approximate: a lab computing it independently must get the same digits.

const TOKEN = /[\p{L}\p{N}]+/gu;
const encoder = new TextEncoder();

export function promptSimhash(prompt: string): string {
  const tokens = prompt.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
  if (tokens.length === 0) return '0000000000000000';
  const counts = new Int32Array(64);
  let features = 0;
  const add = (feature: string): void => {
    const [hi, lo] = fnv1a64(feature);
    for (let b = 0; b < 32; b++) {
      counts[b] = (counts[b] as number) + ((lo >>> b) & 1);
      counts[b + 32] = (counts[b + 32] as number) + ((hi >>> b) & 1);
    }
    features++;
  };
  for (let i = 0; i < tokens.length; i++) {
    add(tokens[i] as string);
    if (i > 0) add(`${tokens[i - 1] as string} ${tokens[i] as string}`);
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    // Set where set bits outnumber clear ones: count > features - count.
    if (2 * (counts[b] as number) > features) lo |= 1 << b;
    if (2 * (counts[b + 32] as number) > features) hi |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** 64-bit FNV-1a of a string's UTF-8 bytes, as [high 32 bits, low 32 bits]. */
export function fnv1a64(text: string): [number, number] {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 4294967296);
    const newLo = loProduct >>> 0;
    hi = ((Math.imul(hi, 0x1b3) >>> 0) + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = newLo;
  };
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let i = 0; i < text.length; i++) step(text.charCodeAt(i));
  } else {
    for (const byte of encoder.encode(text)) step(byte);
  }
  return [hi, lo];
}

/** 16 hex digits of the FNV-1a hash: the opaque identifiers (payment, key, system prompt) labs send. */
export function opaqueHash(text: string): string {
  const [hi, lo] = fnv1a64(text);
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
