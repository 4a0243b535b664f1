import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { PosteriorRegressionEstimator } from './posterior-regression-estimator.js';

describe('PosteriorRegressionEstimator', () => {
  it('recovers ρ0 = 0.15, ρ1 = 0.25 from 50 000 events with calibrated clean p within 0.02 (≈ 4 standard errors)', () => {
    const rng = new Rng(22);
    const est = new PosteriorRegressionEstimator();
    for (let i = 0; i < 50_000; i++) {
      const p = rng.next();
      const clean = rng.next() < p ? 1 : 0;
      const noisy = rng.next() < (clean === 0 ? 0.15 : 0.25) ? 1 - clean : clean;
      est.observe(p, noisy);
    }
    expect(Math.abs(est.rho0 - 0.15)).toBeLessThan(0.02);
    expect(Math.abs(est.rho1 - 0.25)).toBeLessThan(0.02);
    expect(est.evidence).toBe(50_000);
  });

  it('equals the closed-form least-squares fit (1e-12) and the doc example', () => {
    const ps = [0.1, 0.4, 0.4, 0.7, 0.9, 0.95];
    const ys = [0, 1, 0, 1, 1, 1];
    const est = new PosteriorRegressionEstimator();
    for (let i = 0; i < ps.length; i++) est.observe(ps[i], ys[i]);
    const n = ps.length;
    const mp = ps.reduce((a, b) => a + b) / n;
    const my = ys.reduce((a, b) => a + b) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (ps[i] - mp) * (ys[i] - my);
      sxx += (ps[i] - mp) ** 2;
    }
    expect(est.slope).toBeCloseTo(sxy / sxx, 12);
    expect(est.intercept).toBeCloseTo(my - (sxy / sxx) * mp, 12);
    const doc = new PosteriorRegressionEstimator();
    doc.observe(0, 0);
    doc.observe(0, 1);
    doc.observe(1, 1);
    doc.observe(1, 1);
    expect(doc.rho0).toBeCloseTo(0.5, 15);
    expect(doc.rho1).toBeCloseTo(0, 15);
  });

  it('reports 0 before p varies, clips an impossible fit to a valid T, and round-trips its state', () => {
    const est = new PosteriorRegressionEstimator();
    est.observe(0.5, 1);
    est.observe(0.5, 0);
    expect([est.rho0, est.rho1]).toEqual([0, 0]);
    // anti-correlated labels: slope −1, intercept 1 → ρ0 = 1, ρ1 = 1 → clipped to sum 0.98
    const bad = new PosteriorRegressionEstimator();
    bad.observe(0, 1);
    bad.observe(1, 0);
    expect(bad.rho0 + bad.rho1).toBeCloseTo(0.98, 12);
    const copy = new PosteriorRegressionEstimator();
    copy.fromState(bad.toState());
    expect([copy.rho0, copy.rho1, copy.evidence]).toEqual([bad.rho0, bad.rho1, bad.evidence]);
  });
});
