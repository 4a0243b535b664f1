import { describe, expect, it } from 'vitest';
import { summarizeLatencies } from './latency-summary.js';

describe('summarizeLatencies', () => {
  it('gives nearest-rank percentiles: 1..1000 shuffled → p50 500, p90 900, p99 990, p99.9 999, max 1000, mean 500.5', () => {
    const v = new Float64Array(1200).fill(-1);
    for (let i = 0; i < 1000; i++) v[i] = ((i * 617) % 1000) + 1; // a permutation of 1..1000 (617 is coprime to 1000)
    const s = summarizeLatencies(v, 1000);
    expect(s).toEqual({ count: 1000, mean: 500.5, p50: 500, p90: 900, p99: 990, p999: 999, max: 1000 });
    expect(v[0]).toBe(1); // not sorted in place
    expect(v[1000]).toBe(-1);
  });

  it('handles one value and no value', () => {
    expect(summarizeLatencies(Float64Array.of(7), 1)).toMatchObject({ count: 1, p50: 7, p99: 7, max: 7, mean: 7 });
    expect(Number.isNaN(summarizeLatencies(new Float64Array(3), 0).p99)).toBe(true);
  });
});
