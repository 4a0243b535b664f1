import { describe, expect, it } from 'vitest';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { GroupView } from './group-view.js';
import { createLearnerRegistry, LEARNER_METRIC_NAMES, type LearnerMetricsState } from './learner-metrics.js';
import { parsePrometheusText } from './prometheus-samples.js';

const q = (logLoss: number | null) => ({ logLoss, brier: 0.1, accuracy: 0.9, auc: null, ece: 0.02, meanLabel: 0.5, meanP: 0.5, count: 10 });
const report = {
  learnerId: 'l"1',
  ts: 1_700_000_000_000,
  modelVersion: 12,
  events: { seen: 15, labelled: 12, unlabelled: 3, trusted: 1 },
  window: q(0.3),
  total: q(null),
  reliability: [
    { lower: 0, upper: 0.5, count: 4, meanP: 0.2, meanY: 0.25 },
    { lower: 0.5, upper: 1, count: 0, meanP: null, meanY: null },
  ],
  drift: {
    detectors: { 'adwin/live': { detector: 'adwin', model: 'live', detections: 2, lastOffset: 7, lastPosition: 7, warning: false } },
    recent: [],
    reference: { ready: false, takenAtPosition: null, copies: 0 },
    psi: { score: null, features: null },
    reaction: 'none',
    boostRemaining: 0,
  },
  noise: { correction: 'none', estimator: 'config', rho0: 0.1, rho1: 0.2, evidence: 0, negativeLosses: 0, trustedEvents: 1, trustedPairs: 0 },
  throughput: 1500.5,
  lagMs: 42,
} as unknown as PublishedMetrics;

const state = (over: Partial<LearnerMetricsState> = {}): LearnerMetricsState => ({
  report,
  eventsIn: 20,
  eventsScored: 15,
  eventsLearned: 12,
  eventsRejected: 5,
  rejectedByCode: new Map([
    ['bad-json', 3],
    ['bad-label', 2],
  ]),
  lag: [
    { topic: 'events', partition: 0, lag: 7, nextOffset: 10, highWatermark: 17 },
    { topic: 'events', partition: 3, lag: 0, nextOffset: 5, highWatermark: 5 },
  ],
  ready: true,
  snapshotAgeSeconds: 12.5,
  ...over,
});

