import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { startMetricsServer, type HealthStatus } from './metrics-server.js';

describe('startMetricsServer', () => {
  it('serves /metrics, /health, /metrics.json and the live page; 404 and 405 otherwise', async () => {
    let report: PublishedMetrics | null = null;
    let health: HealthStatus = { status: 'running', events: 3, uptimeMs: 10 };
    const s = await startMetricsServer({ host: '127.0.0.1', port: 0, learnerId: 'l-1', report: () => report, health: () => health });
    try {
      const base = `http://127.0.0.1:${s.port}`;
      const m = await fetch(`${base}/metrics`);
      expect(m.status).toBe(200);
      expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await m.text()).toContain('logit_up{learner="l-1"} 0');
      expect((await fetch(`${base}/metrics.json`)).status).toBe(204);
      report = { learnerId: 'l-1', events: { seen: 1 } } as unknown as PublishedMetrics;
      expect(await (await fetch(`${base}/metrics.json`)).json()).toEqual(report);
      const h = await fetch(`${base}/health`);
      expect(h.status).toBe(200);
      expect(await h.json()).toEqual({ learnerId: 'l-1', status: 'running', events: 3, uptimeMs: 10 });
      health = { status: 'failed', events: 3, uptimeMs: 11 };
      expect((await fetch(`${base}/health`)).status).toBe(503);
      const page = await fetch(`${base}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain("fetch('metrics.json')");
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await s.close();
    }
  });

  it('fails with an AppError naming the address when the port is taken (exit code 2)', async () => {
    const a = await startMetricsServer({ host: '127.0.0.1', port: 0, learnerId: 'a', report: () => null, health: () => ({ status: 'running', events: 0, uptimeMs: 0 }) });
    try {
      const err = await startMetricsServer({ host: '127.0.0.1', port: a.port, learnerId: 'b', report: () => null, health: () => ({ status: 'running', events: 0, uptimeMs: 0 }) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toBe(`cannot listen on 127.0.0.1:${a.port} (EADDRINUSE); pick another --http-port or --http-host`);
      expect((err as AppError).exitCode).toBe(2);
    } finally {
      await a.close();
    }
  });
});
