/**
 * The most bytes {@link writeJsNumber} writes for one finite double: `-0.0000012345678901234567`
 * (sign, `0.`, five zeros, 17 digits) is the longest `String(x)`; exponent forms are at most 24.
 */
export const JS_NUMBER_MAX_BYTES = 25;

/**
 * Writes the ASCII bytes of `String(x)` (ECMAScript Number::toString) for a finite double into `out`
 * at `pos` and returns the position after the last byte. An integer below 2^53 in magnitude (ids,
 * timestamps, labels, model versions) is written by a digit loop; any other value copies the
 * characters of `'' + x` (no cons-string, no `Buffer.byteLength`, but the number's string itself is
 * made). −0 is written `0`, as `String(-0)` is; NaN and ±Infinity are written as their names (callers
 * writing JSON test for them first). The caller leaves at least {@link JS_NUMBER_MAX_BYTES} bytes free.
 *
 * @param x - the number (finite for JSON)
 * @param out - the bytes to write into
 * @param pos - where the first byte goes
 * @returns the position after the last byte written
 * @example
 * const b = new Uint8Array(32);
 * const end = writeJsNumber(0.1 + 0.2, b, 0); // end === 19
 * new TextDecoder().decode(b.subarray(0, end)) // '0.30000000000000004'
 */
export function writeJsNumber(x: number, out: Uint8Array, pos: number): number {
  if (x === Math.floor(x) && x < 9007199254740992 && x > -9007199254740992) return writeSafeInteger(x, out, pos);
  const s = '' + x;
  const n = s.length;
  for (let i = 0; i < n; i++) out[pos + i] = s.charCodeAt(i);
  return pos + n;
}

/** The decimal digits of an integer |x| < 2^53 (−0 as `0`): two int digit loops of at most 8 and 9 digits. */
function writeSafeInteger(x: number, out: Uint8Array, pos: number): number {
  if (x < 0) {
    out[pos++] = 0x2d; // '-'
    x = -x;
  }
  if (x < 2147483648) return writeUint31(x | 0, out, pos);
  const hi = Math.floor(x / 1e8); // < 2^53 / 10^8 < 2^27; hi · 10^8 < 2^53 is exact
  const lo = x - hi * 1e8;
  pos = writeUint31(hi, out, pos);
  return writeDigits(lo, 8, out, pos);
}

/** The decimal digits of 0 ≤ v < 2^31 without leading zeros. */
function writeUint31(v: number, out: Uint8Array, pos: number): number {
  let n = 1;
  for (let t = v; t >= 10; t = (t / 10) | 0) n++;
  return writeDigits(v, n, out, pos);
}

/** Exactly `n` decimal digits of 0 ≤ v < 2^31 (zero-padded on the left). */
function writeDigits(v: number, n: number, out: Uint8Array, pos: number): number {
  for (let i = pos + n - 1; i >= pos; i--) {
    const q = (v / 10) | 0;
    out[i] = 0x30 + v - q * 10;
    v = q;
  }
  return pos + n;
}
