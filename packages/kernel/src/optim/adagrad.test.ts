import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { SparseVector } from '../features/sparse-vector.js';
import { sigmoid } from '../math/sigmoid.js';
import { AdaGrad } from './adagrad.js';
import { makeDenseStream, makeStream, runDenseAndIndexed } from './test-stream.js';

describe('AdaGrad', () => {
  it('runs its doc example', () => {
    const opt = new AdaGrad({ dim: 2, learningRate: 0.5 });
    const x = new SparseVector(1);
    x.push(1, 2);
    opt.step(x, 0.25);
    expect(opt.weight(1)).toBe(-(0.5 * 0.5) / (0.5 + 1e-8));
  });

  it('follows G_i += g_i², w_i −= η g_i/(√G_i + ε) by hand over two steps (exact)', () => {
    const opt = new AdaGrad({ dim: 3, learningRate: 0.1, l2: 0.2, epsilon: 1e-8 });
    const x = new SparseVector(2);
    x.push(0, 1);
    x.push(2, -3);
    opt.step(x, 0.5);
    // step 1: g0 = 0.5, g2 = −1.5, bias g = 0.5
    const w0 = -(0.1 * 0.5) / (Math.sqrt(0.25) + 1e-8);
    const w2 = -(0.1 * -1.5) / (Math.sqrt(2.25) + 1e-8);
    const b1 = -(0.1 * 0.5) / (Math.sqrt(0.25) + 1e-8);
    expect(opt.weight(0)).toBe(w0);
    expect(opt.weight(2)).toBe(w2);
    expect(opt.bias()).toBe(b1);
    opt.step(x, -0.25);
    // step 2: g_i = g x_i + λ w_i; the bias has no L2 term
    const g0 = -0.25 * 1 + 0.2 * w0;
    const g2 = -0.25 * -3 + 0.2 * w2;
    expect(opt.weight(0)).toBe(w0 - (0.1 * g0) / (Math.sqrt(0.25 + g0 * g0) + 1e-8));
    expect(opt.weight(2)).toBe(w2 - (0.1 * g2) / (Math.sqrt(2.25 + g2 * g2) + 1e-8));
    expect(opt.bias()).toBe(b1 - (0.1 * -0.25) / (Math.sqrt(0.25 + 0.0625) + 1e-8));
    expect(opt.weight(1)).toBe(0);
    expect(opt.score(x)).toBe(opt.weight(0) * 1 + opt.weight(2) * -3 + opt.bias());
  });

  it('equals the formula applied with Maps over a long stream, sparse and in dense order (bit for bit)', () => {
    const dim = 64;
    const sparse = makeStream(2000, dim, 8, 9);
    const dense = makeDenseStream(2000, dim, 9, true);
    expect(dense.xs.every((x) => x.isDense)).toBe(true); // the dense loop
    for (const { xs, ys } of [sparse, dense]) {
      const opt = new AdaGrad({ dim, learningRate: 0.3, l2: 0.01 });
      const w = new Map<number, number>();
      const G = new Map<number, number>();
      let b = 0;
      let Gb = 0;
      for (let t = 0; t < xs.length; t++) {
        const x = xs[t];
        let z = 0;
        for (let k = 0; k < x.nnz; k++) z += (w.get(x.idx[k]) ?? 0) * x.val[k];
        z += b;
        expect(opt.score(x)).toBe(z);
        const g = sigmoid(z) - ys[t];
        opt.step(x, g);
        for (let k = 0; k < x.nnz; k++) {
          const i = x.idx[k];
          const gi = g * x.val[k] + 0.01 * (w.get(i) ?? 0);
          G.set(i, (G.get(i) ?? 0) + gi * gi);
          w.set(i, (w.get(i) ?? 0) - (0.3 * gi) / (Math.sqrt(G.get(i) ?? 0) + 1e-8));
        }
        Gb += g * g;
        b -= (0.3 * g) / (Math.sqrt(Gb) + 1e-8);
      }
      for (let i = 0; i < dim; i++) expect(opt.weight(i)).toBe(w.get(i) ?? 0);
      expect(opt.bias()).toBe(b);
    }
  });

  it('gives identical scores, weights and state (===) through its dense loop and its indexed loop (l2 0 and 0.01)', () => {
    for (const l2 of [0, 0.01]) {
      const r = runDenseAndIndexed(() => new AdaGrad({ dim: 20, learningRate: 0.3, l2 }), 3000, 20, 17, true);
      expect(r.densePath).toBe(true);
      expect(r.dense).toEqual(r.indexed);
    }
  });

  it('scales η by the rate multiplier and restarts the accumulators on resetSchedule', () => {
    const a = new AdaGrad({ dim: 2, learningRate: 0.1 });
    const b = new AdaGrad({ dim: 2, learningRate: 0.4 });
    const x = new SparseVector(1);
    x.push(0, 1);
    a.setRateMultiplier(4);
    a.step(x, 0.5);
    b.step(x, 0.5);
    expect(a.weight(0)).toBe(b.weight(0));
    a.resetSchedule();
    const w = a.weight(0);
    a.step(x, 0.5); // G restarts from 0: the same-sized move as the first step
    expect(a.weight(0) - w).toBeCloseTo(b.weight(0), 15);
  });

  it('round-trips its state exactly: identical next outputs', () => {
    const dim = 32;
    const { xs, ys } = makeStream(400, dim, 6, 13);
    const a = new AdaGrad({ dim, learningRate: 0.2, l2: 0.05 });
    for (let t = 0; t < 200; t++) a.step(xs[t], sigmoid(a.score(xs[t])) - ys[t]);
    a.setRateMultiplier(0.5);
    const b = new AdaGrad({ dim, learningRate: 0.2, l2: 0.05 });
    b.fromState(a.toState());
    for (let t = 200; t < 400; t++) {
      const z = a.score(xs[t]);
      expect(b.score(xs[t])).toBe(z);
      a.step(xs[t], sigmoid(z) - ys[t]);
      b.step(xs[t], sigmoid(z) - ys[t]);
    }
    for (let i = 0; i < dim; i++) expect(b.weight(i)).toBe(a.weight(i));
    expect(b.bias()).toBe(a.bias());
  });

  it('rejects bad settings and foreign states', () => {
    expect(() => new AdaGrad({ dim: 4, learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new AdaGrad({ dim: 4, learningRate: 0.1, epsilon: 0 })).toThrow(KernelError);
    expect(() => new AdaGrad({ dim: 4, learningRate: 0.1 }).fromState({ kind: 'ftrl' })).toThrow(/kind/);
  });
});
