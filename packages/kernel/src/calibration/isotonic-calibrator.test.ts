import { describe, expect, it } from 'vitest';
import { sigmoid } from '../math/sigmoid.js';
import { Rng } from '../random/rng.js';
import { IsotonicCalibrator } from './isotonic-calibrator.js';
import { poolAdjacentViolators } from './pool-adjacent-violators.js';

function stream(seed: number, n: number): { z: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = 2 * rng.gaussian();
    y[i] = rng.next() < sigmoid(0.5 * z[i] - 1) ? 1 : 0;
  }
  return { z, y };
}

describe('IsotonicCalibrator', () => {
  it('returns σ(z) before its first fit (the first refitEvery events), then the fitted map', () => {
    const cal = new IsotonicCalibrator({ window: 100, refitEvery: 10 });
    const { z, y } = stream(1, 10);
    for (let i = 0; i < 9; i++) {
      expect(cal.predict(z[i])).toBe(sigmoid(z[i]));
      cal.learnOne(z[i], y[i]);
    }
    expect(cal.blocks).toBe(0);
    expect(cal.predict(0.3)).toBe(sigmoid(0.3));
    cal.learnOne(z[9], y[9]);
    expect(cal.blocks).toBeGreaterThan(0);
  });

  it('interpolates linearly between block centres and clips at the ends (1e-12), and is non-decreasing in z', () => {
    const { z, y } = stream(2, 500);
    const cal = new IsotonicCalibrator({ window: 500, refitEvery: 500 });
    for (let i = 0; i < 500; i++) cal.learnOne(z[i], y[i]);
    // independent fit of the same window
    const idx = Array.from({ length: 500 }, (_, i) => i).sort((a, b) => z[a] - z[b]);
    const sz = Float64Array.from(idx.map((i) => z[i]));
    const sy = Float64Array.from(idx.map((i) => y[i]));
    const bx = new Float64Array(500);
    const by = new Float64Array(500);
    const bw = new Float64Array(500);
    const m = poolAdjacentViolators(sz, sy, new Float64Array(500).fill(1), 500, bx, by, bw);
    expect(cal.blocks).toBe(m);
    expect(cal.predict(bx[0] - 5)).toBe(by[0]);
    expect(cal.predict(bx[m - 1] + 5)).toBe(by[m - 1]);
    for (let b = 0; b + 1 < m; b++) {
      const mid = 0.3 * bx[b] + 0.7 * bx[b + 1];
      const want = by[b] + ((mid - bx[b]) / (bx[b + 1] - bx[b])) * (by[b + 1] - by[b]);
      expect(cal.predict(mid)).toBeCloseTo(want, 12);
      expect(cal.predict(bx[b])).toBeCloseTo(by[b], 12);
    }
    let prev = -1;
    for (let t = -8; t <= 8; t += 0.01) {
      const p = cal.predict(t);
      expect(p).toBeGreaterThanOrEqual(prev);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      prev = p;
    }
  });

  it('uses only the last `window` pairs: after 3000 events it predicts exactly like one fed the last 1000', () => {
    const { z, y } = stream(3, 3000);
    const a = new IsotonicCalibrator({ window: 1000, refitEvery: 100 });
    const b = new IsotonicCalibrator({ window: 1000, refitEvery: 100 });
    for (let i = 0; i < 3000; i++) a.learnOne(z[i], y[i]);
    for (let i = 2000; i < 3000; i++) b.learnOne(z[i], y[i]);
    for (let t = -6; t <= 6; t += 0.05) expect(a.predict(t)).toBe(b.predict(t));
  });

  it('recovers the true calibration map σ(0.5 z − 1) within 0.06 at z ∈ {−2, 0, 2} from a 2000-event window', () => {
    const { z, y } = stream(4, 4000);
    const cal = new IsotonicCalibrator();
    for (let i = 0; i < 4000; i++) cal.learnOne(z[i], y[i]);
    for (const t of [-2, 0, 2]) expect(Math.abs(cal.predict(t) - sigmoid(0.5 * t - 1))).toBeLessThan(0.06);
  });

  it('incremental refits equal a from-scratch fit of the window bit for bit, with tied scores (window 700, refitEvery 90)', () => {
    const rng = new Rng(6);
    const cal = new IsotonicCalibrator({ window: 700, refitEvery: 90 });
    const zs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const z = Math.round(4 * rng.gaussian()) / 2; // many ties
      const y = rng.next() < sigmoid(z) ? 1 : 0;
      zs.push(z);
      ys.push(y);
      cal.learnOne(z, y);
      if ((i + 1) % 90 !== 0 || i < 1000) continue;
      const lo = Math.max(0, zs.length - 700);
      const idx = Array.from({ length: zs.length - lo }, (_, k) => lo + k).sort((a, b) => zs[a] - zs[b]); // stable
      const m0 = idx.length;
      const bx = new Float64Array(m0);
      const by = new Float64Array(m0);
      const bw = new Float64Array(m0);
      const m = poolAdjacentViolators(
        Float64Array.from(idx.map((k) => zs[k])),
        Float64Array.from(idx.map((k) => ys[k])),
        new Float64Array(m0).fill(1),
        m0,
        bx,
        by,
        bw,
      );
      expect(cal.blocks).toBe(m);
      for (let b = 0; b < m; b++) expect(cal.predict(bx[b])).toBe(by[b]);
    }
  });

  it('state round trip gives identical next outputs, through later refits too', () => {
    const { z, y } = stream(5, 1500);
    const a = new IsotonicCalibrator({ window: 300, refitEvery: 70 });
    for (let i = 0; i < 777; i++) a.learnOne(z[i], y[i]);
    const b = new IsotonicCalibrator({ window: 300, refitEvery: 70 });
    b.fromState(a.toState());
    for (let i = 777; i < 1500; i++) {
      expect(b.predict(z[i])).toBe(a.predict(z[i]));
      a.learnOne(z[i], y[i]);
      b.learnOne(z[i], y[i]);
    }
    expect(() => new IsotonicCalibrator({ window: 200 }).fromState(a.toState())).toThrow(/window 200/);
    // and with tied scores
    const c = new IsotonicCalibrator({ window: 300, refitEvery: 70 });
    const tie = (i: number): number => Math.round(z[i]);
    for (let i = 0; i < 555; i++) c.learnOne(tie(i), y[i]);
    const d = new IsotonicCalibrator({ window: 300, refitEvery: 70 });
    d.fromState(c.toState());
    for (let i = 555; i < 1500; i++) {
      expect(d.predict(z[i])).toBe(c.predict(z[i]));
      c.learnOne(tie(i), y[i]);
      d.learnOne(tie(i), y[i]);
    }
  });
});
