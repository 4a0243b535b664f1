import { RocAucMetric, Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../state/index.js';
import { MetricsSuite } from './metrics-suite.js';

/** Brute-force metrics of a list of pairs, from the SPEC §1 formulas. */
function bruteForce(ys: number[], ps: number[]) {
  const n = ys.length;
  let ll = 0;
  let brier = 0;
  let acc = 0;
  const cnt = new Array<number>(15).fill(0);
  const sp = new Array<number>(15).fill(0);
  const sy = new Array<number>(15).fill(0);
  const auc = new RocAucMetric();
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    const p = Math.min(Math.max(ps[i], 1e-15), 1 - 1e-15);
    ll += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    brier += (ps[i] - y) ** 2;
    acc += (ps[i] >= 0.5) === (y >= 0.5) ? 1 : 0;
    const b = Math.min(14, Math.floor(ps[i] * 15));
    cnt[b]++;
    sp[b] += ps[i];
    sy[b] += y;
    auc.update(y, ps[i]);
  }
  let ece = 0;
  for (let b = 0; b < 15; b++) if (cnt[b] > 0) ece += (cnt[b] / n) * Math.abs(sy[b] / cnt[b] - sp[b] / cnt[b]);
  return {
    logLoss: ll / n,
    brier: brier / n,
    accuracy: acc / n,
    ece,
    auc: auc.get(),
    meanLabel: ys.reduce((a, b) => a + b, 0) / n,
    meanP: ps.reduce((a, b) => a + b, 0) / n,
    count: n,
    bins: cnt,
  };
}

function pairs(seed: number, n: number): { ys: number[]; ps: number[] } {
  const rng = new Rng(seed);
  const ys: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = rng.next();
    // mostly hard labels, some soft, correlated with p
    const u = rng.next();
    ys.push(i % 7 === 0 ? Math.round(p * 100) / 100 : u < p ? 1 : 0);
    ps.push(i % 11 === 0 ? 1 : p);
  }
  return { ys, ps };
}

describe('MetricsSuite', () => {
  it('runs the doc example', () => {
    const m = new MetricsSuite(100);
    m.update(1, 0.8);
    expect(m.window().brier as number).toBeCloseTo(0.04, 15);
  });

  it('window and total metrics match brute-force formulas at every checkpoint (to 1e-9)', () => {
    const W = 50;
    const { ys, ps } = pairs(1, 1234);
    const m = new MetricsSuite(W);
    for (let i = 0; i < ys.length; i++) {
      m.update(ys[i], ps[i]);
      if (i % 97 === 0 || i === ys.length - 1) {
        const lo = Math.max(0, i + 1 - W);
        const want = bruteForce(ys.slice(lo, i + 1), ps.slice(lo, i + 1));
        const got = m.window();
        expect(got.count).toBe(want.count);
        for (const k of ['logLoss', 'brier', 'accuracy', 'ece', 'meanLabel', 'meanP'] as const) {
          expect(Math.abs((got[k] as number) - want[k])).toBeLessThan(1e-9);
        }
        if (got.auc !== null) expect(Math.abs(got.auc - want.auc)).toBeLessThan(1e-9);
        const wantTotal = bruteForce(ys.slice(0, i + 1), ps.slice(0, i + 1));
        const total = m.total();
        expect(total.count).toBe(i + 1);
        expect(Math.abs((total.logLoss as number) - wantTotal.logLoss)).toBeLessThan(1e-9);
        expect(Math.abs((total.ece as number) - wantTotal.ece)).toBeLessThan(1e-9);
        const rel = m.reliability();
        expect(rel.length).toBe(15);
        expect(rel.map((b) => b.count)).toEqual(want.bins);
        expect(rel[0].lower).toBe(0);
        expect(rel[14].upper).toBe(1);
      }
    }
  });

  it('reports null for undefined values (no events; AUC with one class)', () => {
    const m = new MetricsSuite(10);
    expect(m.window()).toEqual({
      logLoss: null,
      brier: null,
      accuracy: null,
      auc: null,
      ece: null,
      meanLabel: null,
      meanP: null,
      count: 0,
    });
    m.update(1, 0.7);
    m.update(1, 0.9);
    expect(m.window().auc).toBeNull();
    expect(m.window().accuracy).toBe(1);
    expect(m.reliability().filter((b) => b.count === 0).every((b) => b.meanP === null && b.meanY === null)).toBe(true);
  });

  it('rebuilds the window exactly every W evictions: then it equals a fresh suite on the same W pairs (===)', () => {
    const W = 64;
    const { ys, ps } = pairs(2, W * 40 + 5);
    const m = new MetricsSuite(W);
    const freshOn = (end: number) => {
      const f = new MetricsSuite(W);
      for (let i = end - W; i < end; i++) f.update(ys[i], ps[i]);
      return f.window();
    };
    for (let i = 0; i < W * 40; i++) m.update(ys[i], ps[i]);
    // 39·W evictions: the last push triggered a rebuild, so the window is bit-identical to a fresh one.
    expect(m.window()).toEqual(freshOn(W * 40));
    // A few reverts later it is within rounding (1e-12) of the fresh value.
    for (let i = W * 40; i < ys.length; i++) m.update(ys[i], ps[i]);
    const a = m.window();
    const b = freshOn(ys.length);
    for (const k of ['logLoss', 'brier', 'accuracy', 'ece', 'auc', 'meanLabel', 'meanP'] as const) {
      expect(Math.abs((a[k] as number) - (b[k] as number))).toBeLessThan(1e-12);
    }
  });

  it('round-trips its state exactly through encodeState/decodeState', () => {
    const { ys, ps } = pairs(3, 500);
    const a = new MetricsSuite(40);
    for (let i = 0; i < 300; i++) a.update(ys[i], ps[i]);
    const b = new MetricsSuite(40);
    b.fromState(decodeState(encodeState(a.toState())));
    expect(b.window()).toEqual(a.window());
    expect(b.total()).toEqual(a.total());
    for (let i = 300; i < 500; i++) {
      a.update(ys[i], ps[i]);
      b.update(ys[i], ps[i]);
    }
    expect(b.window()).toEqual(a.window());
    expect(b.total()).toEqual(a.total());
    expect(b.reliability()).toEqual(a.reliability());
  });

  it('refuses a window size that is not a positive integer', () => {
    expect(() => new MetricsSuite(0)).toThrow(/metricsWindow 0/);
  });
});
