import { crc32c as jsCrc32c } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { CRC32C_IMPLEMENTATION, crc32cOf, pickCrc32c } from './native-crc32c.js';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

describe('crc32cOf', () => {
  it('gives the RFC 3720 check values (32 × 0x00, 32 × 0xff, "123456789")', () => {
    expect(crc32cOf(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32cOf(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32cOf(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it(`equals core's crc32c exactly on random views of every offset and length (implementation: ${CRC32C_IMPLEMENTATION})`, () => {
    const big = bytes(70_000, 7);
    for (const n of [0, 1, 3, 7, 8, 15, 16, 63, 64, 65, 1000, 65_536]) {
      for (const off of [0, 1, 2, 3, 5]) {
        const view = big.subarray(off, off + n);
        expect(crc32cOf(view)).toBe(jsCrc32c(view));
      }
    }
    const buf = Buffer.from(big.buffer, 13, 4099); // a Buffer view at an odd offset, as the record batch writer passes
    expect(crc32cOf(buf)).toBe(jsCrc32c(buf));
  });
});

describe('pickCrc32c', () => {
  it('falls back to core when the binding fails to load', () => {
    const p = pickCrc32c(() => {
      throw new Error('Cannot find module @node-rs/crc32-linux-x64-musl');
    });
    expect(p.implementation).toBe('js');
    expect(p.crc32c).toBe(jsCrc32c);
  });

  it('refuses a binding that loads but gives wrong values', () => {
    const p = pickCrc32c(() => ({ crc32c: () => 0 }));
    expect(p.implementation).toBe('js');
  });

  it('uses a binding that gives the right values', () => {
    const p = pickCrc32c(() => ({ crc32c: (b: Uint8Array) => jsCrc32c(b) }));
    expect(p.implementation).toBe('native');
    expect(p.crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
});
