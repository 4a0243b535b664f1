import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null, '10': 1, '9': 2 })).toBe(
      '{"10":1,"9":2,"a":null,"b":[1,{"c":"x","d":2}]}',
    );
  });

  it('is a fixed point of parse + re-serialise, with awkward strings and doubles', () => {
    const v = { s: 'é\u0000"\\\ud800\n', x: [0.1 + 0.2, 1e-320, -1.7976931348623157e308, 5e-324, 123456789012345680000] };
    const text = canonicalJson(v);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(JSON.parse(text)).toEqual(v);
  });

  it('skips undefined properties as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
