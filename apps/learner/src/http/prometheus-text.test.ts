import { describe, expect, it } from 'vitest';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { prometheusText } from './prometheus-text.js';

const q = (logLoss: number | null) => ({ logLoss, brier: 0.1, accuracy: 0.9, auc: null, ece: 0.02, meanLabel: 0.5, meanP: 0.5, count: 10 });

const report = {
  learnerId: 'l"1',
  ts: 0,
  modelVersion: 12,
  events: { seen: 15, labelled: 12, unlabelled: 3, trusted: 1 },
  window: q(0.3),
  total: q(null),
  reliability: [{ lower: 0, upper: 0.5, count: 4, meanP: 0.2, meanY: 0.25 }],
  drift: {
    detectors: { 'adwin/live': { detector: 'adwin', model: 'live', detections: 2, lastOffset: 7, lastPosition: 7, warning: false } },
    recent: [],
    reference: { ready: false, takenAtPosition: null, copies: 0 },
    psi: { score: null },
    reaction: 'none',
    boostRemaining: 0,
  },
  noise: { correction: 'none', estimator: 'config', rho0: 0.1, rho1: 0.2, evidence: 0, negativeLosses: 0, trustedEvents: 1, trustedPairs: 0 },
  throughput: 1500.5,
  lagMs: 42,
} as unknown as PublishedMetrics;

describe('prometheusText', () => {
  it('writes HELP/TYPE headers and one sample per value, labelled with the (escaped) learner id', () => {
    const text = prometheusText(report, 'l"1');
    const lines = text.trimEnd().split('\n');
    expect(lines).toContain('# TYPE logit_events_total counter');
    expect(lines).toContain('logit_events_total{learner="l\\"1",kind="seen"} 15');
    expect(lines).toContain('logit_model_version{learner="l\\"1"} 12');
    expect(lines).toContain('logit_log_loss{learner="l\\"1",scope="window"} 0.3');
    expect(lines).toContain('logit_drift_detections_total{learner="l\\"1",detector="adwin",model="live"} 2');
    expect(lines).toContain('logit_noise_rate{learner="l\\"1",rate="rho1",estimator="config"} 0.2');
    expect(lines).toContain('logit_throughput_events_per_second{learner="l\\"1"} 1500.5');
    expect(lines).toContain('logit_reliability_bin_events{learner="l\\"1",lower="0",upper="0.5"} 4');
    // Every sample line is `name{labels} value` with a finite value; every family has HELP then TYPE.
    for (const l of lines.filter((x) => !x.startsWith('#'))) expect(l).toMatch(/^[a-z_]+\{[^}]*\} -?[0-9.e+-]+$/);
    const types = lines.filter((l) => l.startsWith('# TYPE')).length;
    expect(lines.filter((l) => l.startsWith('# HELP')).length).toBe(types);
  });

  it('leaves out undefined metrics instead of publishing NaN, and writes only logit_up 0 before the first report', () => {
    const text = prometheusText(report, 'x');
    expect(text).not.toContain('scope="total"} null');
    expect(text).not.toContain('logit_log_loss{learner="x",scope="total"}');
    expect(text).not.toContain('logit_roc_auc');
    expect(text).not.toContain('logit_score_psi');
    expect(prometheusText(null, 'x')).toBe('# HELP logit_up Whether the learner has published a metrics report (1) or not yet (0).\n# TYPE logit_up gauge\nlogit_up{learner="x"} 0\n');
  });
});
