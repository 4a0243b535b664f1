import { describe, expect, it } from 'vitest';
import { LabelNoise } from './label-noise.js';

describe('LabelNoise', () => {
  it('flips 0→1 with ρ0 and 1→0 with ρ1 (within 5 binomial sd over 30 000 each)', () => {
    const rho0 = 0.2;
    const rho1 = 0.35;
    const noise = new LabelNoise({ rho0, rho1, seed: 2 });
    const n = 30_000;
    let up = 0;
    let down = 0;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      noise.apply(0);
      up += noise.label;
      if (noise.trusted) bad++;
      noise.apply(1);
      down += 1 - noise.label;
    }
    expect(bad).toBe(0);
    expect(Math.abs(up - rho0 * n)).toBeLessThan(5 * Math.sqrt(n * rho0 * (1 - rho0)));
    expect(Math.abs(down - rho1 * n)).toBeLessThan(5 * Math.sqrt(n * rho1 * (1 - rho1)));
  });

  it('trusted events carry the clean label and sourceLabel = the noisy label; their share is trustedFraction', () => {
    const noise = new LabelNoise({ rho0: 0.3, rho1: 0.3, trustedFraction: 0.1, seed: 5 });
    const n = 20_000;
    let trusted = 0;
    let disagree = 0;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const clean = i % 2;
      noise.apply(clean);
      if (noise.trusted) {
        trusted++;
        if (noise.label !== clean || noise.sourceLabel !== noise.noisy) bad++;
        if (noise.sourceLabel !== clean) disagree++;
      } else if (noise.label !== noise.noisy || noise.sourceLabel !== null) {
        bad++;
      }
    }
    expect(bad).toBe(0);
    expect(Math.abs(trusted - 0.1 * n)).toBeLessThan(5 * Math.sqrt(n * 0.1 * 0.9));
    // Among trusted events the source is wrong 30% of the time.
    expect(Math.abs(disagree - 0.3 * trusted)).toBeLessThan(5 * Math.sqrt(trusted * 0.3 * 0.7));
  });

  it('refuses ρ0 + ρ1 ≥ 1 and rates outside [0, 1]', () => {
    expect(() => new LabelNoise({ rho0: 0.6, rho1: 0.4 })).toThrow(/ρ0 \+ ρ1 < 1/);
    expect(() => new LabelNoise({ rho0: -0.1, rho1: 0 })).toThrow(/rho0 -0.1/);
    expect(() => new LabelNoise({ rho0: 0.1, rho1: 0.1, trustedFraction: 2 })).toThrow(/trusted fraction 2/);
  });
});
