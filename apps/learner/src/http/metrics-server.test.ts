import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { OnlineLearner } from '@logit-stream/core';
import { BatchProcessor, type PublishedMetrics } from '../pipeline/batch-processor.js';
import { GroupView } from './group-view.js';
import { startMetricsServer, type HealthStatus, type Readiness } from './metrics-server.js';

describe('startMetricsServer', () => {
  it('serves /metrics (prom-client), /healthz (+ /health), /readyz, /metrics.json, /live.json, the live page and uPlot; 404 and 405 otherwise', async () => {
    let report: PublishedMetrics | null = null;
    let health: HealthStatus = { status: 'running', events: 3, uptimeMs: 10 };
    let ready: Readiness = { connected: true, assigned: false, stalled: false, reason: 'no partitions assigned to this learner' };
    const s = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      learnerId: 'l-1',
      report: () => report,
      health: () => health,
      readiness: () => ready,
      defaultMetrics: false,
    });
    try {
      const base = `http://127.0.0.1:${s.port}`;
      const m = await fetch(`${base}/metrics`);
      expect(m.status).toBe(200);
      expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await m.text();
      expect(text).toContain('logit_up{learner_id="l-1"} 0');
      expect(text).toContain('logit_ready{learner_id="l-1"} 0');
      expect((await fetch(`${base}/metrics.json`)).status).toBe(204);
      expect(((await (await fetch(`${base}/live.json`)).json()) as { group: unknown }).group).toBeNull(); // no group view given
      // a whole report (the server's history timer reads it every 200 ms, however slow this test runs)
      const processor = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 2 } }, 'l-1'), topics: { scores: 's', metrics: 'm', dlq: 'd' } });
      report = JSON.parse(String(processor.finalReport().value)) as PublishedMetrics;
      expect(await (await fetch(`${base}/metrics.json`)).json()).toEqual(report);
      for (const p of ['/healthz', '/health']) {
        const h = await fetch(`${base}${p}`);
        expect(h.status).toBe(200);
        expect(await h.json()).toEqual({ learnerId: 'l-1', status: 'running', events: 3, uptimeMs: 10 });
      }
      const r = await fetch(`${base}/readyz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ ready: false, assigned: false, reason: 'no partitions assigned to this learner' });
      ready = { connected: true, assigned: true, stalled: false, reason: '' };
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      health = { status: 'failed', events: 3, uptimeMs: 11 };
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
      const page = await fetch(`${base}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('assets/uPlot.iife.min.js');
      expect(html).toContain("'live.json'");
      const js = await fetch(`${base}/assets/uPlot.iife.min.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(await js.text()).toMatch(/uPlot/);
      expect((await fetch(`${base}/assets/uPlot.min.css`)).status).toBe(200);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await s.close();
    }
  });

  it('serves the group view in /live.json and as logit_group_* on /metrics', async () => {
    let now = 50_000;
    const view = new GroupView({ groupId: 'grp', staleAfterMs: 1000, now: () => now });
    view.add({ learnerId: 'l-1', groupId: 'grp', ts: 49_900, events: { seen: 10 }, modelVersion: 10, throughput: 5, lagMs: 3, total: { count: 10, logLoss: 0.3 }, window: {} });
    view.add({ learnerId: 'l-2', groupId: 'grp', ts: 48_000, events: { seen: 20 }, modelVersion: 20, throughput: 7, lagMs: 4, total: { count: 20, logLoss: 0.6 }, window: {} });
    const s = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      learnerId: 'l-1',
      report: () => null,
      health: () => ({ status: 'running', events: 0, uptimeMs: 1 }),
      defaultMetrics: false,
      group: () => view.toJSON(),
    });
    try {
      const base = `http://127.0.0.1:${s.port}`;
      const live = (await (await fetch(`${base}/live.json`)).json()) as { group: ReturnType<GroupView['toJSON']> };
      expect(live.group.groupId).toBe('grp');
      expect(live.group.learners.map((r) => r.learnerId)).toEqual(['l-1']);
      expect(live.group.stale.map((r) => [r.learnerId, r.ageMs])).toEqual([['l-2', 2000]]);
      expect(live.group.totals).toMatchObject({ learners: 1, stale: 1, events: 10, throughput: 5, logLoss: 0.3 });
      now = 48_500; // both live now
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('logit_group_learners{group_id="grp",state="live",learner_id="l-1"} 2');
      expect(text).toContain('logit_group_events_total{group_id="grp",learner_id="l-1"} 30');
      expect(text).toContain('logit_group_throughput{group_id="grp",learner_id="l-1"} 12');
      expect(text).toContain('logit_group_log_loss{group_id="grp",scope="total",learner_id="l-1"} 0.5'); // (10·0.3 + 20·0.6) / 30
    } finally {
      await s.close();
    }
  });

  it('fails with an AppError naming the address when the port is taken (exit code 2)', async () => {
    const h = () => ({ status: 'running' as const, events: 0, uptimeMs: 0 });
    const a = await startMetricsServer({ host: '127.0.0.1', port: 0, learnerId: 'a', report: () => null, health: h });
    try {
      const err = await startMetricsServer({ host: '127.0.0.1', port: a.port, learnerId: 'b', report: () => null, health: h }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toBe(`cannot listen on 127.0.0.1:${a.port} (EADDRINUSE); pick another --http-port or --http-host`);
      expect((err as AppError).exitCode).toBe(2);
    } finally {
      await a.close();
    }
  });
});
