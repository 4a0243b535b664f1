import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { PairWindow } from './pair-window.js';
import { RocAucMetric } from './roc-auc-metric.js';

/** Exact AUC by all pairs: Σ_i Σ_j w⁺_i w⁻_j [p_i > p_j] + ½ [p_i = p_j], over Σ w⁺ Σ w⁻. */
function exactAuc(ys: number[], ps: number[]): number {
  let num = 0;
  let P = 0;
  let N = 0;
  for (let i = 0; i < ys.length; i++) {
    P += ys[i];
    N += 1 - ys[i];
    for (let j = 0; j < ys.length; j++) {
      const wp = ys[i] * (1 - ys[j]);
      if (wp === 0) continue;
      if (ps[i] > ps[j]) num += wp;
      else if (ps[i] === ps[j]) num += 0.5 * wp;
    }
  }
  return num / (P * N);
}

/** The binning bound ½ Σ_b pos_b neg_b / (P N), computed independently of the metric. */
function binBound(ys: number[], ps: number[], bins: number): number {
  const pos = new Float64Array(bins);
  const neg = new Float64Array(bins);
  let P = 0;
  let N = 0;
  for (let i = 0; i < ys.length; i++) {
    const b = Math.min(bins - 1, Math.floor(ps[i] * bins));
    pos[b] += ys[i];
    neg[b] += 1 - ys[i];
    P += ys[i];
    N += 1 - ys[i];
  }
  let s = 0;
  for (let b = 0; b < bins; b++) s += pos[b] * neg[b];
  return (0.5 * s) / (P * N);
}

describe('RocAucMetric', () => {
  it('is within the binning bound ½ Σ pos_b neg_b /(P N) (+1e-12) of the exact O(n²) AUC, hard and soft labels, total and window', () => {
    const rng = new Rng(4);
    const total = new RocAucMetric();
    const windowed = new RocAucMetric();
    const win = new PairWindow(400);
    const ys: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const y = i % 5 === 0 ? rng.next() : rng.next() < 0.3 ? 1 : 0;
      // informative scores: positives higher on average
      const p = Math.min(1, Math.max(0, 0.35 + 0.3 * y + 0.25 * rng.gaussian()));
      ys.push(y);
      ps.push(p);
      total.update(y, p);
      if (win.push(y, p)) windowed.revert(win.evictedY, win.evictedP);
      windowed.update(y, p);
      if (i % 499 === 0 && i > 0) {
        const wy = ys.slice(-400);
        const wpp = ps.slice(-400);
        const tol = binBound(wy, wpp, 4096) + 1e-12;
        expect(Math.abs(windowed.get() - exactAuc(wy, wpp))).toBeLessThanOrEqual(tol);
      }
    }
    const exact = exactAuc(ys, ps);
    expect(exact).toBeGreaterThan(0.7);
    expect(Math.abs(total.get() - exact)).toBeLessThanOrEqual(binBound(ys, ps, 4096) + 1e-12);
    // with continuous scores the bound itself is small
    expect(binBound(ys, ps, 4096)).toBeLessThan(2e-3);
  });

  it('equals the exact AUC to 1e-12 when scores sit in distinct bins or tie exactly (ties counted ½)', () => {
    const ys = [0, 1, 0, 1, 1, 0, 0.3, 1];
    const ps = [0.1, 0.9, 0.5, 0.5, 0.3, 0.7, 0.2, 0.95];
    const m = new RocAucMetric();
    for (let i = 0; i < ys.length; i++) m.update(ys[i], ps[i]);
    expect(m.get()).toBeCloseTo(exactAuc(ys, ps), 12);
  });

  it('doc example gives 1; one class only gives NaN; revert back to empty resets exactly', () => {
    const m = new RocAucMetric();
    m.update(0, 0.2);
    m.update(1, 0.9);
    m.update(0, 0.7);
    expect(m.get()).toBe(1);
    const one = new RocAucMetric();
    one.update(1, 0.3);
    expect(one.get()).toBeNaN();
    one.revert(1, 0.3);
    one.update(0, 0.1);
    one.update(1, 0.05);
    expect(one.get()).toBe(0);
  });
});
