import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { shuffleInPlace } from './shuffle.js';

describe('shuffleInPlace (Fisher–Yates)', () => {
  it('returns a permutation of the input, in place, for arrays and typed arrays', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffleInPlace(a, new Rng(1));
    expect(out).toBe(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const t = Float64Array.from([1, 2, 3, 4, 5]);
    shuffleInPlace(t, new Rng(2));
    expect(Array.from(t).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(shuffleInPlace([], new Rng(3))).toEqual([]);
    expect(shuffleInPlace(['x'], new Rng(3))).toEqual(['x']);
  });

  it('is deterministic for a seed', () => {
    const a = shuffleInPlace(Array.from({ length: 20 }, (_, i) => i), new Rng(9));
    const b = shuffleInPlace(Array.from({ length: 20 }, (_, i) => i), new Rng(9));
    expect(a).toEqual(b);
  });

  it('makes all 24 permutations of 4 items equally likely: chi-square (23 df) below the 1e-6 critical value 70.55', () => {
    // Upper 1e-6 quantile of chi-square with 23 degrees of freedom ≈ 70.55 (regularised incomplete gamma).
    const rng = new Rng(123);
    const counts = new Map<string, number>();
    const n = 48_000;
    for (let i = 0; i < n; i++) {
      const key = shuffleInPlace([0, 1, 2, 3], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    let chi = 0;
    for (const c of counts.values()) chi += (c - n / 24) ** 2 / (n / 24);
    expect(chi).toBeLessThan(70.55);
  });
});
