import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { base64Length, decodeBase64, encodeBase64, encodeBase64Into } from './base64.js';
import { referenceDecodeBase64 } from './reference/index.js';

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

  it('encodeBase64Into writes what Buffer writes, for zero runs and dense data, every length 0..100 and 3000..3030, at every source and output alignment', () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    const lengths = [...Array.from({ length: 101 }, (_, i) => i), ...Array.from({ length: 31 }, (_, i) => 3000 + i)];
    for (const n of lengths) {
      for (const kind of ['zeros', 'sparse', 'dense']) {
        const src = new Uint8Array(n + 8);
        for (let i = 0; i < src.length; i++) src[i] = kind === 'dense' || (kind === 'sparse' && rnd() < 8) ? rnd() : 0;
        for (const from of [0, 1, 4, 7]) {
          const b = src.subarray(from, from + n);
          const want = Buffer.from(b).toString('base64');
          for (const at of [0, 3]) {
            const out = new Uint8Array(at + base64Length(n) + 2).fill(42);
            const runs: number[] = [];
            expect(encodeBase64Into(b, out, at, runs)).toBe(at + want.length);
            expect(Buffer.from(out.subarray(at, at + want.length)).toString('latin1')).toBe(want);
            // nothing outside the text is touched
            expect(out[at + want.length]).toBe(42);
            if (at > 0) expect(out[at - 1]).toBe(42);
            // every recorded run is all 'A' (one check per combination: a per-byte expect made this test take seconds)
            let runBytesNotA = 0;
            for (let r = 0; r < runs.length; r += 2) for (let i = runs[r]; i < runs[r + 1]; i++) if (out[i] !== 65) runBytesNotA++;
            expect(runBytesNotA).toBe(0);
          }
          expect(encodeBase64(b)).toBe(want);
        }
      }
    }
    expect(() => encodeBase64Into(new Uint8Array(3), new Uint8Array(3), 0)).toThrow(RangeError);
  });

  it('decodeBase64 gives the reference bytes, or the reference error message, for valid and damaged texts', () => {
    let seed = 7;
    const rnd = (n: number) => (((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n);
    const bad = ['-', '=', 'é', '\ud800', ' ', '\u0000', '*', 'A', '😀'];
    let refused = 0;
    for (let k = 0; k < 600; k++) {
      const n = rnd(4) === 0 ? 3000 + rnd(40) : rnd(60);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = rnd(5) === 0 ? rnd(256) : 0;
      let text = Buffer.from(b).toString('base64');
      if (k % 3 !== 0 && text.length > 0) {
        const at = rnd(text.length);
        text = text.slice(0, at) + bad[rnd(bad.length)] + text.slice(at + 1);
      }
      let want: string;
      try {
        want = Buffer.from(referenceDecodeBase64(text)).toString('hex');
      } catch (e) {
        want = `error:${(e as CoreError).code}:${(e as Error).message}`;
        refused++;
      }
      let got: string;
      try {
        got = Buffer.from(decodeBase64(text)).toString('hex');
      } catch (e) {
        got = `error:${(e as CoreError).code}:${(e as Error).message}`;
      }
      expect(got).toBe(want);
    }
    expect(refused).toBeGreaterThan(200);
  });

  it('decodeBase64 returns a fresh buffer of its own each time (the scratch space is not shared)', () => {
    const a = decodeBase64('AAAAAAAA8D8=');
    const b = decodeBase64('AAAAAAAA8L8=');
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(8);
    expect(new Float64Array(a.buffer)[0]).toBe(1);
    expect(new Float64Array(b.buffer)[0]).toBe(-1);
  });

  it('decodeBase64 of long zero runs (skipped in blocks) ending at every position near block edges, with or without padding, equals Buffer', () => {
    for (const n of [0, 47, 48, 49, 1535, 1536, 1537, 3071, 3072, 3073, 9000]) {
      for (const at of [-1, 0, 47, 48, 384, 385, n - 2, n - 1]) {
        const b = new Uint8Array(n);
        if (at >= 0 && at < n) b[at] = 0x5a;
        const text = Buffer.from(b).toString('base64');
        expect(Buffer.from(decodeBase64(text)).equals(Buffer.from(b))).toBe(true);
        // a bad character after a long run is still found, at its position
        if (text.length >= 8) {
          const bad = text.slice(0, text.length - 6) + '-' + text.slice(text.length - 5);
          expect(() => decodeBase64(bad)).toThrow(`"-" at position ${text.length - 6}`);
        }
      }
    }
  });
});
