import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from './utf8-error.js';

const b = (...xs: number[]) => new Uint8Array(xs);

describe('firstInvalidUtf8', () => {
  it('accepts valid UTF-8 of every length, including the extremes of each range', () => {
    expect(firstInvalidUtf8(new TextEncoder().encode('aé€😀\u{10ffff}\u{ffff}\u0000'))).toBe(-1);
    expect(firstInvalidUtf8(b())).toBe(-1);
  });

  it('points at the start of the first bad sequence', () => {
    expect(firstInvalidUtf8(b(0x61, 0xc3, 0x28))).toBe(1); // bad continuation
    expect(firstInvalidUtf8(b(0x61, 0x80))).toBe(1); // lone continuation
    expect(firstInvalidUtf8(b(0xc0, 0xaf))).toBe(0); // overlong '/'
    expect(firstInvalidUtf8(b(0xe0, 0x80, 0xaf))).toBe(0); // overlong 3-byte
    expect(firstInvalidUtf8(b(0xed, 0xa0, 0x80))).toBe(0); // surrogate U+D800
    expect(firstInvalidUtf8(b(0xf4, 0x90, 0x80, 0x80))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(b(0xf5, 0x80, 0x80, 0x80))).toBe(0);
    expect(firstInvalidUtf8(b(0x61, 0x62, 0xe2, 0x82))).toBe(2); // truncated at the end
    expect(firstInvalidUtf8(b(0xff))).toBe(0);
  });

  it('agrees with a fatal TextDecoder on 20 000 random short byte strings (reference implementation)', () => {
    const dec = new TextDecoder('utf-8', { fatal: true });
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let t = 0; t < 20000; t++) {
      const n = 1 + (rnd() % 6);
      const x = new Uint8Array(n);
      // bias towards multi-byte lead and continuation bytes so that interesting cases are common
      for (let i = 0; i < n; i++) x[i] = rnd() < 128 ? 0x80 | (rnd() & 0x7f) : rnd();
      let valid = true;
      try {
        dec.decode(x);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(x) === -1, Array.from(x).join(',')).toBe(valid);
    }
  });

  it('checks only the range [start, end) and returns offsets in the whole array', () => {
    const x = b(0xff, 0x61, 0xc3, 0xa9, 0x62, 0xff);
    expect(firstInvalidUtf8(x, 1, 5)).toBe(-1); // 'aéb' between two invalid bytes
    expect(firstInvalidUtf8(x, 1, 3)).toBe(2); // é cut by the end of the range
    expect(firstInvalidUtf8(x, 3, 5)).toBe(3); // starts on a continuation byte
    expect(firstInvalidUtf8(x, 4)).toBe(5);
    expect(firstInvalidUtf8(x, 2, 2)).toBe(-1); // empty range
  });
});
