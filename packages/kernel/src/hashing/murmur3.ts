const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3 x86 32-bit (Austin Appleby) of the bytes `b[start..end)`, as an unsigned 32-bit integer.
 *
 * @param b - the bytes
 * @param start - first byte (inclusive)
 * @param end - last byte (exclusive)
 * @param seed - the 32-bit seed
 * @returns the hash in [0, 2^32)
 * @example
 * murmur3Bytes(new Uint8Array(0), 0, 0, 1); // 0x514e28b7
 */
export function murmur3Bytes(b: Uint8Array, start: number, end: number, seed: number): number {
  return murmur3BytesInt32(b, start, end, seed) >>> 0;
}

/**
 * {@link murmur3Bytes} as a signed 32-bit integer (the same 32 bits, `h | 0`). V8 keeps such a value a
 * small integer, whereas an unsigned result ≥ 2^31 is boxed as a heap number when the call is not
 * inlined; for masking (`& (2^bits − 1)`) both give the same slot.
 *
 * @example
 * murmur3BytesInt32(new Uint8Array(0), 0, 0, 0xffffffff); // 0x81f16f39 | 0 = −2114883783
 */
export function murmur3BytesInt32(b: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  const len = end - start;
  const blocksEnd = start + (len & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rem = len & 3;
  if (rem > 0) {
    let k = 0;
    if (rem === 3) k ^= b[i + 2] << 16;
    if (rem >= 2) k ^= b[i + 1] << 8;
    k ^= b[i];
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix(h, len);
}

/**
 * MurmurHash3 x86 32-bit of the UTF-8 encoding of a JavaScript string, encoded on the fly without
 * allocating: a surrogate pair becomes its 4-byte code point and a lone surrogate becomes U+FFFD
 * (EF BF BD), exactly as `TextEncoder` encodes it, so
 * `murmur3(s, seed) === murmur3Bytes(new TextEncoder().encode(s), 0, n, seed)`.
 * Equal to Python's `mmh3.hash(s.encode('utf-8'), seed, signed=False)` for well-formed strings.
 *
 * @param s - the string (e.g. a feature name)
 * @param seed - the 32-bit seed
 * @returns the hash in [0, 2^32)
 * @example
 * murmur3('', 0);    // 0
 * murmur3('foo', 0); // 4138058784
 */
export function murmur3(s: string, seed: number): number {
  return murmur3Int32(s, seed) >>> 0;
}

/**
 * {@link murmur3} as a signed 32-bit integer (the same 32 bits, `h | 0`): allocation-free even where V8
 * does not inline the call (an unsigned result ≥ 2^31 would be boxed as a heap number). FeatureHasher
 * uses it; `murmur3Int32(s, seed) & mask === murmur3(s, seed) & mask`.
 *
 * @example
 * murmur3Int32('foo', 0); // 0xf6a5c420 | 0 = −156908512 (Python: mmh3.hash('foo'))
 */
export function murmur3Int32(s: string, seed: number): number {
  let h = seed | 0;
  let k = 0; // pending little-endian block
  let shift = 0; // bits already in k (0, 8, 16, 24)
  let len = 0; // UTF-8 bytes so far
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (shift === 0 && i + 3 < n) {
      // fast path: four ASCII characters make one whole block
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const c3 = s.charCodeAt(i + 3);
      if ((c | c1 | c2 | c3) < 0x80) {
        k = c | (c1 << 8) | (c2 << 16) | (c3 << 24);
        k = Math.imul(k, C1);
        k = (k << 15) | (k >>> 17);
        k = Math.imul(k, C2);
        h ^= k;
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        k = 0;
        len += 4;
        i += 3;
        continue;
      }
    }
    if (c < 0x80) {
      // ASCII fast path: one byte
      k |= c << shift;
      len++;
      if (shift === 24) {
        k = Math.imul(k, C1);
        k = (k << 15) | (k >>> 17);
        k = Math.imul(k, C2);
        h ^= k;
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        k = 0;
        shift = 0;
      } else {
        shift += 8;
      }
      continue;
    }
    // pack the 2..4 UTF-8 bytes of the code point into `bytes`, first byte lowest
    let bytes: number;
    let nb: number;
    if (c < 0x800) {
      bytes = (0xc0 | (c >> 6)) | ((0x80 | (c & 0x3f)) << 8);
      nb = 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd; // lone surrogate, as TextEncoder does
        }
      }
      if (c < 0x10000) {
        bytes = (0xe0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
        nb = 3;
      } else {
        bytes =
          (0xf0 | (c >> 18)) |
          ((0x80 | ((c >> 12) & 0x3f)) << 8) |
          ((0x80 | ((c >> 6) & 0x3f)) << 16) |
          ((0x80 | (c & 0x3f)) << 24);
        nb = 4;
      }
    }
    len += nb;
    for (let j = 0; j < nb; j++) {
      k |= ((bytes >>> (8 * j)) & 0xff) << shift;
      if (shift === 24) {
        k = Math.imul(k, C1);
        k = (k << 15) | (k >>> 17);
        k = Math.imul(k, C2);
        h ^= k;
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        k = 0;
        shift = 0;
      } else {
        shift += 8;
      }
    }
  }
  if (shift > 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix(h, len);
}

/** MurmurHash3's finaliser, as a signed 32-bit integer. */
function fmix(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
