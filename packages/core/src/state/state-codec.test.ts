import type { NamedState } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { decodeState, encodeState, MAX_STATE_DEPTH, stateFromJsonValue, stateToJsonValue } from './state-codec.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random 64-bit patterns: special values, denormals, NaNs with payloads, and arbitrary bits. */
function randomFloat64Array(r: () => number, n: number): Float64Array {
  const a = new Float64Array(n);
  const bits = new Uint32Array(a.buffer);
  const specials = [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308 / 3, Number.MAX_VALUE];
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.3) a[i] = specials[Math.floor(r() * specials.length)];
    else if (k < 0.5) {
      // NaN with a random payload (sign and mantissa bits set)
      bits[2 * i] = (r() * 2 ** 32) >>> 0 || 1;
      bits[2 * i + 1] = 0x7ff00000 | ((r() * 2 ** 20) >>> 0) | (r() < 0.5 ? 0x80000000 : 0);
    } else if (k < 0.6) {
      // denormal: exponent bits zero
      bits[2 * i] = (r() * 2 ** 32) >>> 0;
      bits[2 * i + 1] = ((r() * 2 ** 20) >>> 0) | (r() < 0.5 ? 0x80000000 : 0);
    } else {
      bits[2 * i] = (r() * 2 ** 32) >>> 0;
      bits[2 * i + 1] = (r() * 2 ** 32) >>> 0;
    }
  }
  return a;
}

function bitsOf(a: Float64Array | Int32Array | Uint32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4));
}

