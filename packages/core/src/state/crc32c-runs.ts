import { crc32c, crc32cCombine } from './crc32c.js';

const A = 0x41; // 'A': base64 of six zero bits
/** Runs shorter than this many bytes are checksummed byte by byte (the combines would cost more). */
const MIN_RUN = 4096;

/** A_POW[k] = CRC-32C of 2^k bytes `A`. */
const A_POW = new Uint32Array(31);
A_POW[0] = crc32c(new Uint8Array([A]));
for (let k = 1; k < 31; k++) A_POW[k] = crc32cCombine(A_POW[k - 1], A_POW[k - 1], 2 ** (k - 1));

/** CRC-32C of `n` bytes `A` (n < 2^31), from the powers of two. */
function crcOfAs(n: number): number {
  let c = 0;
  for (let k = 0; n > 0; k++, n = Math.floor(n / 2)) if (n % 2 === 1) c = crc32cCombine(c, A_POW[k], 2 ** k);
  return c;
}

/**
 * CRC-32C of `bytes`, the same value as {@link crc32c}, when the caller knows where the data holds
 * runs of the byte `A` (0x41, base64 of zero bits: a hashed model's weights are mostly zeros): each
 * given run of at least 4 KiB is taken in O(log n) with {@link crc32cCombine} (the CRC of n `A`s from
 * those of powers of two) instead of byte by byte; the rest goes through {@link crc32c}. The runs
 * are trusted, not read: a range that is not all `A` gives a wrong CRC.
 *
 * @param bytes - the data (any view)
 * @param runs - `[start0, end0, start1, end1, …]`: byte ranges `[start, end)` of `bytes` that are all `A`,
 *   ascending and disjoint (e.g. what {@link encodeBase64Into} reports)
 * @param crc - the CRC of the preceding data (default 0: start)
 * @returns the unsigned 32-bit CRC
 * @example
 * const b = new TextEncoder().encode('x' + 'A'.repeat(10000) + 'y');
 * crc32cWithRuns(b, [1, 10001]) === crc32c(b) // true
 */
export function crc32cWithRuns(bytes: Uint8Array, runs: ArrayLike<number>, crc = 0): number {
  let c = crc;
  let done = 0;
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const start = runs[r];
    const end = runs[r + 1];
    if (end - start < MIN_RUN) continue;
    c = crc32c(bytes.subarray(done, start), c);
    c = crc32cCombine(c, crcOfAs(end - start), end - start);
    done = end;
  }
  return crc32c(bytes.subarray(done), c);
}
