import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { QualityMetrics } from '@logit-stream/core';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import type { GroupViewJson } from './group-view.js';
import type { PartitionLag } from './partition-lag.js';

/** The live state the Prometheus metrics are read from at scrape time (nothing is recorded per event). */
export interface LearnerMetricsState {
  /** The last published metrics report, or null before the first. */
  readonly report: PublishedMetrics | null;
  /** Messages consumed (accepted + rejected). */
  readonly eventsIn: number;
  readonly eventsScored: number;
  /** Model updates applied (labelled events learned from). */
  readonly eventsLearned: number;
  readonly eventsRejected: number;
  /** Rejected messages by reject code. */
  readonly rejectedByCode: ReadonlyMap<string, number>;
  /** Consumer lag per input partition (empty for the embedded source). */
  readonly lag: readonly PartitionLag[];
  /** Whether `/readyz` answers 200. */
  readonly ready: boolean;
  /** Seconds since the last model snapshot was published, or null (no snapshots). */
  readonly snapshotAgeSeconds: number | null;
  /** The group as this learner sees it on the metrics topic (scale-out), or null/absent without a group view. */
  readonly group?: GroupViewJson | null;
}

/**
 * Every metric name the learner exports (without the process and Node.js metrics of prom-client's
 * `collectDefaultMetrics`, which are exported too: `process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, `nodejs_heap_size_used_bytes`, …).
 */
export const LEARNER_METRIC_NAMES = [
  'logit_up',
  'logit_ready',
  'logit_events_in_total',
  'logit_events_scored_total',
  'logit_events_learned_total',
  'logit_events_rejected_total',
  'logit_throughput_events_per_second',
  'logit_consumer_lag_messages',
  'logit_event_lag_seconds',
  'logit_log_loss',
  'logit_brier_score',
  'logit_expected_calibration_error',
  'logit_roc_auc',
  'logit_accuracy',
  'logit_labelled_events',
  'logit_drift_detections_total',
  'logit_drift_warning',
  'logit_score_psi',
  'logit_noise_rate',
  'logit_noise_evidence',
  'logit_model_version',
  'logit_report_timestamp_seconds',
  'logit_snapshot_age_seconds',
  'logit_reliability_bin_events',
  'logit_reliability_bin_mean_p',
  'logit_reliability_bin_mean_y',
  'logit_group_learners',
  'logit_group_events_total',
  'logit_group_throughput',
  'logit_group_log_loss',
] as const;

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/**
 * The learner's Prometheus registry (prom-client): its own {@link Registry} (not the global one) with
 * every sample labelled `learner_id`, the `logit_*` metrics read from `state()` when scraped, and the
 * process/Node.js metrics of `collectDefaultMetrics`. Undefined values (AUC with one class, metrics
 * before the first labelled event) are left out rather than published as NaN.
 *
 * Names: {@link LEARNER_METRIC_NAMES}; docs/operating.md says what each means and what to alert on.
 *
 * @param o - `learnerId` (label `learner_id`), `state` (called on each scrape), `defaultMetrics`
 *   (process metrics; default true)
 * @example
 * const registry = createLearnerRegistry({ learnerId: 'learner-0', state: () => service.metricsState() });
 * res.end(await registry.metrics());
 */
