import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { SparseVector } from '../features/sparse-vector.js';
import { sigmoid } from '../math/sigmoid.js';
import { Ftrl } from './ftrl.js';
import { makeStream, runDenseAndIndexed } from './test-stream.js';

/** McMahan et al. (2013) Algorithm 1, written down as plainly as possible: Maps, weights computed lazily. */
class ReferenceFtrl {
  readonly z = new Map<number, number>();
  readonly n = new Map<number, number>();
  constructor(
    readonly alpha: number,
    readonly beta: number,
    readonly l1: number,
    readonly l2: number,
  ) {}

  weightOf(z: number, n: number, l1: number, l2: number): number {
    if (Math.abs(z) <= l1) return 0;
    return -(z - Math.sign(z) * l1) / ((this.beta + Math.sqrt(n)) / this.alpha + l2);
  }

  weight(i: number): number {
    return this.weightOf(this.z.get(i) ?? 0, this.n.get(i) ?? 0, this.l1, this.l2);
  }

  bias(): number {
    return this.weightOf(this.z.get(-1) ?? 0, this.n.get(-1) ?? 0, 0, 0);
  }

  /** Predicts p for x, then learns label y from it; returns the score z used. */
  learn(x: SparseVector, y: number): number {
    let score = 0;
    const w = new Map<number, number>();
    for (let k = 0; k < x.nnz; k++) {
      const wi = this.weight(x.idx[k]);
      w.set(x.idx[k], wi);
      score += wi * x.val[k];
    }
    const wb = this.bias();
    score += wb;
    const g = sigmoid(score) - y;
    const update = (i: number, gi: number, wi: number): void => {
      const n = this.n.get(i) ?? 0;
      const sigma = (Math.sqrt(n + gi * gi) - Math.sqrt(n)) / this.alpha;
      this.z.set(i, (this.z.get(i) ?? 0) + gi - sigma * wi);
      this.n.set(i, n + gi * gi);
    };
    for (let k = 0; k < x.nnz; k++) update(x.idx[k], g * x.val[k], w.get(x.idx[k]) ?? 0);
    update(-1, g, wb);
    return score;
  }
}

