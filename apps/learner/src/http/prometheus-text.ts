import type { QualityMetrics } from '@logit-stream/core';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/**
 * Renders a metrics report in the Prometheus text exposition format (version 0.0.4): one gauge or
 * counter family per quantity, each sample labelled with the learner id. Null metrics (undefined so
 * far) are left out rather than published as NaN.
 *
 * @param r - the last published report (null before the first: only `logit_up` is written)
 * @param learnerId - the learner's id (label `learner`)
 * @example
 * prometheusText(report, 'learner-0') // '# HELP logit_events_total …\n# TYPE logit_events_total counter\nlogit_events_total{learner="learner-0",kind="seen"} 1200\n…'
 */
export function prometheusText(r: PublishedMetrics | null, learnerId: string): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: [Record<string, string>, number | null][]): void => {
    const present = samples.filter(([, v]) => v !== null && Number.isFinite(v));
    if (present.length === 0) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of present) out.push(`${name}${labels({ learner: learnerId, ...l })} ${v}`);
  };
  family('logit_up', 'gauge', 'Whether the learner has published a metrics report (1) or not yet (0).', [[{}, r === null ? 0 : 1]]);
  if (r === null) return `${out.join('\n')}\n`;
  family('logit_events_total', 'counter', 'Events processed by the learner, by kind.', [
    [{ kind: 'seen' }, r.events.seen],
    [{ kind: 'labelled' }, r.events.labelled],
    [{ kind: 'unlabelled' }, r.events.unlabelled],
    [{ kind: 'trusted' }, r.events.trusted],
  ]);
  family('logit_model_version', 'gauge', 'Model updates applied so far.', [[{}, r.modelVersion]]);
  const quality = (key: keyof QualityMetrics, name: string, help: string): void =>
    family(name, 'gauge', help, [
      [{ scope: 'window' }, r.window[key]],
      [{ scope: 'total' }, r.total[key]],
    ]);
  quality('logLoss', 'logit_log_loss', 'Prequential log loss of pCalibrated (sliding window and since start).');
  quality('brier', 'logit_brier_score', 'Prequential Brier score mean (p − y)^2.');
  quality('accuracy', 'logit_accuracy', 'Prequential accuracy at p >= 0.5.');
  quality('auc', 'logit_roc_auc', 'Prequential ROC AUC.');
  quality('ece', 'logit_expected_calibration_error', 'Expected calibration error over 15 equal-width bins of p.');
  family('logit_throughput_events_per_second', 'gauge', 'Events per second over the last report interval.', [[{}, r.throughput]]);
  family('logit_lag_ms', 'gauge', 'Milliseconds between the report and the last event timestamp.', [[{}, r.lagMs]]);
  family(
    'logit_drift_detections_total',
    'counter',
    'Drift detections, by detector and by the model whose error it watches.',
    Object.values(r.drift.detectors).map((d): [Record<string, string>, number] => [{ detector: d.detector, model: d.model }, d.detections]),
  );
  family(
    'logit_drift_warning',
    'gauge',
    'Whether a drift detector is in its warning zone (1) or not (0).',
    Object.values(r.drift.detectors).map((d): [Record<string, string>, number] => [{ detector: d.detector, model: d.model }, d.warning ? 1 : 0]),
  );
  family('logit_score_psi', 'gauge', 'Population stability index of the score p: reference window vs the current one.', [[{}, r.drift.psi.score]]);
  family('logit_noise_rate', 'gauge', 'Label-noise rates in use: rho0 = P(observed 1 | true 0), rho1 = P(observed 0 | true 1).', [
    [{ rate: 'rho0', estimator: r.noise.estimator }, r.noise.rho0],
    [{ rate: 'rho1', estimator: r.noise.estimator }, r.noise.rho1],
  ]);
  family(
    'logit_reliability_bin_events',
    'gauge',
    'Events per bin of p in the sliding window (the reliability diagram).',
    r.reliability.map((b): [Record<string, string>, number] => [{ lower: String(b.lower), upper: String(b.upper) }, b.count]),
  );
  return `${out.join('\n')}\n`;
}
