import { describe, expect, it } from 'vitest';
import { marginsExperiment } from './margins.js';

describe('marginsExperiment (quick: three generated logistic streams, ‖w*‖ = 1, 3, 10)', () => {
  const r = marginsExperiment({ quick: true });
  it('accuracy of the hinge and the logistic model within 0.03 of each other on every stream', () => {
    for (const s of r.streams) expect(Math.abs(s.models[0].accuracy - s.models[1].accuracy)).toBeLessThan(0.03);
  });
  it('the logistic model (a proper scoring rule) has the lower held-out log loss than σ(hinge score) on every stream', () => {
    for (const s of r.streams) expect(s.models[0].logLoss).toBeLessThan(s.models[1].logLoss);
  });
  it('on the low-signal stream (‖w*‖ = 1) Platt scaling lowers the ECE of the hinge model', () => {
    expect(r.streams[0].models[2].ece).toBeLessThan(r.streams[0].models[1].ece);
  });
  it('the hinge loss ignores easy events (zero-gradient share above 0.3 in the last block), the logistic loss never does (0)', () => {
    for (const s of r.streams) {
      expect(s.zeroHinge[s.zeroHinge.length - 1]).toBeGreaterThan(0.3);
      expect(Math.max(...s.zeroLog)).toBe(0);
      expect(s.meanGradEasyHinge).toBe(0);
      expect(s.meanGradEasyLog).toBeGreaterThan(0);
    }
  });
});
