import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { TrustedPairEstimator } from './trusted-pair-estimator.js';

describe('TrustedPairEstimator', () => {
  it('recovers ρ0 = 0.2, ρ1 = 0.1 from 20 000 trusted pairs within 0.015 (≈ 4 standard errors)', () => {
    const rng = new Rng(21);
    const est = new TrustedPairEstimator();
    for (let i = 0; i < 20_000; i++) {
      const t = rng.next() < 0.4 ? 1 : 0;
      const flip = rng.next() < (t === 0 ? 0.2 : 0.1);
      est.observe(t, flip ? 1 - t : t);
    }
    expect(Math.abs(est.rho0 - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(est.rho1 - 0.1)).toBeLessThan(0.015);
    expect(est.evidence).toBe(20_000);
    expect(est.name).toBe('trusted');
  });

  it('is the Beta posterior mean: prior mean 0.05 with no data, (n01 + α)/(n0 + α + β) with data (doc example)', () => {
    const est = new TrustedPairEstimator();
    expect(est.rho0).toBeCloseTo(0.05, 15);
    expect(est.rho1).toBeCloseTo(0.05, 15);
    est.observe(0, 1);
    est.observe(0, 0);
    est.observe(1, 1);
    expect(est.rho0).toBeCloseTo((1 + 0.1) / (2 + 2), 15);
    expect(est.rho1).toBeCloseTo((0 + 0.1) / (1 + 2), 15);
  });

  it('state round trip reproduces the estimate exactly', () => {
    const a = new TrustedPairEstimator();
    a.observe(0, 1);
    a.observe(1, 0.3);
    const b = new TrustedPairEstimator();
    b.fromState(a.toState());
    expect([b.rho0, b.rho1, b.evidence]).toEqual([a.rho0, a.rho1, a.evidence]);
    expect(() => b.fromState({ kind: 'anchor' })).toThrow(/TrustedPairEstimator.toState/);
  });
});
