import { describe, expect, it } from 'vitest';
import { crc32c, crc32cCombine } from './crc32c.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** The bitwise definition of CRC-32C: the reference every faster loop is checked against. */
const ref = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
};

/** Deterministic pseudo-random bytes (xorshift32), so a failure can be reproduced. */
function randomBytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 255;
  }
  return b;
}

describe('crc32c', () => {
  it('gives the standard check value 0xE3069283 for "123456789"', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 (iSCSI) B.4 vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    const inc = new Uint8Array(32);
    for (let i = 0; i < 32; i++) inc[i] = i;
    expect(crc32c(inc)).toBe(0x46dd794e);
  });

  it('agrees with a bitwise reference on random data of every length 0..200 and at every alignment', () => {
    let s = 11;
    const data = new Uint8Array(210);
    for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n <= 200; n++) {
      const b = data.subarray(n % 7, (n % 7) + n);
      expect(crc32c(b)).toBe(ref(b));
    }
  });

  it('is 0 for no data and can be computed in pieces', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const all = bytes('the quick brown fox');
    expect(crc32c(all.subarray(7), crc32c(all.subarray(0, 7)))).toBe(crc32c(all));
  });

  it('matches the reference on 300 ranges: lengths 0..200 000 around the 1 KiB four-lane threshold, every start alignment, views at odd offsets', () => {
    const big = randomBytes(200_016, 7);
    const unaligned = big.subarray(1); // byteOffset 1: the lanes start after a 3-byte head
    const lengths = [0, 1, 7, 8, 9, 1023, 1024, 1025, 1031, 1032, 4096, 65_536, 166_001, 200_000];
    let n = 0;
    for (const len of lengths) {
      for (let s = 0; s < 8; s++) {
        for (const b of [big, unaligned]) {
          const range = b.subarray(s, s + len);
          expect(crc32c(range)).toBe(ref(range));
          n++;
        }
      }
    }
    for (let k = 0; k < 76; k++) {
      const start = (k * 7919) % 5000;
      const range = big.subarray(start, start + ((k * 104_729) % 150_000));
      expect(crc32c(range)).toBe(ref(range));
      n++;
    }
    expect(n).toBe(300);
    // in pieces across the four-lane path too
    expect(crc32c(big.subarray(70_001), crc32c(big.subarray(0, 70_001)))).toBe(crc32c(big));
  });

  it('crc32cCombine(crc(A), crc(B), |B|) is crc(A‖B), for empty and long parts', () => {
    const a = randomBytes(5000, 3);
    const b = randomBytes(70_001, 11);
    const ab = new Uint8Array(a.length + b.length);
    ab.set(a);
    ab.set(b, a.length);
    expect(crc32cCombine(crc32c(a), crc32c(b), b.length)).toBe(crc32c(ab));
    expect(crc32cCombine(crc32c(a), crc32c(new Uint8Array(0)), 0)).toBe(crc32c(a));
    expect(crc32cCombine(crc32c(new Uint8Array(0)), crc32c(b), b.length)).toBe(crc32c(b));
  });
});
