import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('encodeBase64 / decodeBase64', () => {
  it('matches the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(encodeBase64(bytes(plain))).toBe(b64);
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes(plain)));
    }
  });

  it('agrees with Node Buffer on random byte strings of every length 0..300 (reference implementation)', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    for (let n = 0; n <= 300; n++) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = rnd();
      const text = encodeBase64(b);
      expect(text).toBe(Buffer.from(b).toString('base64'));
      expect(decodeBase64(text)).toEqual(b);
    }
  });

  it('reads only the view of a subarray', () => {
    const b = bytes('xxfooxx').subarray(2, 5);
    expect(encodeBase64(b)).toBe('Zm9v');
  });

  it('refuses a bad length, a character outside the alphabet and non-canonical padding bits', () => {
    expect(() => decodeBase64('Zm9')).toThrow(/length 3 is not a multiple of 4/);
    expect(() => decodeBase64('Zm-v')).toThrow(/"-" at position 2/);
    expect(() => decodeBase64('Zm9é')).toThrow(/position 3/);
    expect(() => decodeBase64('Zh==')).toThrow(/non-zero padding bits at position 1/);
    expect(() => decodeBase64('Zm9=')).toThrow(/non-zero padding bits at position 2/);
    expect(() => decodeBase64('Z===')).toThrow(CoreError);
  });
});
