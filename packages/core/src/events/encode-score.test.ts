import { describe, expect, it } from 'vitest';
import { encodeScore } from './encode-score.js';
import type { Score } from './types.js';

const score = (o: Partial<Score> = {}): Score => ({ id: 'e-17', ts: 1732300000000, z: 0.5, p: 0.6224593312018546, pCalibrated: 0.6, modelVersion: 3, label: 1, ...o });

describe('encodeScore', () => {
  it('writes the SPEC §2 fields in order', () => {
    expect(encodeScore(score())).toBe(
      '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1}',
    );
    expect(encodeScore(score({ ts: null, label: null }))).toBe(
      '{"id":"e-17","ts":null,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":null}',
    );
  });

  it('appends learnerId after the SPEC §2 fields when given (escaped; a change of id is not cached wrongly)', () => {
    expect(encodeScore(score(), 'learner-1')).toBe(
      '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1,"learnerId":"learner-1"}',
    );
    expect(JSON.parse(encodeScore(score(), 'a"b')).learnerId).toBe('a"b');
    expect(JSON.parse(encodeScore(score(), 'learner-2')).learnerId).toBe('learner-2');
    expect(encodeScore(score())).not.toContain('learnerId');
  });

  it('round-trips 20 000 random doubles bit for bit, incl. −0, denormals and extremes', () => {
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    let s = 5;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    const mismatches: string[] = [];
    const specials = [-0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000];
    for (let t = 0; t < 20000; t++) {
      let x: number;
      if (t < specials.length) x = specials[t];
      else {
        do {
          u[0] = rnd();
          u[1] = rnd();
          x = f[0];
        } while (!Number.isFinite(x));
      }
      const back = JSON.parse(encodeScore(score({ z: x, p: x, pCalibrated: x, ts: x, label: x })));
      for (const k of ['z', 'p', 'pCalibrated', 'ts', 'label']) if (!Object.is(back[k], x)) mismatches.push(`${k}: ${x} → ${back[k]}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('writes non-finite numbers as null', () => {
    const back = JSON.parse(encodeScore(score({ z: Infinity, p: NaN, pCalibrated: -Infinity })));
    expect([back.z, back.p, back.pCalibrated]).toEqual([null, null, null]);
  });

  it('escapes ids correctly (quotes, backslash, control characters, U+2028, lone surrogates, non-ASCII)', () => {
    for (const id of ['a"b', 'a\\b', 'tab\there', 'nl\n', '\u0000\u001f', '\u2028\u2029', '\ud800', '\udfff x', 'ü😀', '</script>']) {
      const text = encodeScore(score({ id }));
      expect(JSON.parse(text).id).toBe(id);
      expect(text).not.toMatch(/[\u0000-\u001f]/); // no raw control characters in the line
    }
  });
});