describe('Ftrl', () => {
  it('runs its doc example', () => {
    const opt = new Ftrl({ dim: 4, alpha: 0.5, l1: 0.1 });
    const x = new SparseVector(1);
    x.push(2, 1);
    opt.step(x, 0.05);
    expect(opt.weight(2)).toBe(0);
    expect(opt.bias()).not.toBe(0); // the bias has no L1
  });

  for (const [alpha, beta, l1, l2] of [
    [0.1, 1, 0, 0],
    [0.5, 1, 1, 0.5],
    [0.05, 0.5, 0.01, 2],
  ]) {
    it(`equals a Map-based McMahan Algorithm 1 to 1e-12 relative (α=${alpha}, β=${beta}, λ1=${l1}, λ2=${l2})`, () => {
      const dim = 64;
      const { xs, ys } = makeStream(3000, dim, 8, 7);
      const opt = new Ftrl({ dim, alpha, beta, l1, l2 });
      const ref = new ReferenceFtrl(alpha, beta, l1, l2);
      // Tolerance 1e-12 relative: Ftrl multiplies by a precomputed 1/α where the reference divides by α.
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1e-3);
      let zeros = 0;
      for (let t = 0; t < xs.length; t++) {
        const z = opt.score(xs[t]);
        const zr = ref.learn(xs[t], ys[t]);
        expect(close(z, zr), `score at event ${t}: ${z} vs ${zr}`).toBe(true);
        opt.step(xs[t], sigmoid(z) - ys[t]);
      }
      for (let i = 0; i < dim; i++) {
        expect(close(opt.weight(i), ref.weight(i)), `weight ${i}`).toBe(true);
        expect(opt.weight(i) === 0).toBe(ref.weight(i) === 0); // L1 zeros exactly where the reference has them
        if (opt.weight(i) === 0) zeros++;
      }
      expect(close(opt.bias(), ref.bias())).toBe(true);
      expect(opt.updates).toBe(xs.length);
      if (l1 >= 1) expect(zeros).toBeGreaterThan(0); // L1 made some weights exactly 0
      if (l1 === 0) expect(zeros).toBe(0);
    });
  }

  it('scales α by the rate multiplier, for every weight at once', () => {
    const dim = 16;
    const { xs, ys } = makeStream(200, dim, 4, 3);
    const opt = new Ftrl({ dim, alpha: 0.2, l1: 0.05 });
    for (let t = 0; t < xs.length; t++) opt.step(xs[t], sigmoid(opt.score(xs[t])) - ys[t]);
    const boosted = new Ftrl({ dim, alpha: 0.6, l1: 0.05 });
    const state = opt.toState();
    boosted.fromState({ ...state, rateMultiplier: 1 });
    opt.setRateMultiplier(3);
    for (let i = 0; i < dim; i++) expect(opt.weight(i)).toBeCloseTo(boosted.weight(i), 14);
    expect(opt.bias()).toBeCloseTo(boosted.bias(), 14);
  });

  it('resetSchedule clears n and keeps the weights (to 1e-12 relative)', () => {
    const dim = 16;
    const { xs, ys } = makeStream(300, dim, 4, 5);
    const opt = new Ftrl({ dim, alpha: 0.3, beta: 1, l1: 0.02, l2: 0.1 });
    for (let t = 0; t < xs.length; t++) opt.step(xs[t], sigmoid(opt.score(xs[t])) - ys[t]);
    const before = Array.from({ length: dim }, (_, i) => opt.weight(i));
    const b = opt.bias();
    opt.resetSchedule();
    for (let i = 0; i < dim; i++) expect(Math.abs(opt.weight(i) - before[i])).toBeLessThanOrEqual(1e-12 * Math.abs(before[i]));
    expect(Math.abs(opt.bias() - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));
    expect(Array.from(opt.toState().n as Float64Array).every((v) => v === 0)).toBe(true);
  });

  it('round-trips its state exactly: identical next outputs', () => {
    const dim = 32;
    const { xs, ys } = makeStream(400, dim, 6, 11);
    const a = new Ftrl({ dim, alpha: 0.2, beta: 1, l1: 0.01, l2: 0.1 });
    for (let t = 0; t < 200; t++) a.step(xs[t], sigmoid(a.score(xs[t])) - ys[t]);
    a.setRateMultiplier(1.5);
    const b = new Ftrl({ dim, alpha: 0.2, beta: 1, l1: 0.01, l2: 0.1 });
    b.fromState(a.toState());
    for (let t = 200; t < 400; t++) {
      const z = a.score(xs[t]);
      expect(b.score(xs[t])).toBe(z);
      a.step(xs[t], sigmoid(z) - ys[t]);
      b.step(xs[t], sigmoid(z) - ys[t]);
    }
    for (let i = 0; i < dim; i++) expect(b.weight(i)).toBe(a.weight(i));
    expect(b.updates).toBe(a.updates);
  });

  it('rejects bad settings and foreign states', () => {
    expect(() => new Ftrl({ dim: 4, alpha: 0 })).toThrow(/alpha/);
    expect(() => new Ftrl({ dim: 4, alpha: 0.1, l1: -1 })).toThrow(KernelError);
    expect(() => new Ftrl({ dim: 4, alpha: 0.1, beta: 0 })).toThrow(/beta/);
    expect(() => new Ftrl({ dim: 4, alpha: 0.1 }).fromState({ kind: 'sgd' })).toThrow(/kind/);
    expect(() => new Ftrl({ dim: 4, alpha: 0.1 }).fromState(new Ftrl({ dim: 5, alpha: 0.1 }).toState())).toThrow(/length 4/);
  });

  it('gives identical scores, weights and state (===) through its dense loop and its indexed loop (no regulariser; L1 + L2)', () => {
    for (const o of [{ dim: 20, alpha: 0.1 }, { dim: 20, alpha: 0.5, beta: 0.5, l1: 20, l2: 0.1 }]) {
      const r = runDenseAndIndexed(() => new Ftrl(o), 3000, 20, 29, true);
      expect(r.densePath).toBe(true);
      expect(r.dense).toEqual(r.indexed);
      if (o.l1 !== undefined) {
        // both branches of the closed form: L1 clips some weights to exactly 0, not all
        expect(r.dense.weights.filter((w) => w === 0).length).toBeGreaterThan(0);
        expect(r.dense.weights.filter((w) => w !== 0).length).toBeGreaterThan(0);
      }
    }
  });
});
