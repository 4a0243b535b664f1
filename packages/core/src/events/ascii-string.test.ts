import { describe, expect, it } from 'vitest';
import { asciiString } from './ascii-string.js';

describe('asciiString', () => {
  it('gives the same string as TextDecoder for every length 0..40 at every offset 0..8', () => {
    const all = new Uint8Array(64);
    for (let i = 0; i < all.length; i++) all[i] = 32 + ((i * 37) % 95);
    const dec = new TextDecoder();
    for (let at = 0; at <= 8; at++) {
      for (let len = 0; len <= 40; len++) expect(asciiString(all, at, at + len)).toBe(dec.decode(all.subarray(at, at + len)));
    }
  });

  it('reads control characters and DEL as their code units', () => {
    expect(asciiString(new Uint8Array([0, 9, 10, 127]), 0, 4)).toBe('\u0000\t\n\u007f');
  });
});
