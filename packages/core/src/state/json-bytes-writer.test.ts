import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { JsonBytesWriter } from './json-bytes-writer.js';
import { referenceCanonicalJson } from './reference/index.js';
import { Gen } from './reference/random-payload.js';

const text = (w: JsonBytesWriter) => new TextDecoder().decode(w.bytes());

describe('JsonBytesWriter', () => {
  it('canonical() writes the UTF-8 of the reference canonicalJson for 500 parsed random bodies', () => {
    const g = new Gen(new Rng(9));
    for (let i = 0; i < 500; i++) {
      // a JSON value as JSON.parse returns it (what the decoder checksums)
      const v = JSON.parse(JSON.stringify({ s: g.string(), k: { [g.key()]: g.string(), [g.key()]: [g.double(), g.string(), null, true] } }));
      const w = new JsonBytesWriter(64);
      w.canonical(v);
      const want = referenceCanonicalJson(v);
      expect(Buffer.from(w.bytes()).equals(Buffer.from(want, 'utf8'))).toBe(true);
    }
  });

  it('string() equals JSON.stringify for every escaped character at every position of short and long strings (the 4-byte check at each alignment)', () => {
    const odd = ['"', '\\', '\n', '\u0000', '\u001f', '\u007f', ' ', '~', 'é', '\u2028', '\ud800', '\udc00', '😀', '!', '#', '[', ']'];
    for (const lead of [0, 1, 2, 3]) {
      for (const n of [1, 5, 31, 32, 33, 40, 67]) {
        for (let at = 0; at < n; at += 3) {
          for (const c of odd) {
            const s = 'x'.repeat(at) + c + 'y'.repeat(n - at - 1);
            const w = new JsonBytesWriter(64);
            w.ascii('['.repeat(lead));
            w.string(s);
            expect(text(w)).toBe('['.repeat(lead) + JSON.stringify(s));
          }
        }
      }
    }
  });

  it('canonical() of non-JSON values follows canonicalJson (undefined/functions as null, NaN as null, holes as null)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const v = { a: [undefined, () => 1, NaN, -0, Infinity, , 1e21, 5e-324], b: undefined, c: { z: 1, a: 2, é: 3, $: 4 }, d: new Date(0) };
    const w = new JsonBytesWriter();
    w.canonical(v);
    expect(text(w)).toBe(referenceCanonicalJson(v));
    expect(text(w)).toBe('{"a":[null,null,null,0,null,null,1e+21,5e-324],"c":{"$":4,"a":2,"z":1,"é":3},"d":{}}');
  });

  it('documented example', () => {
    const w = new JsonBytesWriter();
    w.canonical({ b: [1, 'x'], a: null });
    expect(text(w)).toBe('{"a":null,"b":[1,"x"]}');
  });

  it('base64() records its runs of A, and they are all A', () => {
    const w = new JsonBytesWriter(16);
    w.ascii('"');
    const data = new Float64Array(5000);
    data[10] = 1;
    data[4000] = -2;
    w.base64(new Uint8Array(data.buffer));
    const b = w.bytes();
    expect(w.runs.length).toBeGreaterThanOrEqual(4);
    for (let r = 0; r < w.runs.length; r += 2) {
      expect(w.runs[r]).toBeLessThan(w.runs[r + 1]);
      for (let i = w.runs[r]; i < w.runs[r + 1]; i++) if (b[i] !== 65) throw new Error(`byte ${i} in a run is not A`);
    }
    expect(text(w)).toBe('"' + Buffer.from(data.buffer).toString('base64'));
  });

  it('string() records the runs of ≥ 4 KiB of A of a copied text, all A, and drops them when the text needs escaping after all', () => {
    for (const lead of [0, 1, 2, 3]) {
      const s = 'xy' + 'A'.repeat(5000) + 'q' + 'A'.repeat(4095) + 'z' + 'A'.repeat(9000);
      const w = new JsonBytesWriter(64);
      w.ascii('['.repeat(lead));
      w.string(s);
      expect(text(w)).toBe('['.repeat(lead) + JSON.stringify(s));
      expect(w.runs.length).toBe(4); // 5000 and 9000, not the 4095 below the threshold
      const b = w.bytes();
      let covered = 0;
      for (let r = 0; r < w.runs.length; r += 2) {
        for (let i = w.runs[r]; i < w.runs[r + 1]; i++) if (b[i] !== 65) throw new Error(`byte ${i} in a run is not A`);
        covered += w.runs[r + 1] - w.runs[r];
      }
      expect(covered).toBeGreaterThan(14_000 - 16);
      const e = new JsonBytesWriter(64);
      e.string('A'.repeat(9000) + '"');
      expect(e.runs).toEqual([]);
      expect(text(e)).toBe(JSON.stringify('A'.repeat(9000) + '"'));
    }
  });
});
