import { OnlineLearner } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { BatchProcessor } from '../pipeline/batch-processor.js';
import { GroupView } from './group-view.js';

interface Fig {
  learnerId: string;
  groupId?: string;
  ts: number;
  seen: number;
  mv: number;
  tp: number;
  lag: number | null;
  total: { logLoss: number | null; accuracy: number | null; brier: number | null; count: number };
  window: { logLoss: number | null; ece: number | null; count: number };
  bins: [number, number | null, number | null][]; // count, meanP, meanY of [0, .5) and [.5, 1]
}

// A SPEC §2 report trimmed to what the view reads (it must not need more).
const rep = (f: Fig): Record<string, unknown> => ({
  learnerId: f.learnerId,
  groupId: f.groupId ?? 'g',
  ts: f.ts,
  modelVersion: f.mv,
  events: { seen: f.seen, labelled: f.total.count, unlabelled: f.seen - f.total.count, trusted: 0 },
  window: { ...f.window, brier: null, accuracy: null, auc: null, meanLabel: null, meanP: null },
  total: { ...f.total, ece: null, auc: null, meanLabel: null, meanP: null },
  reliability: f.bins.map(([count, meanP, meanY], i) => ({ lower: i * 0.5, upper: (i + 1) * 0.5, count, meanP, meanY })),
  throughput: f.tp,
  lagMs: f.lag,
});

const a: Fig = {
  learnerId: 'a',
  ts: 99_000,
  seen: 1000,
  mv: 400,
  tp: 200,
  lag: 50,
  total: { logLoss: 0.5, accuracy: 0.8, brier: 0.2, count: 400 },
  window: { logLoss: 0.4, ece: 0.1, count: 100 },
  bins: [
    [60, 0.2, 0.25],
    [40, 0.7, 0.6],
  ],
};
const b: Fig = {
  learnerId: 'b',
  ts: 98_000,
  seen: 3000,
  mv: 600,
  tp: 300,
  lag: 120,
  total: { logLoss: 0.3, accuracy: 0.9, brier: 0.1, count: 600 },
  window: { logLoss: 0.2, ece: 0.05, count: 300 },
  bins: [
    [100, 0.3, 0.3],
    [200, 0.8, 0.9],
  ],
};
const d = (f: Fig): Record<string, unknown> => ({ ...rep(f), final: true });
const c: Fig = { ...a, learnerId: 'c', ts: 80_000, seen: 5000, tp: 900, lag: 9999, total: { logLoss: 2, accuracy: 0.1, brier: 0.9, count: 5000 } };

