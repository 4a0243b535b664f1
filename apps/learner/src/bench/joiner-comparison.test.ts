import { describe, expect, it } from 'vitest';
import type { ScoreRow } from './group-score-summary.js';
import { compareJoiner } from './joiner-comparison.js';

const ll = (y: number, p: number): number => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
const row = (id: string, p: number, label: number | null, learnerId: string | null, timestamp: number): ScoreRow => ({ id, p, label, learnerId, timestamp });

describe('compareJoiner', () => {
  // The joiner (j) writes 3 scores from t = 100; its first 2 span [100, 200]. The others write around it.
  const group = [
    row('o1', 0.8, 1, 'a', 50), // before the span
    row('j3', 0.7, 1, 'j', 300), // the joiner's third score (row order ≠ time order)
    row('o2', 0.7, 1, 'a', 100),
    row('j1', 0.6, 1, 'j', 100),
    row('o3', 0.4, 0, 'b', 150),
    row('j2', 0.3, 0, 'j', 200),
    row('o4', 0.9, 1, 'b', 200),
    row('o5', 0.9, 1, 'a', 250), // after the span
  ];
  const fresh = [row('f2', 0.5, 0, 'x', 20), row('f1', 0.5, 1, 'x', 10), row('f3', 0.1, 1, 'x', 30)];

  it('takes the joiner’s first n scores by timestamp and the others’ scores in that span (1e-12 relative)', () => {
    const c = compareJoiner(group, 'j', 2, fresh);
    expect(c.joiner.scores).toBe(2);
    expect(c.joiner.fromTimestamp).toBe(100);
    expect(c.joiner.toTimestamp).toBe(200);
    const j = (ll(1, 0.6) + ll(0, 0.3)) / 2;
    expect(Math.abs(c.joiner.logLoss - j)).toBeLessThan(1e-12 * j);
    expect(c.othersSamePeriod.scores).toBe(3); // o2, o3, o4
    const o = (ll(1, 0.7) + ll(0, 0.4) + ll(1, 0.9)) / 3;
    expect(Math.abs(c.othersSamePeriod.logLoss - o)).toBeLessThan(1e-12 * o);
    expect(Math.abs(c.ratioToOthers - j / o)).toBeLessThan(1e-12);
  });

  it('the fresh model: its first n scores by timestamp (ln 2 for the two p = 0.5 scores, 1e-12)', () => {
    const c = compareJoiner(group, 'j', 2, fresh);
    expect(c.freshModel?.scores).toBe(2);
    expect(Math.abs((c.freshModel?.logLoss ?? NaN) - Math.LN2)).toBeLessThan(1e-12);
    expect(Math.abs(c.ratioToFresh - (ll(1, 0.6) + ll(0, 0.3)) / 2 / Math.LN2)).toBeLessThan(1e-12);
  });

  it('without fresh rows or joiner scores, the missing figures are NaN / null', () => {
    const c = compareJoiner(group, 'nobody', 5, null);
    expect(c.joiner.scores).toBe(0);
    expect(c.freshModel).toBeNull();
    expect(Number.isNaN(c.ratioToOthers)).toBe(true);
    expect(Number.isNaN(c.ratioToFresh)).toBe(true);
  });
});
