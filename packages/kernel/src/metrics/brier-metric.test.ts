import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { BrierMetric } from './brier-metric.js';
import { PairWindow } from './pair-window.js';

describe('BrierMetric', () => {
  it('equals mean (p − y)² on random data, total and over a sliding window of 250 (1e-12 relative)', () => {
    const rng = new Rng(2);
    const m = new BrierMetric();
    const w = new BrierMetric();
    const win = new PairWindow(250);
    const ys: number[] = [];
    const ps: number[] = [];
    const batch = (lo: number): number => {
      let s = 0;
      for (let i = lo; i < ys.length; i++) s += (ps[i] - ys[i]) ** 2;
      return s / (ys.length - lo);
    };
    for (let i = 0; i < 2000; i++) {
      const y = rng.next() < 0.5 ? 1 : rng.next();
      const p = rng.next();
      ys.push(y);
      ps.push(p);
      m.update(y, p);
      if (win.push(y, p)) w.revert(win.evictedY, win.evictedP);
      w.update(y, p);
      if (i % 173 === 0) expect(Math.abs(w.get() - batch(Math.max(0, ys.length - 250)))).toBeLessThanOrEqual(1e-12 * w.get());
    }
    expect(Math.abs(m.get() - batch(0))).toBeLessThanOrEqual(1e-12 * m.get());
  });

  it('doc example: one pair (1, 0.8) gives 0.04; empty gives NaN; revert to empty gives NaN', () => {
    const m = new BrierMetric();
    expect(m.get()).toBeNaN();
    m.update(1, 0.8);
    expect(m.get()).toBeCloseTo(0.04, 15);
    m.revert(1, 0.8);
    expect(m.get()).toBeNaN();
  });
});
