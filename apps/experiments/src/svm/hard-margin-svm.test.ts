import { describe, expect, it } from 'vitest';
import { separableGaussian } from '../data/separable-gaussian.js';
import { soudryDataset } from '../data/soudry-dataset.js';
import { kktResiduals, solveHardMarginSvm } from './hard-margin-svm.js';

/** Brute force in 2-D: the unit direction maximising the minimum margin, over a fine angle grid. */
function bruteForce2d(X: Float64Array, y: Float64Array): { angle: number; margin: number } {
  let best = -Infinity;
  let angle = 0;
  for (let k = 0; k < 200_000; k++) {
    const a = (2 * Math.PI * k) / 200_000;
    const c = Math.cos(a);
    const s = Math.sin(a);
    let m = Infinity;
    for (let i = 0; i < y.length; i++) m = Math.min(m, (y[i] > 0 ? 1 : -1) * (c * X[2 * i] + s * X[2 * i + 1]));
    if (m > best) {
      best = m;
      angle = a;
    }
  }
  return { angle, margin: best };
}

describe('solveHardMarginSvm', () => {
  it('finds ŵ = (0.5, 0.5), margin √2, on the Soudry et al. set, with KKT residuals below 1e-12', () => {
    const ds = soudryDataset(1);
    const s = solveHardMarginSvm(ds.X, ds.y, 2);
    expect(s.w[0]).toBeCloseTo(0.5, 12);
    expect(s.w[1]).toBeCloseTo(0.5, 12);
    expect(s.margin).toBeCloseTo(Math.SQRT2, 12);
    // The four support vectors sit exactly on the margin (α is not unique there: y·x of a point and its negative coincide).
    for (let i = 0; i < 4; i++) expect((ds.y[i] > 0 ? 1 : -1) * (s.w[0] * ds.X[2 * i] + s.w[1] * ds.X[2 * i + 1])).toBeCloseTo(1, 12);
    for (const i of s.support) expect(i).toBeLessThan(4);
    expect(Math.max(s.kkt.primal, s.kkt.dual, s.kkt.complementarity, s.kkt.stationarity)).toBeLessThan(1e-12);
  });

  it('agrees with a brute-force angle search on random 2-D separable sets (angle within 1e-4 rad, margin within 1e-4 of a 2π/200 000 grid)', () => {
    for (const seed of [2, 3, 4]) {
      const ds = separableGaussian(40, 2, 0.05, seed);
      const s = solveHardMarginSvm(ds.X, ds.y, 2);
      const b = bruteForce2d(ds.X, ds.y);
      const a = Math.atan2(s.w[1], s.w[0]);
      const diff = Math.abs(((a - b.angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      expect(diff).toBeLessThan(1e-4);
      // brute force is on a grid, so its margin is at most the optimum, short by O(grid step · |x|).
      expect(s.margin).toBeGreaterThanOrEqual(b.margin - 1e-12);
      expect(s.margin - b.margin).toBeLessThan(1e-4);
    }
  });

  it('solves a 200 × 10 set to KKT residuals below 1e-9', () => {
    const ds = separableGaussian(200, 10, 0.05, 7);
    const s = solveHardMarginSvm(ds.X, ds.y, 10);
    expect(s.kkt.primal).toBeLessThan(1e-9);
    expect(s.kkt.dual).toBe(0);
    expect(s.kkt.complementarity).toBeLessThan(1e-9);
    expect(s.kkt.stationarity).toBeLessThan(1e-9);
    expect(s.support.length).toBeLessThanOrEqual(10);
  });

  it('solves sets where coordinate ascent stalls (200 × 8, seed 11) through the NNLS fallback, KKT residuals below 1e-9', () => {
    const ds = separableGaussian(200, 8, 0.05, 11);
    const s = solveHardMarginSvm(ds.X, ds.y, 8, { maxSweeps: 2000 });
    expect(s.polished).toBe(true);
    expect(Math.max(s.kkt.primal, s.kkt.dual, s.kkt.complementarity, s.kkt.stationarity)).toBeLessThan(1e-9);
  });

  it('kktResiduals flags an infeasible candidate', () => {
    const X = Float64Array.from([1, 1, -1, -1]);
    const y = Float64Array.from([1, 0]);
    const r = kktResiduals(X, y, 2, Float64Array.from([0.25, 0.25]), Float64Array.from([0.25, 0.25]));
    expect(r.primal).toBeCloseTo(0.5, 12); // margin 0.5 < 1
  });

  it('refuses data that no hyperplane through the origin separates', () => {
    const X = Float64Array.from([1, 0, 2, 0]);
    expect(() => solveHardMarginSvm(X, Float64Array.from([1, 0]), 2, { maxSweeps: 10_000 })).toThrow(/not linearly separable/);
  });
});
