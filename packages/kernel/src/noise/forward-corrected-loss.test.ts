import { describe, expect, it } from 'vitest';
import { LogLoss } from '../losses/log-loss.js';
import { ForwardCorrectedLoss } from './forward-corrected-loss.js';

const RATES: [number, number][] = [
  [0, 0],
  [0.2, 0.1],
  [0, 0.3],
  [0.4, 0],
  [0.45, 0.45],
];
const LABELS = [0, 1, 0.3, 0.85];

function naive(z: number, y: number, r0: number, r1: number): number {
  const p = 1 / (1 + Math.exp(-z));
  const q = r0 * (1 - p) + (1 - r1) * p;
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

describe('ForwardCorrectedLoss', () => {
  it('matches −[ỹ ln q + (1−ỹ) ln(1−q)] with q = ρ0(1−p) + (1−ρ1)p for |z| ≤ 10 (1e-12 relative)', () => {
    for (const [r0, r1] of RATES) {
      const loss = new ForwardCorrectedLoss(r0, r1);
      for (let z = -10; z <= 10; z += 0.73) {
        for (const y of LABELS) {
          const want = naive(z, y, r0, r1);
          expect(Math.abs(loss.loss(z, y) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
        }
      }
    }
  });

  it('gradient matches central finite differences (h = 1e-5, |error| ≤ 1e-7 (1 + |g|)), hard and soft ỹ, several (ρ0, ρ1)', () => {
    const h = 1e-5;
    for (const [r0, r1] of RATES) {
      const loss = new ForwardCorrectedLoss(r0, r1);
      for (let z = -25; z <= 25; z += 0.61) {
        for (const y of LABELS) {
          const fd = (loss.loss(z + h, y) - loss.loss(z - h, y)) / (2 * h);
          const g = loss.gradient(z, y);
          expect(Math.abs(g - fd)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(g)));
        }
      }
    }
  });

  it('gradient equals the SPEC form (q − ỹ)/(q(1−q)) · (1−ρ0−ρ1) · p(1−p) where that is well conditioned (1e-10 relative)', () => {
    for (const [r0, r1] of RATES) {
      const loss = new ForwardCorrectedLoss(r0, r1);
      for (let z = -8; z <= 8; z += 0.5) {
        for (const y of LABELS) {
          const p = 1 / (1 + Math.exp(-z));
          const q = r0 * (1 - p) + (1 - r1) * p;
          const want = ((q - y) / (q * (1 - q))) * (1 - r0 - r1) * p * (1 - p);
          expect(Math.abs(loss.gradient(z, y) - want)).toBeLessThanOrEqual(1e-10 * Math.max(1e-3, Math.abs(want)));
        }
      }
    }
  });

  it('at ρ0 = ρ1 = 0 equals the logistic loss and its gradient (1e-12), for any z in [−40, 40] and soft labels', () => {
    const fwd = new ForwardCorrectedLoss(0, 0);
    const ll = new LogLoss();
    for (let z = -40; z <= 40; z += 0.37) {
      for (const y of LABELS) {
        expect(Math.abs(fwd.loss(z, y) - ll.loss(z, y))).toBeLessThanOrEqual(1e-12 * Math.max(1, ll.loss(z, y)));
        expect(Math.abs(fwd.gradient(z, y) - ll.gradient(z, y))).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('stays finite and exact at |z| = 800 when a rate is 0 (no log of a rounded 0)', () => {
    const clean = new ForwardCorrectedLoss(0, 0);
    expect(clean.loss(-800, 1)).toBe(800);
    expect(clean.loss(800, 0)).toBe(800);
    expect(clean.gradient(-800, 1)).toBe(-1);
    expect(clean.gradient(800, 0)).toBe(1);
    const half = new ForwardCorrectedLoss(0, 0.1);
    // y = 1 at z = −800: q = (1−ρ1)·σ(−800·…) → ln q = ln 0.9 − 800
    expect(half.loss(-800, 1)).toBeCloseTo(800 - Math.log(0.9), 10);
    // y = 0 at z = 800: 1 − q → ρ1 = 0.1
    expect(half.loss(800, 0)).toBeCloseTo(-Math.log(0.1), 12);
    const other = new ForwardCorrectedLoss(0.1, 0);
    // y = 0 at z = 800: 1 − q = (1−ρ0)·σ(−800) → ln(1−q) = ln 0.9 − 800
    expect(other.loss(800, 0)).toBeCloseTo(800 - Math.log(0.9), 10);
    expect(other.loss(-800, 1)).toBeCloseTo(-Math.log(0.1), 12);
    for (const loss of [half, other]) {
      for (const z of [-800, -400, 400, 800]) {
        for (const y of LABELS) {
          expect(Number.isFinite(loss.loss(z, y))).toBe(true);
          expect(Number.isFinite(loss.gradient(z, y))).toBe(true);
        }
      }
    }
  });

  it('setRates changes the rates and validates them; doc example values', () => {
    const loss = new ForwardCorrectedLoss(0, 0);
    loss.setRates(0.2, 0.1);
    expect(loss.rho0).toBe(0.2);
    expect(loss.loss(0, 1)).toBeCloseTo(-Math.log(0.55), 14);
    expect(loss.gradient(0, 1)).toBeCloseTo(((0.55 - 1) / (0.55 * 0.45)) * 0.7 * 0.25, 14);
    expect(() => loss.setRates(0.7, 0.4)).toThrow(/ρ0 \+ ρ1 < 1/);
  });
});