describe('GroupView', () => {
  it('keeps the newest report per learner of its group and sums up the live ones (hand-computed figures, exact to 1e-12)', () => {
    let now = 100_000;
    const v = new GroupView({ groupId: 'g', staleAfterMs: 15_000, now: () => now });
    expect(v.add(rep({ ...a, ts: 90_000, seen: 1, total: { ...a.total, logLoss: 9 } }))).toBe(true); // replaced below
    expect(v.add(rep(a))).toBe(true);
    expect(v.add(rep({ ...a, ts: 95_000, seen: 2 }))).toBe(false); // older than the kept one
    expect(v.add(rep(b))).toBe(true);
    expect(v.add(rep(c))).toBe(true); // age 20 000 > 15 000: stale
    expect(v.add(d({ ...b, learnerId: 'd', ts: 99_500 }))).toBe(true); // a fresh final report: stopped, not live
    expect(v.add(rep({ ...b, learnerId: 'x', groupId: 'other' }))).toBe(false);
    const noGroup = rep({ ...b, learnerId: 'y' });
    delete noGroup.groupId;
    expect(v.add(noGroup)).toBe(false);
    for (const bad of ['text', null, 7, { learnerId: '', ts: 1, groupId: 'g' }, { learnerId: 'z', ts: 'soon', groupId: 'g' }]) expect(v.add(bad)).toBe(false);
    expect(v.size).toBe(4);

    const j = v.toJSON();
    expect(j.groupId).toBe('g');
    expect(j.ts).toBe(100_000);
    expect(j.learners.map((r) => [r.learnerId, r.ageMs, r.events, r.modelVersion, r.throughput, r.lagMs])).toEqual([
      ['a', 1000, 1000, 400, 200, 50],
      ['b', 2000, 3000, 600, 300, 120],
    ]);
    expect(j.learners[0]).toMatchObject({ logLossTotal: 0.5, logLossWindow: 0.4, accuracyTotal: 0.8, brierTotal: 0.2, eceWindow: 0.1, labelled: 400, windowCount: 100 });
    expect(j.stale.map((r) => [r.learnerId, r.ageMs])).toEqual([['c', 20_000]]);
    expect(j.stopped.map((r) => [r.learnerId, r.ageMs, r.events])).toEqual([['d', 500, 3000]]);
    expect(j.counts).toEqual({ accepted: 5, otherGroup: 2, invalid: 5, old: 1 });
    const t = j.totals;
    expect(t.stopped).toBe(1);
    expect([t.learners, t.stale, t.events, t.labelled, t.throughput, t.maxLagMs, t.modelVersionMin, t.modelVersionMax]).toEqual([2, 1, 4000, 1000, 500, 120, 400, 600]);
    // (400·0.5 + 600·0.3) / 1000; (400·0.8 + 600·0.9) / 1000; (400·0.2 + 600·0.1) / 1000; window (100·0.4 + 300·0.2) / 400
    expect(t.logLoss).toBeCloseTo(0.38, 12);
    expect(t.accuracy).toBeCloseTo(0.86, 12);
    expect(t.brier).toBeCloseTo(0.14, 12);
    expect(t.logLossWindow).toBeCloseTo(0.25, 12);
    // Pooled bins: [0,.5) n 160, Σp 12 + 30 = 42, Σy 15 + 30 = 45; [.5,1] n 240, Σp 28 + 160 = 188, Σy 24 + 180 = 204 → (3 + 16) / 400
    expect(t.eceWindow).toBeCloseTo(0.0475, 12);
    expect(JSON.parse(JSON.stringify(v))).toEqual(j); // toJSON is what JSON.stringify writes

    // Later: a and b are stale too (left out of every total), c is forgotten (age > 20 × 15 000).
    now = 390_000;
    const late = v.toJSON();
    expect(late.learners).toEqual([]);
    expect(late.stale.map((r) => r.learnerId)).toEqual(['a', 'b']);
    expect(late.stopped.map((r) => r.learnerId)).toEqual(['d']);
    expect(late.totals).toEqual({
      learners: 0,
      stale: 2,
      stopped: 1,
      events: 0,
      labelled: 0,
      throughput: 0,
      logLoss: null,
      logLossWindow: null,
      accuracy: null,
      brier: null,
      eceWindow: null,
      maxLagMs: null,
      modelVersionMin: null,
      modelVersionMax: null,
    });
    expect(v.size).toBe(3);
    // A learner that starts again (same id, a newer non-final report) is live again.
    expect(v.add(rep({ ...b, learnerId: 'd', ts: 389_000 }))).toBe(true);
    expect(v.toJSON().learners.map((r) => r.learnerId)).toEqual(['d']);
    // A report already past the forget limit is not taken.
    expect(v.add(rep({ ...c, ts: 10_000 }))).toBe(false);
  });

  it('leaves undefined metrics out of the weights, and pools no ECE when the bins differ', () => {
    const v = new GroupView({ groupId: 'g', now: () => 100_000 });
    v.add(rep(a));
    v.add(rep({ ...b, lag: null, total: { ...b.total, logLoss: null }, bins: [[300, 0.5, 0.5]] }));
    const t = v.toJSON().totals;
    expect(t.logLoss).toBe(0.5); // b's log loss is undefined: a alone
    expect(t.accuracy).toBeCloseTo(0.86, 12);
    expect(t.maxLagMs).toBe(50);
    expect(t.eceWindow).toBeNull();
  });

  it('matches the pooled prequential log loss and ECE computed from the scores of two real learners (1e-12)', () => {
    // Two learners, each on its own half of one stream (as two partitions' owners would be).
    const reports: unknown[] = [];
    const scores: { p: number; y: number }[] = [];
    for (const [id, parity] of [
      ['l-0', 0],
      ['l-1', 1],
    ] as const) {
      const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 2 } }, id), topics: { scores: 's', metrics: 'm', dlq: 'd' }, groupId: 'g', metricsEvery: 600, now: () => 100_000 });
      const messages = [];
      for (let i = parity; i < 1200; i += 2) {
        const x0 = Math.sin(i * 0.7);
        const x1 = Math.cos(i * 1.3);
        const y = x0 + 0.5 * x1 + 0.3 * Math.sin(i * 2.1) > 0 ? 1 : 0;
        const value = Buffer.from(JSON.stringify({ id: `e${i}`, features: [x0, x1], label: y }));
        messages.push({ topic: 'events', partition: parity, offset: String(i), key: null, value, timestamp: 99_000 });
      }
      const { records } = p.processBatch({ topic: 'events', partition: parity, messages });
      for (const r of records) if (r.topic === 's') scores.push({ p: (JSON.parse(String(r.value)) as { pCalibrated: number }).pCalibrated, y: (JSON.parse(String(r.value)) as { label: number }).label });
      // The count-driven report after the 600th event (not a final one: the learners are live).
      const m = records.filter((r) => r.topic === 'm');
      expect(m).toHaveLength(1);
      reports.push(JSON.parse(String(m[0].value)));
    }
    expect(scores).toHaveLength(1200);
    const v = new GroupView({ groupId: 'g', now: () => 100_000 });
    for (const r of reports) expect(v.add(r)).toBe(true);
    const t = v.toJSON().totals;
    const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p));
    const logLoss = scores.reduce((s, { p, y }) => s - (y === 1 ? Math.log(clip(p)) : Math.log(1 - clip(p))), 0) / scores.length;
    // ECE over 15 equal-width bins of p (the last one includes p = 1), every event in the window (600 < 1000 per learner).
    const n = new Array<number>(15).fill(0);
    const gap = new Array<number>(15).fill(0);
    for (const { p, y } of scores) {
      const k = Math.min(14, Math.floor(p * 15));
      n[k]++;
      gap[k] += y - p;
    }
    const ece = gap.reduce((s, g) => s + Math.abs(g), 0) / scores.length;
    expect(t.labelled).toBe(1200);
    expect(Math.abs((t.logLoss as number) - logLoss)).toBeLessThan(1e-12);
    expect(Math.abs((t.eceWindow as number) - ece)).toBeLessThan(1e-12);
  });

  it('refuses limits that cannot work, with an AppError saying what to pass', () => {
    expect(() => new GroupView({ groupId: 'g', staleAfterMs: 0 })).toThrow(AppError);
    expect(() => new GroupView({ groupId: 'g', staleAfterMs: 1000, forgetAfterMs: 10 })).toThrow(/must be > 0 and forgetAfterMs 10 at least as large/);
  });
});