describe('createLearnerRegistry', () => {
  it('exports every logit_* metric from the state at scrape time, labelled learner_id, escaped', async () => {
    let s = state();
    const reg = createLearnerRegistry({ learnerId: 'l"1', state: () => s, defaultMetrics: false });
    const text = await reg.metrics();
    const samples = parsePrometheusText(text);
    const v = (name: string, labels: Record<string, string> = {}) =>
      samples.find((x) => x.name === name && Object.entries(labels).every(([k, w]) => x.labels[k] === w))?.value;
    expect(samples.every((x) => x.labels.learner_id === 'l"1')).toBe(true);
    expect(text).toContain('learner_id="l\\"1"');
    expect(v('logit_events_in_total')).toBe(20);
    expect(v('logit_events_rejected_total', { reason: 'bad-json' })).toBe(3);
    expect(v('logit_events_rejected_total', { reason: 'bad-label' })).toBe(2);
    expect(v('logit_consumer_lag_messages', { topic: 'events', partition: '0' })).toBe(7);
    expect(v('logit_consumer_lag_messages', { topic: 'events', partition: '3' })).toBe(0);
    expect(v('logit_log_loss', { scope: 'window' })).toBe(0.3);
    expect(v('logit_log_loss', { scope: 'total' })).toBeUndefined(); // null: left out, never NaN
    expect(v('logit_roc_auc', { scope: 'window' })).toBeUndefined();
    expect(v('logit_score_psi')).toBeUndefined();
    expect(v('logit_drift_detections_total', { detector: 'adwin', model: 'live' })).toBe(2);
    expect(v('logit_noise_rate', { rate: 'rho1', estimator: 'config' })).toBe(0.2);
    expect(v('logit_event_lag_seconds')).toBe(0.042);
    expect(v('logit_report_timestamp_seconds')).toBe(1_700_000_000);
    expect(v('logit_snapshot_age_seconds')).toBe(12.5);
    expect(v('logit_reliability_bin_events', { lower: '0', upper: '0.5' })).toBe(4);
    expect(v('logit_reliability_bin_mean_y', { lower: '0.5', upper: '1' })).toBeUndefined();
    expect(text).toMatch(/# TYPE logit_events_rejected_total counter/);
    expect(text).toMatch(/# TYPE logit_log_loss gauge/);
    for (const l of text.split('\n').filter((x) => x !== '' && !x.startsWith('#'))) expect(l).not.toMatch(/NaN/);
    // Every declared name is registered.
    const names = (await reg.getMetricsAsJSON()).map((m) => m.name);
    expect([...names].sort()).toEqual([...LEARNER_METRIC_NAMES].sort());

    // Before the first report: up 0, no report-derived samples; labels of a lost partition disappear.
    s = state({ report: null, lag: [], snapshotAgeSeconds: null, ready: false });
    const before = parsePrometheusText(await reg.metrics());
    expect(before.find((x) => x.name === 'logit_up')?.value).toBe(0);
    expect(before.find((x) => x.name === 'logit_ready')?.value).toBe(0);
    expect(before.some((x) => x.name === 'logit_log_loss' || x.name === 'logit_model_version' || x.name === 'logit_throughput_events_per_second')).toBe(false);
    expect(before.some((x) => x.name === 'logit_consumer_lag_messages' || x.name === 'logit_snapshot_age_seconds')).toBe(false);
  });

  it('exports the group view (logit_group_*, labelled group_id) when there is one, and no group sample without', async () => {
    const view = new GroupView({ groupId: 'g-1', staleAfterMs: 1000, now: () => 10_000 });
    const r = (learnerId: string, ts: number, seen: number, tp: number, count: number, logLoss: number, windowLoss: number) =>
      ({ learnerId, groupId: 'g-1', ts, events: { seen }, modelVersion: count, throughput: tp, lagMs: 5, total: { count, logLoss }, window: { count, logLoss: windowLoss } });
    view.add(r('a', 9500, 100, 10, 80, 0.6, 0.5));
    view.add(r('b', 9900, 300, 30, 120, 0.4, 0.2));
    view.add(r('c', 1000, 900, 90, 900, 1, 1)); // stale: left out of the figures
    view.add({ ...r('d', 9900, 900, 90, 900, 1, 1), final: true }); // stopped: left out too
    let s = state({ group: view.toJSON() });
    const reg = createLearnerRegistry({ learnerId: 'a', state: () => s, defaultMetrics: false });
    const samples = parsePrometheusText(await reg.metrics());
    const v = (name: string, labels: Record<string, string> = {}) =>
      samples.find((x) => x.name === name && Object.entries(labels).every(([k, w]) => x.labels[k] === w))?.value;
    expect(v('logit_group_learners', { group_id: 'g-1', state: 'live' })).toBe(2);
    expect(v('logit_group_learners', { group_id: 'g-1', state: 'stale' })).toBe(1);
    expect(v('logit_group_learners', { group_id: 'g-1', state: 'stopped' })).toBe(1);
    expect(v('logit_group_events_total', { group_id: 'g-1' })).toBe(400);
    expect(v('logit_group_throughput', { group_id: 'g-1' })).toBe(40);
    // (80·0.6 + 120·0.4) / 200 = 0.48; window (80·0.5 + 120·0.2) / 200 = 0.32 (to 1e-12)
    expect(Math.abs((v('logit_group_log_loss', { group_id: 'g-1', scope: 'total' }) as number) - 0.48)).toBeLessThan(1e-12);
    expect(Math.abs((v('logit_group_log_loss', { group_id: 'g-1', scope: 'window' }) as number) - 0.32)).toBeLessThan(1e-12);
    expect(samples.filter((x) => x.name.startsWith('logit_group_')).every((x) => x.labels.learner_id === 'a')).toBe(true);
    s = state({ group: null });
    expect(parsePrometheusText(await reg.metrics()).some((x) => x.name.startsWith('logit_group_'))).toBe(false);
  });

  it('adds the process and Node.js metrics of prom-client to its own registry (not the global one)', async () => {
    const reg = createLearnerRegistry({ learnerId: 'a', state: () => state() });
    const names = (await reg.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('process_cpu_seconds_total');
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    const { register } = await import('prom-client');
    expect((await register.getMetricsAsJSON()).some((m) => m.name.startsWith('logit_'))).toBe(false);
  });
});