export function createLearnerRegistry(o: { learnerId: string; state: () => LearnerMetricsState; defaultMetrics?: boolean }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ learner_id: o.learnerId });
  if (o.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  // One scrape reads the state once (the pipeline may run between two metrics' collects, in
  // microtasks): \`metrics()\` takes a snapshot that every collect of that scrape uses.
  let snap: LearnerMetricsState | null = null;
  const st = (): LearnerMetricsState => snap ?? o.state();
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    snap = o.state();
    try {
      return await metrics();
    } finally {
      snap = null;
    }
  };
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: LearnerMetricsState) => void): void => {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        // A label-less gauge starts at 0 after reset: remove that sample, so an undefined value is absent.
        if (labelNames.length === 0) this.remove();
        fill(this, st());
      },
    });
  };
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (c: Counter<L>, s: LearnerMetricsState) => void): void => {
    new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        fill(this, st());
      },
    });
  };

  gauge('logit_up', 'Whether the learner has published a metrics report (1) or not yet (0).', [], (g, s) => g.set(s.report === null ? 0 : 1));
  gauge('logit_ready', 'Whether the learner is ready: source connected, partitions assigned, not stalled (1) or not (0).', [], (g, s) => g.set(s.ready ? 1 : 0));
  counter('logit_events_in_total', 'Messages consumed from the input (accepted and rejected).', [], (c, s) => c.inc(s.eventsIn));
  counter('logit_events_scored_total', 'Events scored (a score record sent).', [], (c, s) => c.inc(s.eventsScored));
  counter('logit_events_learned_total', 'Model updates applied (labelled events learned from).', [], (c, s) => c.inc(s.eventsLearned));
  counter('logit_events_rejected_total', 'Messages rejected to the dead-letter topic, by reject code (SPEC §2).', ['reason'], (c, s) => {
    for (const [code, n] of s.rejectedByCode) c.inc({ reason: code }, n);
  });
  gauge('logit_throughput_events_per_second', 'Events per second over the last metrics-report interval.', [], (g, s) => {
    if (s.report !== null && finite(s.report.throughput)) g.set(s.report.throughput);
  });
  gauge('logit_consumer_lag_messages', 'Messages behind the high watermark, per input partition (Kafka only).', ['topic', 'partition'], (g, s) => {
    for (const l of s.lag) g.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
  });
  gauge('logit_event_lag_seconds', 'Seconds between the last metrics report and the timestamp of the last event before it.', [], (g, s) => {
    if (s.report !== null && finite(s.report.lagMs)) g.set(s.report.lagMs / 1000);
  });
  const quality = (key: keyof QualityMetrics, name: string, help: string): void =>
    gauge(name, `${help} Scope window = the last --metrics-window labelled events, total = since start.`, ['scope'], (g, s) => {
      if (s.report === null) return;
      const w = s.report.window[key];
      const t = s.report.total[key];
      if (finite(w)) g.set({ scope: 'window' }, w);
      if (finite(t)) g.set({ scope: 'total' }, t);
    });
  quality('logLoss', 'logit_log_loss', 'Prequential log loss of the calibrated probability.');
  quality('brier', 'logit_brier_score', 'Prequential Brier score, mean (p − y)^2.');
  quality('ece', 'logit_expected_calibration_error', 'Expected calibration error over 15 equal-width bins of p.');
  quality('auc', 'logit_roc_auc', 'Prequential ROC AUC (absent while only one class was seen).');
  quality('accuracy', 'logit_accuracy', 'Prequential accuracy at p >= 0.5.');
  quality('count', 'logit_labelled_events', 'Labelled events behind the quality metrics.');
  counter('logit_drift_detections_total', 'Drift detections, by detector and by the model whose 0/1 error it watches (live or reference).', ['detector', 'model'], (c, s) => {
    if (s.report === null) return;
    for (const d of Object.values(s.report.drift.detectors)) c.inc({ detector: d.detector, model: d.model }, d.detections);
  });
  gauge('logit_drift_warning', 'Whether a drift detector is in its warning zone (1) or not (0).', ['detector', 'model'], (g, s) => {
    if (s.report === null) return;
    for (const d of Object.values(s.report.drift.detectors)) g.set({ detector: d.detector, model: d.model }, d.warning ? 1 : 0);
  });
  gauge('logit_score_psi', 'Population stability index of the score p: reference window vs the latest one (> 0.25: major shift).', [], (g, s) => {
    if (s.report !== null && finite(s.report.drift.psi.score)) g.set(s.report.drift.psi.score);
  });
  gauge(
    'logit_noise_rate',
    'Label-noise rates in use (the noise-matrix estimate): rho0 = P(observed 1 | true 0), rho1 = P(observed 0 | true 1).',
    ['rate', 'estimator'],
    (g, s) => {
      if (s.report === null) return;
      g.set({ rate: 'rho0', estimator: s.report.noise.estimator }, s.report.noise.rho0);
      g.set({ rate: 'rho1', estimator: s.report.noise.estimator }, s.report.noise.rho1);
    },
  );
  gauge('logit_noise_evidence', 'Evidence (pairs or events) behind the published noise-rate estimate.', ['estimator'], (g, s) => {
    if (s.report !== null) g.set({ estimator: s.report.noise.estimator }, s.report.noise.evidence);
  });
  gauge('logit_model_version', 'Model updates applied, as of the last metrics report.', [], (g, s) => {
    if (s.report !== null) g.set(s.report.modelVersion);
  });
  gauge('logit_report_timestamp_seconds', 'Time (epoch seconds) of the last metrics report.', [], (g, s) => {
    if (s.report !== null) g.set(s.report.ts / 1000);
  });
  gauge('logit_snapshot_age_seconds', 'Seconds since the last model snapshot was published (absent without snapshots).', [], (g, s) => {
    if (finite(s.snapshotAgeSeconds)) g.set(s.snapshotAgeSeconds);
  });
  const bins = (name: string, help: string, pick: (b: PublishedMetrics['reliability'][number]) => number | null): void =>
    gauge(name, help, ['lower', 'upper'], (g, s) => {
      if (s.report === null) return;
      for (const b of s.report.reliability) {
        const v = pick(b);
        if (finite(v)) g.set({ lower: String(b.lower), upper: String(b.upper) }, v);
      }
    });
  bins('logit_reliability_bin_events', 'Reliability diagram of the window: events per bin of p.', (b) => b.count);
  bins('logit_reliability_bin_mean_p', 'Reliability diagram of the window: mean predicted p per bin.', (b) => b.meanP);
  bins('logit_reliability_bin_mean_y', 'Reliability diagram of the window: observed frequency of y = 1 per bin.', (b) => b.meanY);
  // The group as this learner sees it on the metrics topic (GroupView): every learner of a group
  // exports the same figures, so aggregate with max by (group_id), never sum.
  const group = (name: string, help: string, labelNames: readonly ('group_id' | 'state' | 'scope')[], fill: (g: Gauge<'group_id' | 'state' | 'scope'>, v: GroupViewJson) => void): void =>
    gauge(name, help, labelNames, (g, s) => {
      if (s.group !== null && s.group !== undefined) fill(g, s.group);
    });
  group('logit_group_learners', 'Learners of the group seen on the metrics topic: state live (a report within the staleness limit), stale (silent, no final report: killed or cut off) or stopped (shut down cleanly).', ['group_id', 'state'], (g, v) => {
    g.set({ group_id: v.groupId, state: 'live' }, v.totals.learners);
    g.set({ group_id: v.groupId, state: 'stale' }, v.totals.stale);
    g.set({ group_id: v.groupId, state: 'stopped' }, v.totals.stopped);
  });
  group('logit_group_events_total', "Events accepted by the group's live learners, summed over their last reports (falls when a learner goes stale).", ['group_id'], (g, v) =>
    g.set({ group_id: v.groupId }, v.totals.events),
  );
  group('logit_group_throughput', "Events per second of the group: the live learners' last report rates summed.", ['group_id'], (g, v) =>
    g.set({ group_id: v.groupId }, v.totals.throughput),
  );
  group('logit_group_log_loss', "Prequential log loss of the group's live learners, weighted by their labelled events (scope window or total).", ['group_id', 'scope'], (g, v) => {
    if (finite(v.totals.logLossWindow)) g.set({ group_id: v.groupId, scope: 'window' }, v.totals.logLossWindow);
    if (finite(v.totals.logLoss)) g.set({ group_id: v.groupId, scope: 'total' }, v.totals.logLoss);
  });
  return registry;
}
