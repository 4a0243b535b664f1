import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { AnchorPointEstimator } from './anchor-point-estimator.js';

describe('AnchorPointEstimator', () => {
  it('recovers ρ0 = 0.2, ρ1 = 0.1 within 0.003 when p̃ is the exact noisy posterior and 20% of events are anchors on each side', () => {
    const rng = new Rng(23);
    const est = new AnchorPointEstimator();
    for (let i = 0; i < 20_000; i++) {
      const u = rng.next();
      const eta = u < 0.2 ? 0 : u > 0.8 ? 1 : rng.next();
      est.observe(0.2 + 0.7 * eta);
    }
    expect(Math.abs(est.rho0 - 0.2)).toBeLessThan(0.003);
    expect(Math.abs(est.rho1 - 0.1)).toBeLessThan(0.003);
    expect(est.name).toBe('anchor');
  });

  it('doc example: p̃ uniform on [0.2, 0.9] gives the 1% / 99% quantiles 0.207 and 0.893 (±0.002)', () => {
    const est = new AnchorPointEstimator();
    for (let i = 0; i <= 1000; i++) est.observe(0.2 + 0.7 * (i / 1000));
    expect(est.rho0).toBeCloseTo(0.207, 2);
    expect(Math.abs(est.rho0 - 0.207)).toBeLessThan(0.002);
    expect(Math.abs(est.rho1 - 0.107)).toBeLessThan(0.002);
  });

  it('is biased low with a logistic model fitted on the noisy labels (the SPEC caveat): both estimates below the truth', () => {
    // clean posterior η = σ(3x), x uniform in [−3, 3]; labels flipped with ρ0 = 0.2, ρ1 = 0.1;
    // fit p̃ = σ(a x + b) to the noisy labels by Newton's method (maximum likelihood).
    const rng = new Rng(24);
    const n = 20_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = -3 + 6 * rng.next();
      const clean = rng.next() < 1 / (1 + Math.exp(-3 * x)) ? 1 : 0;
      xs[i] = x;
      ys[i] = rng.next() < (clean === 0 ? 0.2 : 0.1) ? 1 - clean : clean;
    }
    let a = 0;
    let b = 0;
    for (let it = 0; it < 25; it++) {
      let ga = 0;
      let gb = 0;
      let haa = 0;
      let hab = 0;
      let hbb = 0;
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(a * xs[i] + b)));
        const r = p - ys[i];
        const w = p * (1 - p);
        ga += r * xs[i];
        gb += r;
        haa += w * xs[i] * xs[i];
        hab += w * xs[i];
        hbb += w;
      }
      const det = haa * hbb - hab * hab;
      a -= (hbb * ga - hab * gb) / det;
      b -= (haa * gb - hab * ga) / det;
    }
    const est = new AnchorPointEstimator();
    for (let i = 0; i < n; i++) est.observe(1 / (1 + Math.exp(-(a * xs[i] + b))));
    expect(est.rho0).toBeLessThan(0.2 - 0.02);
    expect(est.rho1).toBeLessThan(0.1 - 0.02);
  });

  it('reports 0 before any event and round-trips its state', () => {
    const est = new AnchorPointEstimator();
    expect([est.rho0, est.rho1]).toEqual([0, 0]);
    est.observe(0.3);
    est.observe(0.8);
    const copy = new AnchorPointEstimator();
    copy.fromState(est.toState());
    expect([copy.rho0, copy.rho1, copy.evidence]).toEqual([est.rho0, est.rho1, 2]);
    expect(() => new AnchorPointEstimator({ bins: 50 }).fromState(est.toState())).toThrow(/50 bins/);
  });
});
