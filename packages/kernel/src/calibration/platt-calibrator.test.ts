import { describe, expect, it } from 'vitest';
import { sigmoid } from '../math/sigmoid.js';
import { Rng } from '../random/rng.js';
import { PlattCalibrator } from './platt-calibrator.js';

function stream(seed: number, n: number, a: number, c: number): { z: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = 2 * rng.gaussian();
    y[i] = rng.next() < sigmoid(a * z[i] + c) ? 1 : 0;
  }
  return { z, y };
}

/** Batch Platt fit (Newton's method) with scikit-learn's smoothed targets from the final class counts. */
function batchPlatt(z: Float64Array, y: Float64Array): [number, number] {
  let np = 0;
  for (const v of y) np += v;
  const nn = y.length - np;
  const tp = (np + 1) / (np + 2);
  const tn = 1 / (nn + 2);
  let a = 1;
  let c = 0;
  for (let it = 0; it < 12; it++) {
    let ga = 0;
    let gc = 0;
    let haa = 0;
    let hac = 0;
    let hcc = 0;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i] + c);
      const r = p - (y[i] === 1 ? tp : tn);
      const w = p * (1 - p);
      ga += r * z[i];
      gc += r;
      haa += w * z[i] * z[i];
      hac += w * z[i];
      hcc += w;
    }
    const det = haa * hcc - hac * hac;
    a -= (hcc * ga - hac * gc) / det;
    c -= (haa * gc - hac * ga) / det;
  }
  return [a, c];
}

describe('PlattCalibrator', () => {
  it('is σ(z) before it learns (a = 1, c = 0), and predict never changes it', () => {
    const cal = new PlattCalibrator();
    expect([cal.a, cal.c]).toEqual([1, 0]);
    for (const z of [-800, -2, 0, 3, 800]) expect(cal.predict(z)).toBe(sigmoid(z));
    cal.predict(5);
    expect([cal.a, cal.c]).toEqual([1, 0]);
  });

  it('converges to the true (a, c) = (0.5, −1) of a σ(a z + c) stream: within 0.03 (≈ 7 standard errors) after 100 000 events (memory ∞), and within 0.02 of the batch fit', () => {
    const { z, y } = stream(41, 100_000, 0.5, -1);
    const cal = new PlattCalibrator({ memory: Infinity });
    for (let i = 0; i < z.length; i++) cal.learnOne(z[i], y[i]);
    expect(Math.abs(cal.a - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(cal.c + 1)).toBeLessThan(0.03);
    const [ba, bc] = batchPlatt(z, y);
    expect(Math.abs(cal.a - ba)).toBeLessThan(0.02);
    expect(Math.abs(cal.c - bc)).toBeLessThan(0.02);
  });

  it('with the default memory (10 000 events) tracks a change of the map: within 0.1 of (2, 0.5) after switching from (0.5, −1)', () => {
    const first = stream(42, 30_000, 0.5, -1);
    const second = stream(43, 60_000, 2, 0.5);
    const cal = new PlattCalibrator();
    for (let i = 0; i < first.z.length; i++) cal.learnOne(first.z[i], first.y[i]);
    expect(Math.abs(cal.a - 0.5)).toBeLessThan(0.1);
    for (let i = 0; i < second.z.length; i++) cal.learnOne(second.z[i], second.y[i]);
    expect(Math.abs(cal.a - 2)).toBeLessThan(0.1 * 2);
    expect(Math.abs(cal.c - 0.5)).toBeLessThan(0.1);
  });

  it('stays finite on separable scores: z = ±3 for 10 000 events sharpens a above 1 but never past the smoothed-target optimum ln(N₊ + 1)/3, c ≈ 0', () => {
    const cal = new PlattCalibrator();
    for (let i = 0; i < 10_000; i++) {
      const y = i % 2;
      cal.learnOne(y === 1 ? 3 : -3, y);
    }
    const optimum = Math.log(5000 + 1) / 3;
    // the accumulated curvature of the early (less sure) events slows the approach to a moving optimum
    expect(cal.a).toBeGreaterThan(1.5);
    expect(cal.a).toBeLessThan(optimum);
    expect(Math.abs(cal.c)).toBeLessThan(0.2);
    expect(cal.predict(3)).toBeGreaterThan(0.99);
  });

  it('stays finite at extreme scores (|z| = 800) and keeps the order of scores', () => {
    const cal = new PlattCalibrator();
    for (let i = 0; i < 5000; i++) {
      const y = i % 2;
      cal.learnOne(y === 1 ? 800 : -800, y);
      cal.learnOne(y === 1 ? 3 : -3, y);
    }
    expect(Number.isFinite(cal.a)).toBe(true);
    expect(Number.isFinite(cal.c)).toBe(true);
    expect(cal.a).toBeGreaterThan(0);
    expect(cal.predict(800)).toBeGreaterThan(0.99);
    expect(cal.predict(-800)).toBeLessThan(0.01);
  });

  it('state round trip gives identical next outputs', () => {
    const { z, y } = stream(44, 3000, 0.7, 0.3);
    const a = new PlattCalibrator();
    for (let i = 0; i < 1000; i++) a.learnOne(z[i], y[i]);
    const b = new PlattCalibrator();
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    for (let i = 1000; i < 3000; i++) {
      expect(b.predict(z[i])).toBe(a.predict(z[i]));
      a.learnOne(z[i], y[i]);
      b.learnOne(z[i], y[i]);
    }
    expect(() => new PlattCalibrator({ learningRate: 2 })).toThrow(/learningRate 2/);
  });

  it('mix averages (a, c) with the given weights (1e-15), and a mixed calibrator keeps learning', () => {
    const p = new PlattCalibrator();
    const q = new PlattCalibrator();
    const s1 = stream(7, 3000, 0.5, -1);
    const s2 = stream(8, 3000, 2, 0.5);
    for (let i = 0; i < 3000; i++) {
      p.learnOne(s1.z[i], s1.y[i]);
      q.learnOne(s2.z[i], s2.y[i]);
    }
    const [pa, pc, qa, qc] = [p.a, p.c, q.a, q.c];
    p.mix(1, [q.toState()], [3]);
    expect(Math.abs(p.a - (0.25 * pa + 0.75 * qa))).toBeLessThan(1e-15 * Math.max(1, Math.abs(p.a)));
    expect(Math.abs(p.c - (0.25 * pc + 0.75 * qc))).toBeLessThan(1e-15 * Math.max(1, Math.abs(p.c)));
    p.learnOne(1, 1);
    expect(Number.isFinite(p.a)).toBe(true);
    expect(() => p.mix(1, [{ kind: 'isotonic' }], [1])).toThrow(/kind 'isotonic'/);
  });
});
