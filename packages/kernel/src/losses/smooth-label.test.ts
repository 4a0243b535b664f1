import { describe, expect, it } from 'vitest';
import { smoothLabel } from './smooth-label.js';

describe('smoothLabel', () => {
  it('is y(1 − ε) + ε/2 and leaves y alone at ε = 0', () => {
    expect(smoothLabel(1, 0.1)).toBeCloseTo(0.95, 15);
    expect(smoothLabel(0, 0.1)).toBeCloseTo(0.05, 15);
    expect(smoothLabel(0.5, 0.3)).toBeCloseTo(0.5, 15);
    for (const y of [0, 0.2, 0.85, 1]) expect(smoothLabel(y, 0)).toBe(y);
    expect(smoothLabel(1, 1)).toBe(0.5);
  });
});
