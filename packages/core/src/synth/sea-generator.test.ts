import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { SEA_THRESHOLDS, SeaGenerator } from './sea-generator.js';

describe('SeaGenerator', () => {
  it('labels by x1 + x2 > θ for each concept θ = 8, 9, 7, 9.5 with noise 0; features in [0, 10)', () => {
    expect(SEA_THRESHOLDS).toEqual([8, 9, 7, 9.5]);
    for (let c = 1; c <= 4; c++) {
      const g = new SeaGenerator({ concept: c, noise: 0, seed: c });
      expect(g.theta).toBe(SEA_THRESHOLDS[c - 1]);
      const x = new Float64Array(3);
      let wrong = 0;
      let ones = 0;
      let outside = 0;
      for (let i = 0; i < 5000; i++) {
        const y = g.nextInto(x);
        if (y !== (x[0] + x[1] <= SEA_THRESHOLDS[c - 1] ? 0 : 1)) wrong++;
        ones += y;
        for (let j = 0; j < 3; j++) if (!(x[j] >= 0 && x[j] < 10)) outside++;
      }
      expect(wrong).toBe(0);
      expect(outside).toBe(0);
      // P(x1 + x2 > θ) for uniform [0,10)²: 1 − θ²/200 for θ ≤ 10; binomial sd ≤ 0.0071 at n = 5000, allow 5 sd.
      const theta = SEA_THRESHOLDS[c - 1];
      expect(Math.abs(ones / 5000 - (1 - (theta * theta) / 200))).toBeLessThan(0.036);
    }
  });

  it('flips labels at the noise rate: 10% default, within 5 binomial sd over 40 000 events', () => {
    const g = new SeaGenerator({ seed: 3 });
    expect(g.noise).toBe(0.1);
    const x = new Float64Array(3);
    const n = 40_000;
    let flips = 0;
    for (let i = 0; i < n; i++) {
      const y = g.nextInto(x);
      if (y !== (x[0] + x[1] <= 8 ? 0 : 1)) flips++;
    }
    const sd = Math.sqrt(n * 0.1 * 0.9);
    expect(Math.abs(flips - 0.1 * n)).toBeLessThan(5 * sd);
  });

  it('setConcept switches θ in place; the same seed gives the same stream', () => {
    const a = new SeaGenerator({ seed: 9 });
    const b = new SeaGenerator({ seed: 9 });
    const xa = new Float64Array(3);
    const xb = new Float64Array(3);
    for (let i = 0; i < 100; i++) {
      expect(a.nextInto(xa)).toBe(b.nextInto(xb));
      expect(xa).toEqual(xb);
    }
    a.setConcept(4);
    expect(a.concept).toBe(4);
    expect(a.theta).toBe(9.5);
    expect(() => a.setConcept(5)).toThrow(CoreError);
    expect(() => new SeaGenerator({ noise: 1.5 })).toThrow(/SEA noise 1.5 must be a number in \[0, 1\]/);
  });
});
