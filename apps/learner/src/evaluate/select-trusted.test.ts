import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { selectTrusted } from './select-trusted.js';

describe('selectTrusted', () => {
  it('marks exactly round(fraction * n) events', () => {
    expect(selectTrusted(398, 0.05, new Rng(1)).reduce((a, b) => a + b, 0)).toBe(20);
    expect(selectTrusted(10, 0, new Rng(1)).reduce((a, b) => a + b, 0)).toBe(0);
    expect(selectTrusted(10, 1, new Rng(1)).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('chooses every position about equally often (each within 5 sd of 500 over 10 000 draws of 1 in 20)', () => {
    const counts = new Float64Array(20);
    const rng = new Rng(2);
    for (let r = 0; r < 10_000; r++) {
      const m = selectTrusted(20, 0.05, rng);
      for (let i = 0; i < 20; i++) counts[i] += m[i];
    }
    const sd = Math.sqrt(10_000 * 0.05 * 0.95);
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(5 * sd);
  });

  it('is deterministic by seed and refuses a fraction outside [0, 1]', () => {
    expect(Array.from(selectTrusted(50, 0.2, new Rng(4)))).toEqual(Array.from(selectTrusted(50, 0.2, new Rng(4))));
    expect(() => selectTrusted(10, 1.5, new Rng(1))).toThrow(/trusted fraction 1.5/);
  });
});
