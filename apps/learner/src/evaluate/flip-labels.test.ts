import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { flipLabels } from './flip-labels.js';

describe('flipLabels', () => {
  it('flips each class at its own rate (within 5 binomial standard deviations, n = 100 000 per class)', () => {
    const n = 200_000;
    const clean = new Uint8Array(n);
    for (let i = 0; i < n; i++) clean[i] = i % 2;
    const noisy = flipLabels(clean, 0.2, 0.3, new Rng(11));
    let f0 = 0;
    let f1 = 0;
    for (let i = 0; i < n; i++) {
      if (clean[i] === 0 && noisy[i] === 1) f0++;
      if (clean[i] === 1 && noisy[i] === 0) f1++;
    }
    const half = n / 2;
    expect(Math.abs(f0 / half - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / half));
    expect(Math.abs(f1 / half - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / half));
  });

  it('is deterministic by seed and differs between seeds', () => {
    const clean = new Uint8Array(1000).map((_, i) => (i * 7) % 2);
    const a = flipLabels(clean, 0.2, 0.3, new Rng(5));
    const b = flipLabels(clean, 0.2, 0.3, new Rng(5));
    const c = flipLabels(clean, 0.2, 0.3, new Rng(6));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('draws one number per label, so the flips of class 1 do not depend on rho0', () => {
    const clean = new Uint8Array(2000).map((_, i) => i % 2);
    const a = flipLabels(clean, 0, 0.3, new Rng(9));
    const b = flipLabels(clean, 0.4, 0.3, new Rng(9));
    for (let i = 1; i < clean.length; i += 2) expect(b[i]).toBe(a[i]);
    for (let i = 0; i < clean.length; i += 2) expect(a[i]).toBe(0);
  });

  it('refuses rates with rho0 + rho1 >= 1 and labels that are not 0/1', () => {
    expect(() => flipLabels([0, 1], 0.6, 0.4, new Rng(1))).toThrow(/rho0 \+ rho1 < 1/);
    expect(() => flipLabels([0, 0.5], 0.1, 0.1, new Rng(1))).toThrow(/label 0.5 at row 1/);
  });
});
