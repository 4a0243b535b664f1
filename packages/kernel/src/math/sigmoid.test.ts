import { describe, expect, it } from 'vitest';
import { binaryEntropy, logSigmoid, logit, sigmoid, softplus } from './sigmoid.js';

describe('sigmoid and softplus', () => {
  it('match the textbook formulas where those are exact to 1e-15', () => {
    for (let z = -30; z <= 30; z += 0.37) {
      expect(sigmoid(z)).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
      expect(softplus(z)).toBeCloseTo(Math.log(1 + Math.exp(z)), 12);
    }
  });

  it('stay finite and exact at extreme scores', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(logSigmoid(-800)).toBe(-800);
    expect(Number.isFinite(logSigmoid(-1e6))).toBe(true);
  });

  it('logit inverts sigmoid up to the rounding of p (|error| ≤ 4e-16 · (1 + e^|z|)))', () => {
    for (let z = -20; z <= 20; z += 0.5) {
      expect(Math.abs(logit(sigmoid(z)) - z)).toBeLessThanOrEqual(4e-16 * (1 + Math.exp(Math.abs(z))));
    }
  });

  it('binaryEntropy is H(y) with 0 ln 0 = 0', () => {
    expect(binaryEntropy(0)).toBe(0);
    expect(binaryEntropy(1)).toBe(0);
    expect(binaryEntropy(0.5)).toBeCloseTo(Math.LN2, 15);
    expect(binaryEntropy(0.2)).toBeCloseTo(-(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8)), 15);
  });
});
