import { crc32c as platformaticCrc32c } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cCombine } from './crc32c.js';

/** Deterministic pseudo-random bytes (xorshift32), so a failure can be reproduced. */
function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafeSlow(n);
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
  it('matches the published CRC-32C check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('equals @platformatic/kafka crc32c on 300 random ranges: lengths 0..200 000 around the 1 KiB four-lane threshold, any start and end alignment, aligned and unaligned buffers', () => {
    const big = randomBytes(200_016, 7);
    const unaligned = big.subarray(1); // byteOffset 1: the one-lane path
    const lengths = [0, 1, 7, 8, 9, 1023, 1024, 1025, 1031, 1032, 4096, 65_536, 166_001, 200_000];
    let n = 0;
    for (const len of lengths) {
      for (let s = 0; s < 8; s++) {
        for (const b of [big, unaligned]) {
          const range = b.subarray(s, s + len);
          expect(crc32c(b, s, s + len)).toBe(platformaticCrc32c(Buffer.from(range)));
          n++;
        }
      }
    }
    for (let k = 0; k < 76; k++) {
      const start = (k * 7919) % 5000;
      const end = start + ((k * 104_729) % 150_000);
      expect(crc32c(big, start, end)).toBe(platformaticCrc32c(Buffer.from(big.subarray(start, end))));
      n++;
    }
    expect(n).toBe(300);
  });

  it('crc32cCombine(crc(A), crc(B), |B|) is crc(A‖B), for empty and long parts', () => {
    const a = randomBytes(5000, 3);
    const b = randomBytes(70_001, 11);
    const ab = Buffer.concat([a, b]);
    expect(crc32cCombine(crc32c(a), crc32c(b), b.length)).toBe(crc32c(ab));
    expect(crc32cCombine(crc32c(a), crc32c(Buffer.alloc(0)), 0)).toBe(crc32c(a));
    expect(crc32cCombine(crc32c(Buffer.alloc(0)), crc32c(b), b.length)).toBe(crc32c(b));
  });
});
