import { describe, expect, it } from 'vitest';
import { formatTick, linearTicks, logTicks } from './ticks.js';

describe('linearTicks', () => {
  it('covers the range with steps of 1, 2 or 5 × 10^k', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-8, 8, 4)).toEqual([-10, -5, 0, 5, 10]);
    const t = linearTicks(0.013, 0.087);
    expect(t[0]).toBeLessThanOrEqual(0.013);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(0.087);
  });
  it('widens an empty range instead of dividing by zero', () => {
    expect(linearTicks(3, 3)).toEqual([2, 2.5, 3, 3.5, 4]);
  });
});

describe('logTicks', () => {
  it('gives the powers of ten around the range', () => {
    expect(logTicks(3, 2000)).toEqual([1, 10, 100, 1000, 10000]);
    expect(logTicks(1, 1e6)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
  });
});

describe('formatTick', () => {
  it('writes large powers of ten as superscripts and rounds the rest', () => {
    expect(formatTick(1e6, true)).toBe('10⁶');
    expect(formatTick(100, true)).toBe('100');
    expect(formatTick(0.30000000000000004, false)).toBe('0.3');
  });
});