/** Deep, bit-exact equality: numbers by Object.is (so −0 ≠ 0, NaN = NaN), typed arrays by raw bits. */
function expectBitExact(actual: unknown, expected: unknown, path = 'state'): void {
  if (ArrayBuffer.isView(expected)) {
    expect(actual?.constructor, path).toBe(expected.constructor);
    expect(bitsOf(actual as Float64Array), path).toEqual(bitsOf(expected as Float64Array));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((e, i) => expectBitExact((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (typeof expected === 'object' && expected !== null) {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) {
      expectBitExact((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    }
  } else {
    expect(Object.is(actual, expected), `${path}: ${String(actual)} vs ${String(expected)}`).toBe(true);
  }
}

function randomState(r: () => number, depth: number): NamedState {
  const out: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const key = ['w', 'n', '$tag', '$$x', '', 'constructor', `k${i}`, '$f64'][Math.floor(r() * 8)] + (r() < 0.5 ? '' : String(i));
    const kind = Math.floor(r() * 9);
    const len = Math.floor(r() * 40);
    if (kind === 0) out[key] = randomFloat64Array(r, len);
    else if (kind === 1) out[key] = Int32Array.from({ length: len }, () => (r() * 2 ** 32) | 0);
    else if (kind === 2) out[key] = Uint32Array.from({ length: len }, () => (r() * 2 ** 32) >>> 0);
    else if (kind === 3) out[key] = randomFloat64Array(r, 1)[0];
    else if (kind === 4) out[key] = r() < 0.5;
    else if (kind === 5) out[key] = r() < 0.5 ? null : `s\u0000"\\\ud800é${i}`;
    else if (kind === 6 && depth < 3) out[key] = randomState(r, depth + 1);
    else if (kind === 7 && depth < 3) out[key] = [randomFloat64Array(r, 1)[0], randomState(r, depth + 1), new Float64Array(0)];
    else out[key] = [-0, NaN, Infinity, -Infinity, 1e-320][Math.floor(r() * 5)];
  }
  return out as NamedState;
}

describe('encodeState / decodeState', () => {
  it('round-trips 300 random states bit for bit (typed arrays incl. −0, NaN payloads, denormals; $-keys)', () => {
    const r = rng(42);
    for (let t = 0; t < 300; t++) {
      const s = randomState(r, 0);
      const text = encodeState(s);
      expectBitExact(decodeState(text), s);
      // the text is canonical for a given state: encoding the decoded state gives the same text
      expect(encodeState(decodeState(text))).toBe(text);
    }
  });

  it('tags numbers JSON cannot hold and typed arrays, and escapes $-keys', () => {
    const v = stateToJsonValue({ a: -0, b: NaN, c: Infinity, d: -Infinity, e: 1.5, $f64: 1, w: new Float64Array([1]) });
    expect(v).toEqual({
      a: { $num: '-0' },
      b: { $num: 'NaN' },
      c: { $num: 'Infinity' },
      d: { $num: '-Infinity' },
      e: 1.5,
      $$f64: 1,
      w: { $f64: 'AAAAAAAA8D8=' }, // 1.0 = 0x3FF0000000000000, little-endian
    });
    const back = decodeState(encodeState({ $f64: 1, $$: 2, '': 3, constructor: 4 }));
    expect(back).toEqual({ $f64: 1, $$: 2, '': 3, constructor: 4 });
  });

  it('encodes a typed-array view (subarray) by its own elements only', () => {
    const big = new Float64Array([1, 2, 3, 4]);
    const back = decodeState(encodeState({ w: big.subarray(1, 3) })).w as Float64Array;
    expect(Array.from(back)).toEqual([2, 3]);
  });

  it('refuses values that are not StateValues, naming the path', () => {
    const bad = (s: unknown, re: RegExp) => {
      expect(() => encodeState(s as NamedState)).toThrow(CoreError);
      expect(() => encodeState(s as NamedState)).toThrow(re);
    };
    bad({ a: { b: undefined } }, /^state\.a\.b is undefined/);
    bad({ f: () => 1 }, /state\.f is a function/);
    bad({ x: new Float32Array(2) }, /state\.x is a Float32Array; states hold only Float64Array/);
    bad({ d: new Date(0) }, /state\.d is a Date instance/);
    bad({ n: 1n }, /state\.n is a bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    bad(cyclic, new RegExp(`nested deeper than ${MAX_STATE_DEPTH} levels \\(a cycle\\?\\)`));
    bad(JSON.parse('{"__proto__": 1}'), /"__proto__" key/);
  });

  it('skips undefined properties only when asked', () => {
    expect(stateToJsonValue({ a: 1, b: undefined } as unknown as NamedState, { skipUndefined: true })).toEqual({ a: 1 });
  });

  it('refuses malformed input with CoreError bad-state and a reason naming the path', () => {
    const refuse = (text: string, re: RegExp) => {
      let err: unknown;
      try {
        decodeState(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CoreError);
      expect((err as CoreError).code).toBe('bad-state');
      expect((err as CoreError).message).toMatch(re);
    };
    refuse('{"a":', /state is not valid JSON/);
    refuse('[1]', /state is an array, not an object/);
    refuse('{"w":{"$f64":"AAAA"}}', /state\.w tag \$f64 holds 3 bytes, not a multiple of 8/);
    refuse('{"w":{"$i32":"AA=="}}', /state\.w tag \$i32 holds 1 bytes, not a multiple of 4/);
    refuse('{"w":{"$f64":"AA!A"}}', /state\.w \(\$f64\): base64 text has "!" at position 2/);
    refuse('{"w":{"$f64":5}}', /state\.w tag \$f64 holds a number, not a string/);
    refuse('{"n":{"$num":"1"}}', /state\.n tag \$num holds "1"; expected "-0"/);
    refuse('{"n":{"$bogus":"1"}}', /state\.n has key "\$bogus": a tag must be the only key/);
    refuse('{"n":{"$f64":"","x":1}}', /state\.n has key "\$f64": a tag must be the only key/);
    refuse('{"o":{"__proto__":{"polluted":1}}}', /state\.o has a "__proto__" key/);
    refuse('{"$num":"-0"}', /state is a tagged value, not an object/);
    refuse('{"a":' + '['.repeat(100) + ']'.repeat(100) + '}', /nested deeper than 64 levels/);
  });

  it('never pollutes Object.prototype', () => {
    try {
      decodeState('{"__proto__":{"polluted":1}}');
    } catch {
      // refused, as tested above
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stateFromJsonValue names the given path', () => {
    expect(() => stateFromJsonValue({ n: { $num: 'x' } }, 'body.state')).toThrow(/^body\.state\.n tag/);
  });
});
