import type { MetricsReport } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../io/memory.js';
import { createLogger } from '../logger.js';
import { runConfigFromFlags } from '../options.js';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { runService } from '../run.js';
import { parsePrometheusText, type PrometheusSample } from './prometheus-samples.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function one(samples: PrometheusSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(hits.length).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}

describe('/metrics during a run', () => {
  it('matches the metrics report the learner published on its metrics topic (same report, same values)', async () => {
    const logLines: string[] = [];
    const logger = createLogger({ learnerId: 'scrape-1', level: 'info', destination: { write: (s: string) => logLines.push(s) } });
    const cfg = runConfigFromFlags(
      { learnerId: 'scrape-1', rate: '40000', batchSize: '400', maxEvents: '40000', driftEvery: '8000', metricsEvery: '4000', metricsIntervalMs: '100', httpPort: '0' },
      {},
    );
    const sink = new MemorySink();
    const out: string[] = [];
    const done = runService(cfg, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => undefined }, sink, logger });
    let url = '';
    for (let i = 0; i < 200 && url === ''; i++) {
      await sleep(10);
      for (const l of logLines) {
        const j = JSON.parse(l) as { msg: string; url?: string };
        if (j.msg === 'metrics server listening' && j.url) url = j.url;
      }
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // Wait for a few published reports, then scrape while the learner is still running.
    for (let i = 0; i < 300 && sink.on('metrics').length < 3; i++) await sleep(10);
    const text = await (await fetch(`${url}metrics`)).text();
    const samples = parsePrometheusText(text);
    const summary = await done;
    expect(summary.exitCode).toBe(0);
    expect(summary.events).toBe(40_000);

    // Every sample carries the learner id; the process metrics of prom-client are there too.
    expect(samples.every((s) => s.labels.learner_id === 'scrape-1')).toBe(true);
    expect(one(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(one(samples, 'logit_up')).toBe(1);
    expect(one(samples, 'logit_ready')).toBe(1);

    // The scrape read one report: find the same report (by its timestamp) among the published ones.
    const ts = one(samples, 'logit_report_timestamp_seconds')!;
    const published = sink.on('metrics').map((r) => JSON.parse(String(r.value)) as PublishedMetrics);
    const r = published.find((p) => p.ts === ts * 1000);
    expect(r, `a published report with ts ${ts * 1000}`).toBeDefined();
    const rep = r!;
    expect(rep.events.seen).toBeLessThan(40_000); // scraped mid-run, not after the end
    expect(one(samples, 'logit_model_version')).toBe(rep.modelVersion);
    expect(one(samples, 'logit_throughput_events_per_second')).toBe(rep.throughput);
    expect(one(samples, 'logit_event_lag_seconds')).toBe(rep.lagMs! / 1000);
    const quality: [string, keyof MetricsReport['window']][] = [
      ['logit_log_loss', 'logLoss'],
      ['logit_brier_score', 'brier'],
      ['logit_expected_calibration_error', 'ece'],
      ['logit_roc_auc', 'auc'],
      ['logit_accuracy', 'accuracy'],
      ['logit_labelled_events', 'count'],
    ];
    for (const [name, key] of quality) {
      for (const scope of ['window', 'total'] as const) {
        const v = rep[scope][key];
        expect(v).not.toBeNull();
        expect(one(samples, name, { scope }), `${name}{scope=${scope}}`).toBe(v);
      }
    }
    const detectors = Object.values(rep.drift.detectors);
    expect(detectors.length).toBeGreaterThan(0);
    for (const d of detectors) {
      expect(one(samples, 'logit_drift_detections_total', { detector: d.detector, model: d.model })).toBe(d.detections);
      expect(one(samples, 'logit_drift_warning', { detector: d.detector, model: d.model })).toBe(d.warning ? 1 : 0);
    }
    expect(one(samples, 'logit_noise_rate', { rate: 'rho0', estimator: rep.noise.estimator })).toBe(rep.noise.rho0);
    expect(one(samples, 'logit_noise_rate', { rate: 'rho1', estimator: rep.noise.estimator })).toBe(rep.noise.rho1);
    for (const b of rep.reliability.filter((x) => x.count > 0)) {
      expect(one(samples, 'logit_reliability_bin_events', { lower: String(b.lower), upper: String(b.upper) })).toBe(b.count);
      expect(one(samples, 'logit_reliability_bin_mean_y', { lower: String(b.lower), upper: String(b.upper) })).toBe(b.meanY);
    }
    // The live counters run ahead of the report (events keep coming) and add up.
    const eventsIn = one(samples, 'logit_events_in_total')!;
    expect(eventsIn).toBeGreaterThanOrEqual(rep.events.seen);
    expect(one(samples, 'logit_events_scored_total')).toBe(eventsIn); // the embedded stream has no bad events
    expect(one(samples, 'logit_events_learned_total')).toBeGreaterThanOrEqual(rep.modelVersion);
    // The embedded source reports what it generated as its high watermark: lag 0 on its one partition.
    expect(one(samples, 'logit_consumer_lag_messages', { topic: 'events', partition: '0' })).toBe(0);
    // No snapshots yet: no snapshot age.
    expect(one(samples, 'logit_snapshot_age_seconds')).toBeUndefined();
  });
});
