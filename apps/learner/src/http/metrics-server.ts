import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../app-error.js';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { LIVE_PAGE_HTML } from './live-page.js';
import { prometheusText } from './prometheus-text.js';

/** What the health endpoint reports. */
export interface HealthStatus {
  status: 'starting' | 'running' | 'stopping' | 'failed';
  events: number;
  uptimeMs: number;
}

/** Settings of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly host: string;
  /** 0 = any free port (see the returned `port`). */
  readonly port: number;
  readonly learnerId: string;
  /** The last published metrics report, or null before the first. */
  readonly report: () => PublishedMetrics | null;
  readonly health: () => HealthStatus;
}

/** A running metrics server. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The learner's HTTP server: `GET /metrics` (Prometheus text format), `GET /health` (JSON; 200 while
 * starting or running, 503 when stopping or failed), `GET /metrics.json` (the last report; 204 before
 * the first), and `GET /` (a small live page: loss, ECE, reliability diagram, drift alarms).
 *
 * @example
 * const server = await startMetricsServer({ host: '127.0.0.1', port: 9400, learnerId, report: () => p.lastReport, health });
 * // curl 127.0.0.1:9400/metrics
 * await server.close();
 */
export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET and HEAD\n');
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(prometheusText(o.report(), o.learnerId));
    } else if (path === '/health') {
      const h = o.health();
      const ok = h.status === 'running' || h.status === 'starting';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ learnerId: o.learnerId, ...h })}\n`);
    } else if (path === '/metrics.json') {
      const r = o.report();
      if (r === null) res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(r));
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LIVE_PAGE_HTML);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /, /metrics, /metrics.json or /health\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new AppError('http', `cannot listen on ${o.host}:${o.port} (${e.code ?? e.message}); pick another --http-port or --http-host`, {
          cause: e,
          exitCode: e.code === 'EADDRINUSE' || e.code === 'EACCES' ? 2 : 1,
        }),
      ),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
