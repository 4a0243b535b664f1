import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { encodeScore } from './encode-score.js';
import { encodeScoreInto, scoreBytesBound } from './encode-score-into.js';
import type { Score } from './types.js';

const score = (o: Partial<Score> = {}): Score => ({ id: 'e-17', ts: 1732300000000, z: 0.5, p: 0.6224593312018546, pCalibrated: 0.6, modelVersion: 3, label: 1, ...o });
const out = new Uint8Array(1 << 16);

/** encodeScoreInto at `pos` equals the UTF-8 of encodeScore byte for byte, writing only inside [pos, pos + bound); else a description. */
function mismatch(s: Score, learnerId: string | undefined, pos = 5): string | null {
  const want = Buffer.from(encodeScore(s, learnerId));
  const bound = scoreBytesBound(s.id, learnerId);
  out.fill(0xee, 0, pos + bound + 8);
  const end = encodeScoreInto(s, learnerId, out, pos);
  if (end < 0) return `-1 for ${JSON.stringify(s)}`;
  if (end - pos > bound) return `over the bound: ${end - pos}`;
  // bytes after the end up to pos + bound are the number writer's scratch; nothing outside may change
  if ((pos > 0 && out[pos - 1] !== 0xee) || out[pos + bound] !== 0xee) return `wrote outside [pos, pos + bound) for ${want.toString()}`;
  return want.equals(out.subarray(pos, end)) ? null : `${want.toString()} ≠ ${Buffer.from(out.subarray(pos, end)).toString()}`;
}

const SPECIAL_NUMBERS = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -1.7976931348623157e308, 1e21, 1e-7, 0.1 + 0.2, 1732300000000, 2 ** 53, -1];
const UNITS = [0x41, 0x7a, 0x22, 0x5c, 0x2f, 0, 8, 9, 10, 12, 13, 0x1f, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x2028, 0xfeff, 0xffff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00];

describe('encodeScoreInto (property: the bytes equal Buffer.from(encodeScore(s, learnerId)))', () => {
  it('writes the doc example and the plain ASCII case', () => {
    expect(mismatch(score(), undefined, 0)).toBeNull();
    expect(mismatch(score({ ts: null, label: null }), 'learner-1')).toBeNull();
    // Uncalibrated: pCalibrated = p (its bytes copied), also for NaN (null), −0 against 0 and tiny or huge numbers.
    for (const p of [0.6224593312018546, NaN, 0, -0, 5e-324, 1e21, 1 - 2 ** -53]) {
      expect(mismatch(score({ p, pCalibrated: p }), undefined)).toBeNull();
      expect(mismatch(score({ p, pCalibrated: Object.is(p, 0) ? -0 : 0 }), undefined)).toBeNull();
    }
    const end = encodeScoreInto(score(), undefined, out, 0);
    expect(Buffer.from(out.subarray(0, end)).toString()).toBe(
      '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1}',
    );
  });

  it('escapes ids like JSON.stringify (quotes, backslash, control characters, U+2028, lone surrogates, pairs)', () => {
    const wrong: string[] = [];
    const ids = ['a"b', 'a\\b', 'tab\there', 'nl\n', '\b\f\r', '\u0000\u001f\u007f', '\u2028\u2029', '\ud800', '\udfff x', 'x\ud83d', '\ude00\ud83d', 'ü😀', 'é', '</script>', ''];
    for (const id of ids) for (const l of [undefined, id, 'l-1']) {
      const m = mismatch(score({ id }), l);
      if (m !== null) wrong.push(m);
    }
    for (let c = 0; c < 0x10000; c++) {
      const id = `a${String.fromCharCode(c)}b`;
      const m = mismatch(score({ id }), undefined);
      if (m !== null && wrong.length < 20) wrong.push(`U+${c.toString(16)}: ${m}`);
    }
    expect(wrong).toEqual([]);
  });

  it('matches on 30 000 random scores with adversarial ids, learner ids and numbers (NaN, ±Infinity, −0, null)', () => {
    const r = new Rng(11);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const num = (): number => {
      const k = r.nextInt(5);
      if (k === 0) return SPECIAL_NUMBERS[r.nextInt(SPECIAL_NUMBERS.length)];
      if (k === 1) return r.next();
      if (k === 2) return r.nextInt(1 << 30);
      words[0] = r.nextInt(0x100000000);
      words[1] = r.nextInt(0x100000000);
      return bits[0];
    };
    const str = (): string => {
      const n = r.nextInt(12);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(r.nextInt(3) === 0 ? UNITS[r.nextInt(UNITS.length)] : r.nextInt(2) === 0 ? 0x20 + r.nextInt(0x5f) : r.nextInt(0x10000));
      return s;
    };
    const wrong: string[] = [];
    const learnerIds = [undefined, 'learner-1', 'l"ü\ud800', str()];
    for (let i = 0; i < 30000; i++) {
      const p = num();
      // a third uncalibrated (pCalibrated = p, whose text is copied), some p = ±0 against ∓0
      const pc = r.nextInt(3) === 0 ? p : r.nextInt(10) === 0 && p === 0 ? -p : num();
      const s: Score = { id: str(), ts: r.nextInt(4) === 0 ? null : num(), z: num(), p, pCalibrated: pc, modelVersion: num(), label: r.nextInt(3) === 0 ? null : num() };
      const m = mismatch(s, learnerIds[r.nextInt(learnerIds.length)], r.nextInt(100));
      if (m !== null && wrong.length < 20) wrong.push(m);
    }
    expect(wrong).toEqual([]);
  });

  it('returns −1 and writes nothing when fewer than scoreBytesBound bytes are free', () => {
    const s = score({ id: 'ü'.repeat(10) });
    const bound = scoreBytesBound(s.id, 'l-1');
    expect(bound).toBe(63 + 6 * 25 + 6 * 10 + 2 + 13 + 6 * 3 + 2);
    const small = new Uint8Array(bound + 3).fill(7);
    expect(encodeScoreInto(s, 'l-1', small, 4)).toBe(-1);
    expect(small.every((b) => b === 7)).toBe(true);
    expect(encodeScoreInto(s, 'l-1', small, 3)).toBe(3 + Buffer.byteLength(encodeScore(s, 'l-1')));
  });
});
