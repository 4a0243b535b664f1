import { describe, expect, it } from 'vitest';
import { HingeLoss } from './hinge-loss.js';

const loss = new HingeLoss();
const labels = [0, 0.1, 0.5, 0.85, 1];

describe('HingeLoss', () => {
  it('runs its doc example', () => {
    expect(loss.loss(0.5, 1)).toBe(0.5);
    expect(loss.gradient(0.5, 1)).toBe(-1);
    expect(loss.gradient(2, 1)).toBe(0);
  });

  it('is max(0, 1 − t z) for hard labels, t = 2y − 1', () => {
    for (let z = -3; z <= 3; z += 0.25) {
      expect(loss.loss(z, 1)).toBe(Math.max(0, 1 - z));
      expect(loss.loss(z, 0)).toBe(Math.max(0, 1 + z));
      expect(loss.gradient(z, 1)).toBe(z < 1 ? -1 : 0);
      expect(loss.gradient(z, 0)).toBe(z > -1 ? 1 : 0);
    }
  });

  it('mixes the two hard losses for a soft label (to 1e-15)', () => {
    for (const y of labels) {
      for (let z = -3; z <= 3; z += 0.3) {
        const mixed = y * Math.max(0, 1 - z) + (1 - y) * Math.max(0, 1 + z);
        expect(Math.abs(loss.loss(z, y) - mixed)).toBeLessThanOrEqual(1e-15 * Math.max(1, mixed));
      }
    }
  });

  it('subgradient matches central finite differences away from the kinks z = ±1 (h = 1e-5, |error| ≤ 1e-9)', () => {
    const h = 1e-5;
    for (const y of labels) {
      for (let z = -30; z <= 30; z += 0.1) {
        if (Math.abs(z - 1) < 2 * h || Math.abs(z + 1) < 2 * h) continue;
        const fd = (loss.loss(z + h, y) - loss.loss(z - h, y)) / (2 * h);
        expect(Math.abs(loss.gradient(z, y) - fd)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(z)));
      }
    }
  });

  it('stays finite at |z| up to 800', () => {
    for (const y of labels) {
      for (const z of [-800, -100, 100, 800]) {
        expect(Number.isFinite(loss.loss(z, y))).toBe(true);
        expect(Number.isFinite(loss.gradient(z, y))).toBe(true);
      }
    }
    expect(loss.loss(800, 1)).toBe(0);
    expect(loss.loss(-800, 1)).toBe(801);
  });
});
