import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { AccuracyMetric } from './accuracy-metric.js';
import { PairWindow } from './pair-window.js';

describe('AccuracyMetric', () => {
  it('equals the share of (p ≥ 0.5) = (y ≥ 0.5), total and over a window of 100, exactly (integer counts)', () => {
    const rng = new Rng(3);
    const m = new AccuracyMetric();
    const w = new AccuracyMetric();
    const win = new PairWindow(100);
    const ok: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const y = rng.next() < 0.5 ? 1 : 0;
      const p = rng.next();
      ok.push(p >= 0.5 === y >= 0.5 ? 1 : 0);
      m.update(y, p);
      if (win.push(y, p)) w.revert(win.evictedY, win.evictedP);
      w.update(y, p);
      const tail = ok.slice(Math.max(0, ok.length - 100));
      expect(w.get()).toBe(tail.reduce((a, b) => a + b, 0) / tail.length);
    }
    expect(m.get()).toBe(ok.reduce((a, b) => a + b, 0) / ok.length);
  });

  it('doc example and the threshold: p = 0.5 predicts 1; a soft label 0.5 counts as 1', () => {
    const m = new AccuracyMetric();
    m.update(1, 0.7);
    m.update(0, 0.6);
    expect(m.get()).toBe(0.5);
    const t = new AccuracyMetric();
    t.update(1, 0.5);
    t.update(0.5, 0.9);
    t.update(0.49, 0.49);
    expect(t.get()).toBe(1);
  });
});
