// Stable 64-bit FNV-1a of a string's UTF-16 code units, as 16 hex digits: for deterministic ids
// (campaigns, alerts). Not for security. Pure.

export function fnv1a64Hex(text: string): string {
  // 64-bit FNV-1a with two 32-bit halves; prime 0x100000001b3 = (1 << 40) + 0x1b3.
  let hi = 0xcbf29ce4, lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const newLo = loMul >>> 0;
    const carry = Math.floor(loMul / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + ((lo << 8) >>> 0) + carry) >>> 0;
    lo = newLo;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
