import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { CalibrationErrorMetric } from './calibration-error-metric.js';
import { PairWindow } from './pair-window.js';

/** Direct ECE: group by ⌊15 p⌋ (p = 1 in the last bin), Σ_b |Σy − Σp| / N. */
function directEce(ys: number[], ps: number[]): { ece: number; counts: number[]; meanP: number[]; meanY: number[] } {
  const groups: { y: number[]; p: number[] }[] = Array.from({ length: 15 }, () => ({ y: [], p: [] }));
  for (let i = 0; i < ys.length; i++) {
    const b = Math.min(14, Math.floor(ps[i] * 15));
    groups[b].y.push(ys[i]);
    groups[b].p.push(ps[i]);
  }
  let ece = 0;
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  for (const g of groups) if (g.y.length > 0) ece += (g.y.length / ys.length) * Math.abs(mean(g.y) - mean(g.p));
  return {
    ece,
    counts: groups.map((g) => g.y.length),
    meanP: groups.map((g) => (g.p.length ? mean(g.p) : Number.NaN)),
    meanY: groups.map((g) => (g.y.length ? mean(g.y) : Number.NaN)),
  };
}

describe('CalibrationErrorMetric', () => {
  it('equals a direct 15-bin ECE on random data, total and over a window of 500 (1e-12), and bins() is the reliability table', () => {
    const rng = new Rng(5);
    const total = new CalibrationErrorMetric();
    const windowed = new CalibrationErrorMetric();
    const win = new PairWindow(500);
    const ys: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const p = i === 7 ? 1 : rng.next();
      const y = rng.next() < p * p ? 1 : 0; // miscalibrated on purpose
      ys.push(y);
      ps.push(p);
      total.update(y, p);
      if (win.push(y, p)) windowed.revert(win.evictedY, win.evictedP);
      windowed.update(y, p);
      if (i % 397 === 0) expect(windowed.get()).toBeCloseTo(directEce(ys.slice(-500), ps.slice(-500)).ece, 12);
    }
    const d = directEce(ys, ps);
    expect(d.ece).toBeGreaterThan(0.05);
    expect(total.get()).toBeCloseTo(d.ece, 12);
    const bins = total.bins();
    expect(bins.length).toBe(15);
    for (let b = 0; b < 15; b++) {
      expect(bins[b].lower).toBeCloseTo(b / 15, 15);
      expect(bins[b].upper).toBeCloseTo((b + 1) / 15, 15);
      expect(bins[b].count).toBe(d.counts[b]);
      expect(bins[b].meanP).toBeCloseTo(d.meanP[b], 12);
      expect(bins[b].meanY).toBeCloseTo(d.meanY[b], 12);
    }
  });

  it('doc example: two pairs at p = 0.9 with labels 1 and 0 give 0.4; empty bins have NaN means', () => {
    const m = new CalibrationErrorMetric();
    m.update(1, 0.9);
    m.update(0, 0.9);
    expect(m.get()).toBeCloseTo(0.4, 15);
    expect(m.bins()[0].count).toBe(0);
    expect(m.bins()[0].meanP).toBeNaN();
    expect(m.bins()[13].count).toBe(2);
  });
});
