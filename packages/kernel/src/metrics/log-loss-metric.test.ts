import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { LogLossMetric } from './log-loss-metric.js';
import { PairWindow } from './pair-window.js';

function batch(ys: number[], ps: number[]): number {
  let s = 0;
  for (let i = 0; i < ys.length; i++) {
    const p = Math.min(Math.max(ps[i], 1e-15), 1 - 1e-15);
    s += -(ys[i] * Math.log(p) + (1 - ys[i]) * Math.log(1 - p));
  }
  return s / ys.length;
}

describe('LogLossMetric', () => {
  it('equals the batch formula on random soft and hard labels, in total and over a sliding window of 300 (1e-12 relative)', () => {
    const rng = new Rng(1);
    const m = new LogLossMetric();
    const w = new LogLossMetric();
    const win = new PairWindow(300);
    const ys: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const y = i % 3 === 0 ? rng.next() : rng.next() < 0.4 ? 1 : 0;
      const p = rng.next();
      ys.push(y);
      ps.push(p);
      m.update(y, p);
      if (win.push(y, p)) w.revert(win.evictedY, win.evictedP);
      w.update(y, p);
      if (i % 211 === 0 || i === 2999) {
        const lo = Math.max(0, ys.length - 300);
        const want = batch(ys.slice(lo), ps.slice(lo));
        expect(Math.abs(w.get() - want)).toBeLessThanOrEqual(1e-12 * want);
      }
    }
    expect(Math.abs(m.get() - batch(ys, ps))).toBeLessThanOrEqual(1e-12 * m.get());
    expect(m.count).toBe(3000);
  });

  it('clips p to [1e-15, 1 − 1e-15]: p = 0 with y = 1 costs −ln 1e-15, and the doc example gives ln 2', () => {
    const m = new LogLossMetric();
    m.update(1, 0);
    expect(m.get()).toBeCloseTo(-Math.log(1e-15), 12);
    const e = new LogLossMetric();
    e.update(1, 0.5);
    expect(e.get()).toBeCloseTo(Math.LN2, 15);
    expect(new LogLossMetric().get()).toBeNaN();
  });
});
