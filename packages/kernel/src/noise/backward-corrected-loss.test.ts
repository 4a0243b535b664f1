import { describe, expect, it } from 'vitest';
import { LogLoss } from '../losses/log-loss.js';
import { softplus } from '../math/sigmoid.js';
import { BackwardCorrectedLoss } from './backward-corrected-loss.js';

const RATES: [number, number][] = [
  [0, 0],
  [0.2, 0.1],
  [0, 0.3],
  [0.4, 0],
  [0.45, 0.45],
];
const LABELS = [0, 1, 0.3, 0.85];

describe('BackwardCorrectedLoss', () => {
  it("equals SPEC's row formulas ((1−ρ0)ℓ1 − ρ1ℓ0)/k and ((1−ρ1)ℓ0 − ρ0ℓ1)/k, soft ỹ mixing them (1e-12 relative)", () => {
    for (const [r0, r1] of RATES) {
      const loss = new BackwardCorrectedLoss(r0, r1);
      const k = 1 - r0 - r1;
      for (let z = -30; z <= 30; z += 0.83) {
        const l1 = softplus(-z);
        const l0 = softplus(z);
        const row1 = ((1 - r0) * l1 - r1 * l0) / k;
        const row0 = ((1 - r1) * l0 - r0 * l1) / k;
        for (const y of LABELS) {
          const want = y * row1 + (1 - y) * row0;
          expect(Math.abs(loss.loss(z, y) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(l0) + Math.abs(l1)) / k);
        }
      }
    }
  });

  it('gradient matches central finite differences (h = 1e-5, |error| ≤ 1e-7 (1 + |g|)), hard and soft ỹ', () => {
    const h = 1e-5;
    for (const [r0, r1] of RATES) {
      const loss = new BackwardCorrectedLoss(r0, r1);
      for (let z = -25; z <= 25; z += 0.61) {
        for (const y of LABELS) {
          const fd = (loss.loss(z + h, y) - loss.loss(z - h, y)) / (2 * h);
          const g = loss.gradient(z, y);
          expect(Math.abs(g - fd)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(g)));
        }
      }
    }
  });

  it('is unbiased: its expectation over the label noise equals the clean logistic loss and gradient (1e-12 relative)', () => {
    const ll = new LogLoss();
    for (const [r0, r1] of RATES) {
      const loss = new BackwardCorrectedLoss(r0, r1);
      for (let z = -20; z <= 20; z += 0.9) {
        // true y = 1: observed 1 with prob 1 − ρ1, 0 with prob ρ1
        const e1 = (1 - r1) * loss.loss(z, 1) + r1 * loss.loss(z, 0);
        const g1 = (1 - r1) * loss.gradient(z, 1) + r1 * loss.gradient(z, 0);
        // true y = 0: observed 1 with prob ρ0
        const e0 = r0 * loss.loss(z, 1) + (1 - r0) * loss.loss(z, 0);
        const g0 = r0 * loss.gradient(z, 1) + (1 - r0) * loss.gradient(z, 0);
        const scale = (Math.abs(z) + 1) / (1 - r0 - r1);
        expect(Math.abs(e1 - ll.loss(z, 1))).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(e0 - ll.loss(z, 0))).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(g1 - ll.gradient(z, 1))).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(g0 - ll.gradient(z, 0))).toBeLessThanOrEqual(1e-12 * scale);
      }
    }
  });

  it('can be negative (as SPEC says) and equals the logistic loss at ρ = 0; doc example gives ln 2', () => {
    const loss = new BackwardCorrectedLoss(0.2, 0.1);
    expect(loss.loss(10, 1)).toBeLessThan(0);
    expect(loss.loss(0, 1)).toBeCloseTo(Math.LN2, 14);
    const clean = new BackwardCorrectedLoss(0, 0);
    expect(clean.loss(800, 0)).toBe(800);
    loss.setRates(0.3, 0.3);
    expect(loss.rho1).toBe(0.3);
    expect(() => loss.setRates(0.5, 0.5)).toThrow(/ρ0 = 0.5, ρ1 = 0.5/);
  });
});
