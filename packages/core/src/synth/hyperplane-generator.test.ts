import { describe, expect, it } from 'vitest';
import { HyperplaneGenerator } from './hyperplane-generator.js';

describe('HyperplaneGenerator', () => {
  it('labels 1 iff Σ w_i x_i ≥ 0.5 Σ w_i (noise 0), d = 10 features in [0, 1), weights in [0, 1)', () => {
    const g = new HyperplaneGenerator({ noise: 0, seed: 4 });
    expect(g.dim).toBe(10);
    expect(g.driftFeatures).toBe(2);
    for (const w of g.weights) expect(w >= 0 && w < 1).toBe(true);
    const x = new Float64Array(10);
    let wrong = 0;
    let ones = 0;
    for (let n = 0; n < 5000; n++) {
      const y = g.nextInto(x);
      let s = 0;
      let sw = 0;
      for (let i = 0; i < 10; i++) {
        s += g.weights[i] * x[i];
        sw += g.weights[i];
      }
      if (y !== (s >= 0.5 * sw ? 1 : 0)) wrong++;
      ones += y;
    }
    expect(wrong).toBe(0);
    // By symmetry of x ↦ 1 − x the classes are balanced; 5 binomial sd at n = 5000 is 0.035.
    expect(Math.abs(ones / 5000 - 0.5)).toBeLessThan(0.035);
  });

  it('flips 5% of labels by default (within 5 binomial sd over 40 000 events)', () => {
    const g = new HyperplaneGenerator({ seed: 5 });
    const x = new Float64Array(10);
    const n = 40_000;
    let flips = 0;
    for (let k = 0; k < n; k++) {
      const y = g.nextInto(x);
      let s = 0;
      let sw = 0;
      for (let i = 0; i < 10; i++) {
        s += g.weights[i] * x[i];
        sw += g.weights[i];
      }
      if (y !== (s >= 0.5 * sw ? 1 : 0)) flips++;
    }
    expect(Math.abs(flips - 0.05 * n)).toBeLessThan(5 * Math.sqrt(n * 0.05 * 0.95));
  });

  it('drifts: the first k weights move by exactly ±t per event, the others stay; σ flips 10% of the time', () => {
    const t = 0.001;
    const g = new HyperplaneGenerator({ magnitude: t, noise: 0, seed: 6 });
    const x = new Float64Array(10);
    const before = Float64Array.from(g.weights);
    const prevStep = [0, 0];
    let flips = 0;
    let steps = 0;
    let bad = 0;
    const n = 20_000;
    const w0 = new Float64Array(10);
    for (let k = 0; k < n; k++) {
      w0.set(g.weights);
      g.nextInto(x);
      for (let i = 0; i < 10; i++) {
        const d = g.weights[i] - w0[i];
        if (i < 2) {
          if (!(Math.abs(Math.abs(d) - t) < 1e-12)) bad++;
          if (k > 0) {
            steps++;
            if (Math.sign(d) !== Math.sign(prevStep[i])) flips++;
          }
          prevStep[i] = d;
        } else if (d !== 0) {
          bad++;
        }
      }
    }
    expect(bad).toBe(0);
    expect(g.weights.slice(2)).toEqual(before.slice(2));
    expect(Math.abs(flips - 0.1 * steps)).toBeLessThan(5 * Math.sqrt(steps * 0.1 * 0.9));
  });
});
