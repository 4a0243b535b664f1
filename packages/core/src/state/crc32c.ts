const POLY = 0x82f63b78; // CRC-32C (Castagnoli), reflected

/** Slicing-by-8 tables: T[k·256 + b] is the CRC of byte b followed by k zero bytes. */
const T = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 8; k++) T[k * 256 + n] = (T[(k - 1) * 256 + n] >>> 8) ^ T[T[(k - 1) * 256 + n] & 255];
}

/** a·b modulo the CRC polynomial, in the reflected bit order (zlib's multmodp). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** X2N[k] = x^(2^k) modulo the polynomial. */
const X2N = new Uint32Array(32);
{
  let p = 1 << 30; // x^1
  X2N[0] = p;
  for (let n = 1; n < 32; n++) X2N[n] = p = multModP(p, p);
}

/**
 * The CRC-32C of A‖B from crc(A), crc(B) and the length of B (zlib's crc32_combine): crc(A) is
 * multiplied by x^(8·|B|) modulo the polynomial.
 *
 * @param crcA - the CRC-32C of the first part
 * @param crcB - the CRC-32C of the second part
 * @param lengthB - the second part's length in bytes
 * @returns the unsigned 32-bit CRC of both parts
 * @example
 * crc32cCombine(crc32c(a), crc32c(b), b.length) === crc32c(concat(a, b)) // true
 */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  let p = 0x80000000; // x^0
  let k = 3; // 8·n bits = 2^3·n
  for (let n = lengthB; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multModP(X2N[k & 31], p);
  return (multModP(p, crcA) ^ crcB) >>> 0;
}

/** The CRC register after `b[start, end)`, from register `c` (slicing-by-8 on bytes). */
function bytewise(c: number, b: Uint8Array, start: number, end: number): number {
  let i = start;
  const end8 = end - ((end - start) & 7);
  for (; i < end8; i += 8) {
    const lo = c ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    c =
      T[1792 + (lo & 255)] ^
      T[1536 + ((lo >>> 8) & 255)] ^
      T[1280 + ((lo >>> 16) & 255)] ^
      T[1024 + (lo >>> 24)] ^
      T[768 + b[i + 4]] ^
      T[512 + b[i + 5]] ^
      T[256 + b[i + 6]] ^
      T[b[i + 7]];
  }
  for (; i < end; i++) c = T[(c ^ b[i]) & 255] ^ (c >>> 8);
  return c;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this many bytes the four-lane loop does not pay for its three combines. */
const LANES_FROM = 1024;

/**
 * CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected, as in iSCSI, ext4 and Kafka record batches) of
 * `bytes`, computed slicing-by-8 (Intel's method). From 1 KiB on a little-endian machine, four
 * independent lanes run in one loop over 32-bit words (so the CPU overlaps their table look-ups) and
 * are joined with {@link crc32cCombine}: about twice the one-lane speed, which matters for model
 * snapshots (megabytes) and the Kafka producer's record batches. Detects corruption: a CRC catches
 * every burst error up to 32 bits and misses random damage with probability 2^−32. It is not a
 * cryptographic hash and does not protect against deliberate tampering.
 *
 * @param bytes - the data (any view; only `byteOffset .. byteOffset + length` is read)
 * @param crc - the CRC of the preceding data, to checksum in pieces (default 0: start)
 * @returns the unsigned 32-bit CRC
 * @example
 * crc32c(new TextEncoder().encode('123456789')) // 0xe3069283
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  const n = bytes.length;
  let c0 = ~crc;
  if (n < LANES_FROM || !LITTLE_ENDIAN) return ~bytewise(c0, bytes, 0, n) >>> 0;
  let i = 0;
  for (; ((bytes.byteOffset + i) & 3) !== 0; i++) c0 = T[(c0 ^ bytes[i]) & 255] ^ (c0 >>> 8);
  const lane = ((n - i) >>> 2) & ~7; // bytes per lane, a multiple of 8
  const w = lane >>> 2; // words per lane
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, 4 * w);
  let c1 = -1;
  let c2 = -1;
  let c3 = -1;
  for (let p = 0; p < w; p += 2) {
    const a0 = c0 ^ words[p];
    const a1 = c1 ^ words[p + w];
    const a2 = c2 ^ words[p + 2 * w];
    const a3 = c3 ^ words[p + 3 * w];
    const h0 = words[p + 1];
    const h1 = words[p + w + 1];
    const h2 = words[p + 2 * w + 1];
    const h3 = words[p + 3 * w + 1];
    c0 = T[1792 + (a0 & 255)] ^ T[1536 + ((a0 >>> 8) & 255)] ^ T[1280 + ((a0 >>> 16) & 255)] ^ T[1024 + (a0 >>> 24)] ^ T[768 + (h0 & 255)] ^ T[512 + ((h0 >>> 8) & 255)] ^ T[256 + ((h0 >>> 16) & 255)] ^ T[h0 >>> 24];
    c1 = T[1792 + (a1 & 255)] ^ T[1536 + ((a1 >>> 8) & 255)] ^ T[1280 + ((a1 >>> 16) & 255)] ^ T[1024 + (a1 >>> 24)] ^ T[768 + (h1 & 255)] ^ T[512 + ((h1 >>> 8) & 255)] ^ T[256 + ((h1 >>> 16) & 255)] ^ T[h1 >>> 24];
    c2 = T[1792 + (a2 & 255)] ^ T[1536 + ((a2 >>> 8) & 255)] ^ T[1280 + ((a2 >>> 16) & 255)] ^ T[1024 + (a2 >>> 24)] ^ T[768 + (h2 & 255)] ^ T[512 + ((h2 >>> 8) & 255)] ^ T[256 + ((h2 >>> 16) & 255)] ^ T[h2 >>> 24];
    c3 = T[1792 + (a3 & 255)] ^ T[1536 + ((a3 >>> 8) & 255)] ^ T[1280 + ((a3 >>> 16) & 255)] ^ T[1024 + (a3 >>> 24)] ^ T[768 + (h3 & 255)] ^ T[512 + ((h3 >>> 8) & 255)] ^ T[256 + ((h3 >>> 16) & 255)] ^ T[h3 >>> 24];
  }
  const lastLane = i + 3 * lane;
  c3 = bytewise(c3, bytes, lastLane + lane, n); // the tail continues the last lane
  let out = crc32cCombine(~c0 >>> 0, ~c1 >>> 0, lane);
  out = crc32cCombine(out, ~c2 >>> 0, lane);
  return crc32cCombine(out, ~c3 >>> 0, n - lastLane);
}
