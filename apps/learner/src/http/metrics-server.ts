import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AppError } from '../app-error.js';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import type { GroupViewJson } from './group-view.js';
import { createLearnerRegistry, type LearnerMetricsState } from './learner-metrics.js';
import { LIVE_PAGE_HTML } from './live-page.js';
import type { PartitionLag } from './partition-lag.js';
import { ReportHistory } from './report-history.js';

/** What the health endpoints report. */
export interface HealthStatus {
  status: 'starting' | 'running' | 'stopping' | 'failed';
  events: number;
  uptimeMs: number;
}

/** What `/readyz` reports: ready when the source is connected, its partitions assigned, and the pipeline not stalled. */
export interface Readiness {
  readonly connected: boolean;
  readonly assigned: boolean;
  readonly stalled: boolean;
  /** Why it is not ready (empty when ready). */
  readonly reason: string;
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
  /** Readiness (default: ready while `health().status` is 'running'). */
  readonly readiness?: () => Readiness;
  /**
   * The live counters behind `/metrics` (default: from the report alone). `report` and `ready` of the
   * result are filled in by the server.
   */
  readonly counters?: () => Omit<LearnerMetricsState, 'report' | 'ready'>;
  /** Process/Node.js metrics on `/metrics` (default true). */
  readonly defaultMetrics?: boolean;
  /**
   * The group this learner belongs to as seen on the metrics topic (a {@link GroupView}'s `toJSON`),
   * or null: the `group` member of `/live.json`, the live page's Group panel, and `logit_group_*` on
   * `/metrics`. Without it (or while it returns null) those are null / absent.
   */
  readonly group?: () => GroupViewJson | null;
}

/** A running metrics server. */
export interface MetricsServer {
  readonly port: number;
  /** The prom-client registry behind `/metrics`. */
  readonly registry: Registry;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/assets/uPlot.iife.min.js': { file: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  '/assets/uPlot.min.css': { file: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};
const assetCache = new Map<string, Buffer>();

function asset(path: string): Buffer {
  let b = assetCache.get(path);
  if (b === undefined) {
    b = readFileSync(require.resolve(ASSETS[path].file));
    assetCache.set(path, b);
  }
  return b;
}

function defaultReadiness(h: HealthStatus): Readiness {
  const up = h.status === 'running';
  return { connected: up, assigned: up, stalled: false, reason: up ? '' : `status ${h.status}` };
}

/**
 * The learner's HTTP server:
 *
 * - `GET /metrics`: Prometheus text format from a prom-client registry ({@link createLearnerRegistry}:
 *   `logit_*` metrics labelled `learner_id`, plus process and Node.js metrics);
 * - `GET /healthz` (alias `/health`): liveness, JSON; 200 while starting or running, 503 when stopping or failed;
 * - `GET /readyz`: readiness, JSON; 200 when connected, assigned and not stalled, else 503 with the reason;
 * - `GET /metrics.json`: the last published report (204 before the first);
 * - `GET /live.json`: what the live page draws: the last report, its history, drift detections, lag per partition,
 *   and `group` (the learners of this learner's group and their totals, or null without a group view);
 * - `GET /`: the live page (uPlot, served from `/assets/`, no CDN).
 *
 * @example
 * const server = await startMetricsServer({ host: '127.0.0.1', port: 9400, learnerId, report: () => p.lastReport, health });
 * // curl 127.0.0.1:9400/metrics
 * await server.close();
 */
export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const group = (): GroupViewJson | null => (o.group ? o.group() : null);
  const readiness = (): Readiness => (o.readiness ? o.readiness() : defaultReadiness(o.health()));
  const counters = (): Omit<LearnerMetricsState, 'report' | 'ready'> => {
    if (o.counters) return o.counters();
    const r = o.report();
    return {
      eventsIn: r?.events.seen ?? 0,
      eventsScored: r?.events.seen ?? 0,
      eventsLearned: r?.modelVersion ?? 0,
      eventsRejected: 0,
      rejectedByCode: new Map(),
      lag: [],
      snapshotAgeSeconds: null,
    };
  };
  const registry = createLearnerRegistry({
    learnerId: o.learnerId,
    state: () => {
      const rd = readiness();
      return { ...counters(), report: o.report(), ready: rd.connected && rd.assigned && !rd.stalled, group: group() };
    },
    defaultMetrics: o.defaultMetrics,
  });
  const history = new ReportHistory();
  const totalLag = (lag: readonly PartitionLag[]): number | null => (lag.length === 0 ? null : lag.reduce((a, l) => a + l.lag, 0));
  const recordHistory = (): void => history.record(o.report(), totalLag(counters().lag));
  const timer = setInterval(recordHistory, 200);
  timer.unref();

  const json = (res: import('node:http').ServerResponse, code: number, v: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(v)}\n`);
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET and HEAD\n');
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(e)}\n`),
      );
    } else if (path === '/healthz' || path === '/health') {
      const h = o.health();
      const ok = h.status === 'running' || h.status === 'starting';
      json(res, ok ? 200 : 503, { learnerId: o.learnerId, ...h });
    } else if (path === '/readyz') {
      const r = readiness();
      const ready = r.connected && r.assigned && !r.stalled;
      json(res, ready ? 200 : 503, { learnerId: o.learnerId, ready, ...r });
    } else if (path === '/metrics.json') {
      const r = o.report();
      if (r === null) res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(r));
    } else if (path === '/live.json') {
      recordHistory();
      const c = counters();
      const rd = readiness();
      json(res, 200, {
        learnerId: o.learnerId,
        health: o.health(),
        ready: rd.connected && rd.assigned && !rd.stalled,
        readiness: rd,
        counters: { eventsIn: c.eventsIn, eventsScored: c.eventsScored, eventsLearned: c.eventsLearned, eventsRejected: c.eventsRejected, rejectedByCode: Object.fromEntries(c.rejectedByCode) },
        lag: c.lag,
        snapshotAgeSeconds: c.snapshotAgeSeconds,
        report: o.report(),
        history: history.series(),
        drift: history.driftEvents(),
        group: group(),
      });
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(LIVE_PAGE_HTML);
    } else if (ASSETS[path] !== undefined) {
      res.writeHead(200, { 'content-type': ASSETS[path].type, 'cache-control': 'max-age=3600' }).end(asset(path));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /, /metrics, /healthz, /readyz, /metrics.json or /live.json\n');
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
  }).catch((e: unknown) => {
    clearInterval(timer);
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    registry,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
