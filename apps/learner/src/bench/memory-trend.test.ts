import { describe, expect, it } from 'vitest';
import { memoryTrend } from './memory-trend.js';

describe('memoryTrend', () => {
  it('recovers the slope of a line exactly (1e-12) and states it over the run relative to the mean', () => {
    const t = memoryTrend([100, 102, 104, 106, 108])!;
    expect(t.slopePerStep).toBeCloseTo(2, 12);
    expect(t.percentOverRun).toBeCloseTo((100 * 8) / 104, 12);
  });

  it('is 0 for a symmetric sawtooth, whatever its end points say', () => {
    const t = memoryTrend([215, 245, 215, 245, 215, 245, 215, 245, 215, 245, 215, 245, 215])!;
    expect(Math.abs(t.slopePerStep)).toBeLessThan(0.3);
    // the ends alone: 215 → 215 here, but a sawtooth cut one sample earlier says +14 %
    expect(Math.abs(memoryTrend([215, 245, 215, 245, 215, 245, 215, 245, 215, 245, 215, 245])!.percentOverRun)).toBeLessThan(4);
  });

  it('matches the closed form on the example and skips missing samples', () => {
    expect(memoryTrend([200, 210, 200, 210])!.percentOverRun).toBeCloseTo((100 * 2 * 3) / 205, 12);
    const t = memoryTrend([100, null, 104, 106, null, 110])!;
    expect(t.samples).toBe(4);
    expect(t.slopePerStep).toBeCloseTo(2, 12);
  });

  it('needs 3 samples', () => {
    expect(memoryTrend([1, 2])).toBeNull();
    expect(memoryTrend([1, null, 2])).toBeNull();
  });
});
