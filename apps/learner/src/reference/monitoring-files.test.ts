import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLearnerRegistry, LEARNER_METRIC_NAMES, type LearnerMetricsState } from '../http/learner-metrics.js';
import { rejectTableMarkdown } from './reject-table.js';

const root = new URL('../../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

const state: LearnerMetricsState = {
  report: null,
  eventsIn: 0,
  eventsScored: 0,
  eventsLearned: 0,
  eventsRejected: 0,
  rejectedByCode: new Map(),
  lag: [],
  ready: false,
  snapshotAgeSeconds: null,
};
const registry = createLearnerRegistry({ learnerId: 'x', state: () => state });

/** Label names of a registered metric (plus the default label learner_id), or null when there is no such metric. */
function labelsOf(name: string): string[] | null {
  const base = registry.getSingleMetric(name) ?? registry.getSingleMetric(name.replace(/_(bucket|sum|count)$/, ''));
  if (base === undefined) return null;
  const names = (base as unknown as { labelNames?: string[] }).labelNames ?? [];
  return [...names, 'learner_id', ...(name.endsWith('_bucket') ? ['le'] : [])];
}

const METRIC = /\b((?:logit|process|nodejs)_[a-z0-9_]+)\b(\{[^}]*\})?/g;

/** Every metric a PromQL expression uses exists, and every label its selectors name is one of that metric's. */
function checkExpr(expr: string, where: string): number {
  let n = 0;
  for (const m of expr.matchAll(METRIC)) {
    n++;
    const labels = labelsOf(m[1]);
    expect(labels, `${where}: metric ${m[1]} in ${expr}`).not.toBeNull();
    for (const l of (m[2] ?? '').matchAll(/([a-z_]+)\s*(=~|!=|!~|=)/g)) expect(labels, `${where}: label ${l[1]} of ${m[1]}`).toContain(l[1]);
  }
  return n;
}

function exprsOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) exprsOf(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'expr' && typeof x === 'string') out.push(x);
      else exprsOf(x, out);
    }
  }
  return out;
}

describe('infra/monitoring and the docs use only metrics the learner exports', () => {
  it('prometheus.yml scrapes /metrics and loads alerts.yml', () => {
    const p = read('infra/monitoring/prometheus.yml');
    expect(p).toMatch(/^scrape_configs:$/m);
    expect(p).toMatch(/^\s+metrics_path: \/metrics$/m);
    expect(p).toMatch(/^rule_files:\n\s+- alerts\.yml$/m);
    expect(p).toMatch(/job_name: logit-learner/);
  });

  it('alerts.yml: every rule has alert, expr, severity and a summary, on existing metrics and labels', () => {
    const text = read('infra/monitoring/alerts.yml');
    expect(text).toMatch(/^groups:\n {2}- name: logit-stream\n {4}rules:$/m);
    const rules = text.split(/^ {6}- alert: /m).slice(1);
    expect(rules.length).toBeGreaterThanOrEqual(8);
    let metrics = 0;
    for (const r of rules) {
      const name = r.split('\n')[0];
      expect(name).toMatch(/^Logit[A-Za-z]+$/);
      const expr = /^ {8}expr: (.+)$/m.exec(r)?.[1];
      expect(expr, `${name}: expr`).toBeDefined();
      expect(r).toMatch(/^ {10}severity: (page|ticket|info)$/m);
      expect(r).toMatch(/^ {10}summary: ".+"$/m);
      metrics += checkExpr(expr!, `alert ${name}`);
    }
    expect(metrics).toBeGreaterThanOrEqual(rules.length - 1); // all but LogitLearnerDown (Prometheus's own `up`)
    // The operating guide lists the same alerts.
    const guide = read('docs/operating.md');
    for (const r of rules) expect(guide).toContain(`\`${r.split('\n')[0]}\``);
  });

  it('grafana-dashboard.json parses and every panel, variable and annotation query uses existing metrics', () => {
    const d = JSON.parse(read('infra/monitoring/grafana-dashboard.json')) as { panels: { targets: unknown[] }[] };
    const exprs = exprsOf(d);
    expect(d.panels.length).toBeGreaterThanOrEqual(10);
    expect(exprs.length).toBeGreaterThanOrEqual(d.panels.length);
    let n = 0;
    for (const e of exprs) n += checkExpr(e, 'dashboard');
    expect(n).toBeGreaterThanOrEqual(exprs.length);
    const used = new Set([...JSON.stringify(d).matchAll(/\blogit_[a-z_]+/g)].map((m) => m[0]));
    // The dashboard shows the quality, drift, noise, lag and snapshot metrics.
    for (const name of ['logit_log_loss', 'logit_expected_calibration_error', 'logit_drift_detections_total', 'logit_noise_rate', 'logit_consumer_lag_messages', 'logit_snapshot_age_seconds']) {
      expect(used).toContain(name);
    }
  });

  it('docs/operating.md documents every logit_* metric and names no other', () => {
    const guide = read('docs/operating.md');
    for (const name of LEARNER_METRIC_NAMES) expect(guide, name).toContain(`\`${name}\``);
    for (const m of guide.matchAll(/`((?:logit|process|nodejs)_[a-z0-9_]+)`/g)) expect(labelsOf(m[1]), m[1]).not.toBeNull();
  });

  it('docs/event-format.md lists every reject code with the reason the decoder writes today', () => {
    const doc = read('docs/event-format.md');
    const begin = doc.indexOf('\n', doc.indexOf('<!-- reject-table:begin')) + 1;
    const end = doc.indexOf('<!-- reject-table:end -->');
    expect(begin).toBeGreaterThan(0);
    expect(doc.slice(begin, end)).toBe(rejectTableMarkdown());
  });
});
