import { describe, expect, it } from 'vitest';
import { summarize } from './summarize.js';

describe('summarize', () => {
  it('gives the mean and the sample standard deviation (n - 1), exact to 1e-15', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(Math.abs(s.sd - Math.sqrt(32 / 7))).toBeLessThan(1e-15);
    expect([s.n, s.min, s.max]).toEqual([8, 2, 9]);
  });

  it('gives sd 0 for one value, NaN for none, and lets a non-finite value show', () => {
    expect(summarize([3]).sd).toBe(0);
    expect(Number.isNaN(summarize([]).mean)).toBe(true);
    expect(Number.isNaN(summarize([1, NaN]).mean)).toBe(true);
  });
});
