/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../io/memory.js';
import { createLogger } from '../logger.js';
import { runConfigFromFlags } from '../options.js';
import { runService, type ServiceSummary } from '../run.js';
import { GroupView } from './group-view.js';
import { startMetricsServer } from './metrics-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SCREENSHOT = join(ROOT, 'artifacts/live-page.png');
const DOCS_SCREENSHOT = join(ROOT, 'docs/live-page.png');
// The network is closed: without these flags Chromium waits on update, sync and QUIC connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let executablePath = '';
let context: BrowserContext | null = null;
let userDataDir = '';
let stopService!: () => void;
let service: Promise<ServiceSummary> | null = null;
let url = '';

beforeAll(async () => {
  executablePath = execFileSync('bash', [join(ROOT, 'infra/tools/ensure-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 850_000 }).trim();
  // The learner replays the embedded drifting stream (SEA concept switch every 12 000 events) at
  // 6000 events/s, with a report every 1500 events or 250 ms so that the page has a timeline.
  const logLines: string[] = [];
  const logger = createLogger({ learnerId: 'learner-0', level: 'info', destination: { write: (s: string) => logLines.push(s) } });
  const cfg = runConfigFromFlags(
    { rate: '6000', batchSize: '200', driftEvery: '12000', metricsEvery: '1500', metricsIntervalMs: '250', httpPort: '0', noiseEstimation: 'trusted' },
    {},
  );
  const stop = new Promise<void>((r) => (stopService = r));
  service = runService(cfg, { stdout: { write: () => undefined }, stderr: { write: () => undefined }, sink: new MemorySink(), logger, stop });
  for (let i = 0; i < 500 && url === ''; i++) {
    await new Promise((r) => setTimeout(r, 10));
    for (const l of logLines) {
      const j = JSON.parse(l) as { msg: string; url?: string };
      if (j.msg === 'metrics server listening' && j.url) url = j.url;
    }
  }
  if (url === '') throw new Error('the learner did not start its HTTP server');
  userDataDir = mkdtempSync(join(tmpdir(), 'logit-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 1000 },
    deviceScaleFactor: 1,
    timeout: 60_000,
  });
});

afterAll(async () => {
  await context?.close();
  stopService?.();
  const s = await service;
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  expect(s?.exitCode).toBe(0);
});

describe('the live page in headless Chromium', () => {
  it('draws log loss, ECE, reliability, throughput and the noise matrix from live data, and marks a drift detection on the timeline', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    // Wait (bounded) until the charts hold a timeline and at least one live drift detection is drawn.
    await page.waitForFunction(
      () => {
        const n = (id: string, a: string) => Number(document.getElementById(id)?.getAttribute(a) ?? 0);
        return n('c-loss', 'data-points') >= 15 && n('c-loss', 'data-markers') >= 1 && n('c-ece', 'data-markers') >= 1 && n('c-rel', 'data-points') >= 5;
      },
      undefined,
      { timeout: 60_000, polling: 250 },
    );
    // Let the page settle for two more polls so the screenshot shows a few points after the marker.
    await page.waitForTimeout(2500);
    const state = await page.evaluate(() => {
      const attr = (id: string, a: string) => Number(document.getElementById(id)?.getAttribute(a) ?? 0);
      const canvases = ['c-loss', 'c-ece', 'c-rel', 'c-tp'].map((id) => {
        const c = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
        return c === null ? 0 : c.width * c.height;
      });
      const text = (id: string) => document.getElementById(id)?.textContent ?? '';
      return {
        canvases,
        lossPoints: attr('c-loss', 'data-points'),
        markers: attr('c-loss', 'data-markers'),
        relPoints: attr('c-rel', 'data-points'),
        tpPoints: attr('c-tp', 'data-points'),
        status: text('status'),
        events: text('t-events'),
        alarms: document.querySelectorAll('#alarms li .dot').length,
        firstAlarm: document.querySelector('#alarms li')?.textContent ?? '',
        noise: [text('n00'), text('n01'), text('n10'), text('n11')],
        qualityRows: document.querySelectorAll('#quality tbody tr').length,
        err: text('err'),
      };
    });
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // The README's picture is refreshed only on request, so that `pnpm test` leaves the work tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    expect(errors).toEqual([]);
    expect(state.err).toBe('');
    for (const area of state.canvases) expect(area).toBeGreaterThan(0);
    expect(state.lossPoints).toBeGreaterThanOrEqual(15);
    expect(state.tpPoints).toBe(state.lossPoints);
    expect(state.markers).toBeGreaterThanOrEqual(1);
    expect(state.relPoints).toBeGreaterThanOrEqual(5);
    expect(state.status).toBe('running');
    expect(Number(state.events.replace(/,/g, ''))).toBeGreaterThan(12_000);
    expect(state.alarms).toBeGreaterThanOrEqual(1);
    expect(state.firstAlarm).toMatch(/adwin · (live|reference)/);
    // The noise matrix is a row-stochastic 2×2 matrix: each row sums to 1 (to the 3 decimals shown).
    const n = state.noise.map(Number);
    expect(n.every(Number.isFinite)).toBe(true);
    // Trusted pairs estimate T from the stream's audited events (true ρ0 = 0.1, ρ1 = 0.05): off-diagonals well inside (0, 0.3).
    expect(n[1]).toBeGreaterThan(0);
    expect(n[1]).toBeLessThan(0.3);
    expect(n[2]).toBeGreaterThan(0);
    expect(n[2]).toBeLessThan(0.3);
    expect(Math.abs(n[0] + n[1] - 1)).toBeLessThanOrEqual(0.0011);
    expect(Math.abs(n[2] + n[3] - 1)).toBeLessThanOrEqual(0.0011);
    expect(state.qualityRows).toBe(6);
    expect(statSync(SCREENSHOT).size).toBeLessThan(300_000);
  });

  it('shows the Group panel from /live.json: one row per learner (stale and stopped ones greyed), then the group totals', async () => {
    // A server of its own with a hand-made group: a and learner-0 live, c stale (no report for 20 s > 15 s), d stopped.
    const now = 1_000_000;
    const view = new GroupView({ groupId: 'scorers', staleAfterMs: 15_000, now: () => now });
    const r = (learnerId: string, age: number, seen: number, count: number, logLoss: number, lagMs: number) => ({
      learnerId,
      groupId: 'scorers',
      ts: now - age,
      modelVersion: count,
      events: { seen },
      throughput: seen / 10,
      lagMs,
      total: { count, logLoss, accuracy: 0.75, brier: 0.2 },
      window: { count, logLoss, ece: 0.05 },
    });
    view.add(r('a<b>', 1000, 1000, 400, 0.5, 40));
    view.add(r('learner-0', 2000, 3000, 600, 0.3, 90));
    view.add(r('c', 20_000, 5000, 5000, 2, 10));
    view.add({ ...r('d', 3000, 700, 700, 0.9, 10), final: true }); // shut down cleanly
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      learnerId: 'learner-0',
      report: () => null,
      health: () => ({ status: 'running', events: 0, uptimeMs: 1 }),
      defaultMetrics: false,
      group: () => view.toJSON(),
    });
    const page = await context!.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${server.port}/`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('group')?.getAttribute('data-learners') === '2', undefined, { timeout: 20_000, polling: 100 });
      const g = await page.evaluate(() => {
        const rows = Array.from(document.querySelectorAll('#group-table tbody tr')).map((tr) => ({
          cls: tr.className,
          cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
          color: getComputedStyle(tr.querySelector('td') as Element).color,
        }));
        const el = document.getElementById('group') as HTMLElement;
        return { hidden: el.hidden, stale: el.getAttribute('data-stale'), stopped: el.getAttribute('data-stopped'), id: document.getElementById('group-id')?.textContent, rows };
      });
      await page.locator('#group').screenshot({ path: join(ROOT, 'artifacts/live-page-group.png') });
      expect(errors).toEqual([]);
      expect(g.hidden).toBe(false);
      expect(g.id).toBe('scorers');
      expect(g.stale).toBe('1');
      expect(g.stopped).toBe('1');
      expect(g.rows.map((x) => x.cls)).toEqual(['live', 'live self', 'stale', 'stopped', 'totals']);
      expect(g.rows[0].cells.slice(0, 5)).toEqual(['a<b>', '1,000', '400', '100', '0.5000']); // the id is shown as text, not markup
      expect(g.rows[2].cells[0]).toBe('c (stale)');
      expect(g.rows[3].cells[0]).toBe('d (stopped)');
      expect(g.rows[2].color).toBe('rgb(156, 163, 175)'); // greyed
      expect(g.rows[3].color).toBe('rgb(156, 163, 175)');
      expect(g.rows[0].color).not.toBe(g.rows[2].color);
      // Totals of a and learner-0: events 4000, model versions 400–600, 100 + 300 events/s,
      // log loss (400·0.5 + 600·0.3) / 1000 = 0.38, accuracy 0.75, worst lag 90.
      expect(g.rows[4].cells.slice(0, 9)).toEqual(['group (2 live)', '4,000', '400–600', '400', '0.3800', '0.3800', '0.7500', '–', '90']);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
