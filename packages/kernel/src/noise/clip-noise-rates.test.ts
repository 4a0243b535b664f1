import { describe, expect, it } from 'vitest';
import { clipNoiseRatesInto } from './clip-noise-rates.js';
import { validateNoiseRates } from './validate-noise-rates.js';

describe('clipNoiseRatesInto', () => {
  it('clips to [0, 1], maps NaN to 0, and scales a sum above maxSum down to maxSum', () => {
    const out = new Float64Array(2);
    clipNoiseRatesInto(out, -0.1, 0.3);
    expect([...out]).toEqual([0, 0.3]);
    clipNoiseRatesInto(out, Number.NaN, 2);
    expect([...out]).toEqual([0, 0.98]);
    clipNoiseRatesInto(out, 0.6, 0.6);
    expect(out[0] + out[1]).toBeCloseTo(0.98, 15);
    expect(out[0]).toBeCloseTo(out[1], 15);
    expect(() => validateNoiseRates(out[0], out[1])).not.toThrow();
  });
});
