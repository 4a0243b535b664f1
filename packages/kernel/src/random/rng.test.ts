import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { Rng } from './rng.js';

// Upper 1e-6 quantiles of the chi-square distribution (computed from the regularised incomplete
// gamma function): a correct generator fails each test with probability below one in a million.
const CHI2_1E6_DF9 = 44.81;
const CHI2_1E6_DF99 = 180.8;
const CHI2_1E6_DF6 = 38.26;

function chiSquare(counts: ArrayLike<number>, expected: number): number {
  let c = 0;
  for (let i = 0; i < counts.length; i++) c += (counts[i] - expected) ** 2 / expected;
  return c;
}

describe('Rng (xoshiro128**)', () => {
  it('matches the reference xoshiro128starstar.c outputs from state {1, 2, 3, 4}', () => {
    // Published test vector (Blackman & Vigna reference implementation v1.1; rand_xoshiro's test).
    const rng = Rng.fromWords(1, 2, 3, 4);
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ];
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  it('is deterministic by seed and different seeds give different streams', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const d = new Rng(42 + 2 ** 32); // the high bits of the seed matter too
    const xa: number[] = [];
    const xb: number[] = [];
    const xc: number[] = [];
    const xd: number[] = [];
    for (let i = 0; i < 100; i++) {
      xa.push(a.next());
      xb.push(b.next());
      xc.push(c.next());
      xd.push(d.next());
    }
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    expect(xa).not.toEqual(xd);
    expect(new Rng(-5).next()).not.toBe(new Rng(5).next());
  });

  it('next() lies in [0, 1) and uses 53 bits (values are multiples of 2^-53, not all of 2^-32)', () => {
    const rng = new Rng(1);
    let finerThan32Bits = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 53))) bad++;
      if (!Number.isInteger(u * 2 ** 32)) finerThan32Bits++;
    }
    expect(bad).toBe(0);
    expect(finerThan32Bits).toBeGreaterThan(9_900);
  });

  it('next() is uniform: chi-square over 100 bins of 200 000 draws below the 1e-6 critical value 180.8', () => {
    const rng = new Rng(2024);
    const counts = new Float64Array(100);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[Math.floor(rng.next() * 100)]++;
    expect(chiSquare(counts, n / 100)).toBeLessThan(CHI2_1E6_DF99);
  });

  it('successive pairs are independent: chi-square over a 10×10 grid of (u_i, u_i+1) below the 1e-6 critical value', () => {
    const rng = new Rng(99);
    const counts = new Float64Array(100);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      const v = rng.next();
      counts[Math.floor(u * 10) * 10 + Math.floor(v * 10)]++;
    }
    expect(chiSquare(counts, n / 100)).toBeLessThan(CHI2_1E6_DF99);
  });

  it('nextInt(n) is unbiased: chi-square for n = 7 and n = 10 below the 1e-6 critical values', () => {
    const rng = new Rng(5);
    const c7 = new Float64Array(7);
    const c10 = new Float64Array(10);
    const n = 70_000;
    for (let i = 0; i < n; i++) {
      c7[rng.nextInt(7)]++;
      c10[rng.nextInt(10)]++;
    }
    expect(chiSquare(c7, n / 7)).toBeLessThan(CHI2_1E6_DF6);
    expect(chiSquare(c10, n / 10)).toBeLessThan(CHI2_1E6_DF9);
  });

  it('nextInt covers its range exactly, including n = 1, 2^32 and above 2^32', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) expect(rng.nextInt(1)).toBe(0);
    let sawTop = false;
    for (let i = 0; i < 1000; i++) {
      const k = rng.nextInt(3);
      expect(Number.isInteger(k) && k >= 0 && k < 3).toBe(true);
      if (k === 2) sawTop = true;
    }
    expect(sawTop).toBe(true);
    for (const n of [2 ** 32, 2 ** 40 + 7]) {
      let above32 = 0;
      for (let i = 0; i < 200; i++) {
        const k = rng.nextInt(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        if (k >= 2 ** 31) above32++;
      }
      expect(above32).toBeGreaterThan(50);
    }
  });

  it('nextInt rejects a non-integer or non-positive n with a KernelError', () => {
    const rng = new Rng(3);
    expect(() => rng.nextInt(0)).toThrow(KernelError);
    expect(() => rng.nextInt(2.5)).toThrow(/integer in \[1, 2\^53\]/);
    expect(() => rng.nextInt(Number.NaN)).toThrow(KernelError);
    expect(() => new Rng(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('gaussian() has mean 0 and variance 1 (|mean| < 5σ/√n, |var − 1| < 5·√(2/n)) and 68.27% within ±1', () => {
    const rng = new Rng(11);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let within = 0;
    for (let i = 0; i < n; i++) {
      const g = rng.gaussian();
      s += g;
      s2 += g * g;
      if (Math.abs(g) < 1) within++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // Binomial sd of the fraction within ±1: √(0.6827·0.3173/n) ≈ 0.0015; allow 5 sd.
    expect(Math.abs(within / n - 0.682689)).toBeLessThan(0.0074);
  });

  it('toState/fromState round-trips exactly, including a cached Gaussian half-pair', () => {
    const a = new Rng(77);
    for (let i = 0; i < 13; i++) a.next();
    a.gaussian(); // leaves the second value of the pair cached
    const state = a.toState();
    const b = new Rng(1);
    b.fromState(state);
    for (let i = 0; i < 500; i++) {
      expect(b.gaussian()).toBe(a.gaussian());
      expect(b.next()).toBe(a.next());
      expect(b.nextInt(1000)).toBe(a.nextInt(1000));
    }
    // The state is a snapshot: advancing `a` does not change it.
    const c = new Rng(2);
    c.fromState(state);
    const d = new Rng(3);
    d.fromState(state);
    expect(c.gaussian()).toBe(d.gaussian());
  });

  it('fromState refuses a malformed state with a message naming what is missing', () => {
    const rng = new Rng(1);
    expect(() => rng.fromState({ words: new Uint32Array(3), hasSpare: false, spare: 0 })).toThrow(/Uint32Array of 4/);
    expect(() => rng.fromState({ words: new Uint32Array(4), hasSpare: false, spare: 0 })).toThrow(/all zero/);
    expect(() => rng.fromState({ words: new Uint32Array([1, 2, 3, 4]) })).toThrow(/hasSpare/);
  });
});
