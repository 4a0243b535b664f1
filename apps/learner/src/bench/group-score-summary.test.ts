import { describe, expect, it } from 'vitest';
import { NO_LEARNER_ID, summarizeGroupScores, type ScoreRow } from './group-score-summary.js';

const ll = (y: number, p: number): number => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
const row = (id: string, p: number, label: number | null, learnerId: string | null, timestamp: number): ScoreRow => ({ id, p, label, learnerId, timestamp });

describe('summarizeGroupScores', () => {
  it('the doc example: the last score of an id counts (−ln 0.8, 1e-15 absolute)', () => {
    const s = summarizeGroupScores([row('a', 0.5, 1, 'l0', 0), row('a', 0.8, 1, 'l1', 1000)]);
    expect(s.distinctIds).toBe(1);
    expect(s.records).toBe(2);
    expect(s.rescored).toBe(1);
    expect(Math.abs(s.logLoss + Math.log(0.8))).toBeLessThan(1e-15);
  });

  it('group log loss = mean over distinct labelled ids of the last score’s loss; unlabelled ids are counted but have no loss (1e-12 relative)', () => {
    const rows = [
      row('a', 0.9, 1, 'l0', 10),
      row('b', 0.3, 0, 'l1', 20),
      row('c', 0.6, null, 'l0', 30),
      row('b', 0.2, 0, 'l0', 40), // re-sent after a rebalance: this one counts for b
      row('d', 0.25, 0.5, 'l1', 50), // soft label
    ];
    const s = summarizeGroupScores(rows);
    const want = (ll(1, 0.9) + ll(0, 0.2) + ll(0.5, 0.25)) / 3;
    expect(s.distinctIds).toBe(4);
    expect(s.labelledIds).toBe(3);
    expect(Math.abs(s.logLoss - want)).toBeLessThan(1e-12 * want);
  });

  it('clips p like LogLossMetric: p = 0 with y = 1 costs −ln 1e-15 (1e-9 absolute)', () => {
    const s = summarizeGroupScores([row('a', 0, 1, 'l0', 0)]);
    expect(Math.abs(s.logLoss + Math.log(1e-15))).toBeLessThan(1e-9);
  });

  it('per learner: records, loss of each record, span and rate; rows without learnerId under (none), sorted by id', () => {
    const rows = [row('a', 0.9, 1, 'l1', 1000), row('b', 0.4, 0, 'l1', 3000), row('c', 0.7, 1, 'l0', 2000), row('a', 0.6, 1, null, 4000)];
    const s = summarizeGroupScores(rows);
    expect(s.perLearner.map((l) => l.learnerId)).toEqual([NO_LEARNER_ID, 'l0', 'l1']);
    const l1 = s.perLearner[2];
    expect(l1.scores).toBe(2);
    expect(l1.firstTimestamp).toBe(1000);
    expect(l1.lastTimestamp).toBe(3000);
    expect(l1.eventsPerSec).toBe(1); // 2 records over 2 s
    expect(Math.abs(l1.logLoss - (ll(1, 0.9) + ll(0, 0.4)) / 2)).toBeLessThan(1e-12);
    expect(Number.isNaN(s.perLearner[1].eventsPerSec)).toBe(true); // one timestamp: no rate
  });

  it('group throughput over the whole span and over the 10–90% quantile span of the timestamps', () => {
    // 100 records: 10 at t = 0 (a slow start), then one every 10 ms from t = 1000.
    const rows: ScoreRow[] = [];
    for (let i = 0; i < 10; i++) rows.push(row(`s${i}`, 0.5, 1, 'l0', 0));
    for (let i = 0; i < 90; i++) rows.push(row(`e${i}`, 0.5, 1, 'l0', 1000 + 10 * i));
    const s = summarizeGroupScores(rows);
    expect(s.seconds).toBeCloseTo(1.89, 12);
    expect(s.eventsPerSec).toBeCloseTo(100 / 1.89, 9);
    // quantile indices 10 and 90 of the sorted timestamps: t = 1000 and t = 1800; 80 records over 0.8 s
    expect(s.steadyEventsPerSec).toBeCloseTo(100, 9);
  });

  it('an empty topic gives zero counts and NaN figures', () => {
    const s = summarizeGroupScores([]);
    expect(s.records).toBe(0);
    expect(s.distinctIds).toBe(0);
    expect(Number.isNaN(s.logLoss)).toBe(true);
    expect(Number.isNaN(s.eventsPerSec)).toBe(true);
    expect(s.perLearner).toEqual([]);
  });
});
