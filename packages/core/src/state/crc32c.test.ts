import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

const bytes = (s: string) => new TextEncoder().encode(s);

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
    const ref = (b: Uint8Array) => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
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
});
