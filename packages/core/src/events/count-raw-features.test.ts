import { describe, expect, it } from 'vitest';
import { Rng } from '@logit-stream/kernel';
import { countRawFeatures, RAW_COUNT_UNKNOWN } from './count-raw-features.js';

const enc = new TextEncoder();
const count = (s: string, limit = 1000): number => countRawFeatures(enc.encode(s), limit);

describe('countRawFeatures', () => {
  it('counts object members and array elements as written, skipping nested containers and strings', () => {
    expect(count('{"id":"a","features":{"x":1,"y":[1,2,3],"z":{"a":1,"b":2}}}')).toBe(3);
    expect(count('{"features":[1, 2 ,3.5e2,-0]}')).toBe(4);
    expect(count('{"features":{}}')).toBe(0);
    expect(count('{"features":[ ]}')).toBe(0);
    expect(count(' \n{ "label" : 1 , "features" : { "a,b:c}" : 1 , "\\"}," : 2 } }')).toBe(2);
    expect(count('{"meta":{"features":[1,2,3]},"features":[1]}')).toBe(1);
    expect(count('{"id":"features","features":[1,2]}')).toBe(2);
  });

  it('stops as soon as the count exceeds the limit, even in a truncated text', () => {
    expect(count('{"features":[1,2,3,4,5,6,7', 3)).toBe(4);
    expect(count('{"features":{"a":1,"b":2,"c":3,"d"', 3)).toBe(4);
  });

  it('does not count a trailing comma as an entry', () => {
    expect(count('{"features":[1,2,]}')).toBe(2);
    expect(count('{"features":{"a":1,}}')).toBe(1);
  });

  it('says unknown for what it cannot see plainly (the decoder then parses as usual)', () => {
    for (const s of [
      '[1,2,3]',
      '"features"',
      '{"id":"a"}',
      '{"features":7}',
      '{"features":"[1,2,3]"}',
      '{"feat\\u0075res":[1,2,3]}',
      '{"features":[1,2,3',
      '{"features":["unterminated',
      '',
    ]) {
      expect(count(s), s).toBe(RAW_COUNT_UNKNOWN);
    }
  });

  it('agrees with JSON.parse on random valid events (count = Object.keys / length, capped at limit + 1)', () => {
    const rng = new Rng(7);
    const names = ['a', 'b,c', 'd:e', 'f"g', 'h\\i', 'j}k', 'l]m', 'ü', '😀'];
    for (let t = 0; t < 500; t++) {
      const n = rng.nextInt(12);
      const dense = rng.next() < 0.5;
      let features: unknown;
      if (dense) features = Array.from({ length: n }, (_, k) => (rng.next() < 0.2 ? [k, { x: ',' }] : rng.gaussian()));
      else {
        const o: Record<string, unknown> = {};
        for (let k = 0; k < n; k++) o[`${names[rng.nextInt(names.length)]}${k}`] = rng.next() < 0.2 ? { v: [1, '],'] } : rng.next();
        features = o;
      }
      const ev = rng.next() < 0.5 ? { id: `e-${t}`, note: '{"features":[9,9]}', features, label: 1 } : { features, id: 'x' };
      const text = JSON.stringify(ev, null, rng.next() < 0.3 ? 2 : undefined);
      const limit = rng.nextInt(15);
      expect(count(text, limit), text).toBe(Math.min(n, limit + 1));
    }
  });
});
