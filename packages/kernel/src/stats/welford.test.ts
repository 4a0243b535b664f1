import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { Welford } from './welford.js';

function twoPass(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, variance };
}

describe('Welford', () => {
  it('runs its doc example', () => {
    const s = new Welford();
    for (const x of [1, 2, 3, 4]) s.update(x);
    expect(s.count).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.variance).toBe(1.25);
    expect(s.sampleVariance).toBeCloseTo(5 / 3, 15);
    expect(s.std).toBe(Math.sqrt(1.25));
  });

  it('agrees with the two-pass mean and variance, also far from the origin (1e-9 relative)', () => {
    let seed = 99;
    const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const offset of [0, 1e3, 1e8]) {
      const xs = Array.from({ length: 5000 }, () => offset + (rnd() - 0.5) * 3);
      const s = new Welford();
      for (const x of xs) s.update(x);
      const ref = twoPass(xs);
      expect(Math.abs(s.mean - ref.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.mean)));
      expect(Math.abs(s.variance - ref.variance)).toBeLessThanOrEqual(1e-9 * ref.variance);
      expect(Math.abs(s.sampleVariance - (ref.variance * xs.length) / (xs.length - 1))).toBeLessThanOrEqual(1e-9 * ref.variance);
    }
  });

  it('is 0 before any value and for a constant stream', () => {
    const s = new Welford();
    expect([s.count, s.mean, s.variance, s.sampleVariance]).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < 10; i++) s.update(0.1);
    expect(s.mean).toBe(0.1);
    expect(s.variance).toBe(0);
    s.reset();
    expect(s.count).toBe(0);
  });

  it('round-trips its state exactly', () => {
    const a = new Welford();
    for (let i = 0; i < 100; i++) a.update(Math.sin(i) * 10);
    const b = new Welford();
    b.fromState(a.toState());
    for (let i = 100; i < 150; i++) {
      a.update(Math.cos(i));
      b.update(Math.cos(i));
    }
    expect([b.count, b.mean, b.variance]).toEqual([a.count, a.mean, a.variance]);
    expect(() => b.fromState({ kind: 'other' })).toThrow(KernelError);
  });
});
