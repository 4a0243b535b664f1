import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { validateNoiseRates } from './validate-noise-rates.js';

describe('validateNoiseRates', () => {
  it('accepts valid rates, including 0 and sums just below 1', () => {
    expect(() => validateNoiseRates(0, 0)).not.toThrow();
    expect(() => validateNoiseRates(0.2, 0.1)).not.toThrow();
    expect(() => validateNoiseRates(0.5, 0.499)).not.toThrow();
  });

  it('rejects negative, non-finite and ρ0 + ρ1 ≥ 1 with a KernelError naming both rates and the rule', () => {
    for (const [a, b] of [
      [0.6, 0.5],
      [0.5, 0.5],
      [-0.1, 0.2],
      [0.1, Number.NaN],
      [Infinity, 0],
    ]) {
      let err: unknown;
      try {
        validateNoiseRates(a, b);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KernelError);
      const msg = (err as Error).message;
      expect(msg).toContain(`ρ0 = ${a}`);
      expect(msg).toContain(`ρ1 = ${b}`);
      expect(msg).toContain('ρ0 + ρ1 < 1');
      expect(msg).toContain('0 ≤ ρ0');
    }
  });
});
