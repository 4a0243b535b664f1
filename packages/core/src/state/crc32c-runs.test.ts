import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { crc32cWithRuns } from './crc32c-runs.js';

/** Bitwise CRC-32C, the definition (reflected polynomial 0x82F63B78). */
function bitwise(b: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < b.length; i++) {
    c ^= b[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32cWithRuns', () => {
  it('equals the bitwise CRC for runs of A of every size around the 4 KiB threshold, at the start, middle and end', () => {
    for (const run of [0, 1, 4095, 4096, 4097, 12_345, 65_536]) {
      for (const [pre, post] of [
        [0, 0],
        [1, 0],
        [0, 3],
        [7, 1000],
      ]) {
        const b = new Uint8Array(pre + run + post);
        for (let i = 0; i < pre; i++) b[i] = (i * 31 + 7) & 255;
        b.fill(65, pre, pre + run);
        for (let i = pre + run; i < b.length; i++) b[i] = (i * 17 + 3) & 255;
        const want = bitwise(b);
        expect(crc32cWithRuns(b, [pre, pre + run])).toBe(want);
        expect(crc32cWithRuns(b, [])).toBe(want);
        // a preceding CRC carries on, and a view at an odd offset is read from its start
        const cut = Math.floor(b.length / 3);
        expect(crc32cWithRuns(b.subarray(cut), [Math.max(0, pre - cut), Math.max(0, pre + run - cut)], crc32c(b.subarray(0, cut)))).toBe(want);
      }
    }
  });

  it('takes several runs (documented example)', () => {
    const b = new TextEncoder().encode('x' + 'A'.repeat(10000) + 'y' + 'A'.repeat(5000) + 'zz');
    expect(crc32cWithRuns(b, [1, 10001, 10002, 15002])).toBe(bitwise(b));
  });
});
