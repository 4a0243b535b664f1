import { describe, expect, it } from 'vitest';
import { binaryEntropy, logit, sigmoid } from '../math/sigmoid.js';
import { LogLoss } from './log-loss.js';

const loss = new LogLoss();
const labels = [0, 0.1, 0.5, 0.85, 1];

describe('LogLoss', () => {
  it('runs its doc example', () => {
    expect(loss.loss(0, 1)).toBe(Math.LN2);
    expect(loss.gradient(0, 1)).toBe(-0.5);
  });

  it('equals −[y ln p + (1−y) ln(1−p)] (|z| ≤ 15; to 1e-13 relative plus that form\'s own rounding, 1e-15·(1/p + 1/(1−p)))', () => {
    for (const y of labels) {
      for (let z = -15; z <= 15; z += 0.25) {
        const p = 1 / (1 + Math.exp(-z));
        const naive = -(y * Math.log(p) + (1 - y) * Math.log1p(-p));
        const tol = 1e-13 * Math.max(1, naive) + 1e-15 * (1 / p + 1 / (1 - p));
        expect(Math.abs(loss.loss(z, y) - naive)).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('gradient matches central finite differences over z ∈ [−30, 30] (h = 1e-4, |error| ≤ 1e-8)', () => {
    const h = 1e-4;
    for (const y of labels) {
      for (let z = -30; z <= 30; z += 0.1) {
        const fd = (loss.loss(z + h, y) - loss.loss(z - h, y)) / (2 * h);
        expect(Math.abs(loss.gradient(z, y) - fd)).toBeLessThanOrEqual(1e-8);
      }
    }
  });

  it('gradient is σ(z) − y exactly', () => {
    for (const y of labels) {
      for (let z = -10; z <= 10; z += 0.5) expect(loss.gradient(z, y)).toBe(sigmoid(z) - y);
    }
  });

  it('stays finite at |z| up to 800 and takes the exact limits', () => {
    for (const y of labels) {
      for (const z of [-800, -700, -100, -40, 40, 100, 700, 800]) {
        expect(Number.isFinite(loss.loss(z, y))).toBe(true);
        expect(Number.isFinite(loss.gradient(z, y))).toBe(true);
      }
      // softplus(±800) − y·(±800): exactly (1 − y)·800 at +800 and y·800 at −800 for these y
      expect(loss.loss(800, y)).toBeCloseTo((1 - y) * 800, 9);
      expect(loss.loss(-800, y)).toBeCloseTo(y * 800, 9);
      expect(loss.gradient(800, y)).toBe(1 - y);
      expect(loss.gradient(-800, y) + y).toBe(0);
    }
    expect(loss.loss(800, 1)).toBe(0);
    expect(loss.loss(-800, 0)).toBe(0);
  });

  it('has its minimum over p at p = y, equal to the entropy H(y) (to 1e-12)', () => {
    for (const y of [0.1, 0.5, 0.85, 0.3, 0.999]) {
      const zStar = logit(y);
      expect(Math.abs(loss.loss(zStar, y) - binaryEntropy(y))).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(loss.gradient(zStar, y))).toBeLessThanOrEqual(1e-15);
      // every other score on a grid costs more
      for (let z = -30; z <= 30; z += 0.05) {
        expect(loss.loss(z, y)).toBeGreaterThanOrEqual(binaryEntropy(y) - 1e-12);
      }
    }
    // hard labels: the infimum H(0) = H(1) = 0 is approached as p → y
    expect(loss.loss(-800, 0)).toBe(binaryEntropy(0));
    expect(loss.loss(800, 1)).toBe(binaryEntropy(1));
  });
});
