import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { MemorySink, MemorySource } from './io/memory.js';
import type { CommitOffset, EventSource, InputBatch } from './io/types.js';
import { createLogger } from './logger.js';
import { runConfigFromFlags, type RawFlags } from './options.js';
import type { PublishedMetrics } from './pipeline/batch-processor.js';
import { runService } from './run.js';

const silent = createLogger({ learnerId: 'test', level: 'silent' });

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, out, err };
}

/** n good events (dense, 2 features; label = x0 > x1) followed by bad ones, interleaved. */
function values(n: number): { values: string[]; bad: number[] } {
  const vals: string[] = [];
  const bad: number[] = [];
  let g = 0;
  for (let i = 0; g < n; i++) {
    if (i % 50 === 17) {
      bad.push(i);
      vals.push(i % 100 === 17 ? '{"id":' : `{"id":"e-${i}","features":[1,2],"label":1.7}`);
      continue;
    }
    const a = (i * 7919) % 13 / 13;
    const b = (i * 104729) % 11 / 11;
    vals.push(JSON.stringify({ id: `e-${i}`, ts: 1_000 + i, features: [a, b], label: a > b ? 1 : 0 }));
    g++;
  }
  return { values: vals, bad };
}

const flags = (f: RawFlags = {}) => runConfigFromFlags({ denseDim: '2', brokers: 'unused:1', metricsEvery: '100', ...f }, {});

describe('runService on an in-memory source and sink', () => {
  it('N good + M malformed events → N scores with the right ids, M DLQ records with reasons, commits after the outputs, metrics reports', async () => {
    const journal: string[] = [];
    const { values: vals, bad } = values(300);
    const source = MemorySource.fromValues(vals, { batchSize: 40, journal, timestamp: 5 });
    const sink = new MemorySink({ journal });
    const io = capture();
    const s = await runService(flags(), { ...io, source, sink, logger: silent, now: () => 10_000 });
    expect(s.exitCode).toBe(0);
    expect(s.reason).toBe('exhausted');
    expect(s.events).toBe(vals.length);
    expect(s.scored).toBe(300);
    expect(s.rejected).toBe(bad.length);

    const scores = sink.on('scores').map((r) => JSON.parse(String(r.value)) as { id: string; modelVersion: number; label: number });
    const goodIds = vals.map((v, i) => (bad.includes(i) ? null : `e-${i}`)).filter((x) => x !== null);
    expect(scores.map((x) => x.id)).toEqual(goodIds);
    expect(scores[0].modelVersion).toBe(0);
    expect(scores[299].modelVersion).toBe(299);
    expect(sink.on('scores')[0].key!.toString()).toBe('k0');

    const dlq = sink.on('events-dlq').map((r) => JSON.parse(String(r.value)) as { error: { code: string; reason: string }; source: { topic: string; partition: number; offset: string } });
    expect(dlq).toHaveLength(bad.length);
    expect(dlq.map((d) => d.source.offset)).toEqual(bad.map(String));
    expect(dlq.every((d) => d.source.topic === 'events' && d.source.partition === 0 && d.error.reason.length > 0)).toBe(true);
    expect(dlq.filter((d) => d.error.code === 'bad-json')).toHaveLength(bad.filter((i) => i % 100 === 17).length);
    expect(dlq.some((d) => d.error.code === 'label-range' && d.error.reason.includes('1.7'))).toBe(true);

    // One commit per batch: the next offset after the batch, and only after that batch's records were sent.
    const batches = Math.ceil(vals.length / 40);
    expect(source.commits.map((c) => c[0].offset)).toEqual(Array.from({ length: batches }, (_, b) => String(Math.min(vals.length, (b + 1) * 40))));
    for (let b = 0; b < batches; b++) {
      const d = journal.indexOf(`deliver ${b}`);
      const c = journal.indexOf(`commit events/0@${Math.min(vals.length, (b + 1) * 40)}`);
      const h = journal.indexOf(`handled ${b}`);
      expect(journal[c - 1]).toMatch(/^send /);
      expect(d).toBeLessThan(c);
      expect(c).toBeLessThan(h);
      if (b + 1 < batches) expect(h).toBeLessThan(journal.indexOf(`deliver ${b + 1}`));
    }

    // A report every 100 events plus the final one; throughput and lag per SPEC §2.
    const metrics = sink.on('metrics').map((r) => JSON.parse(String(r.value)) as PublishedMetrics);
    expect(metrics).toHaveLength(Math.floor(vals.length / 100) + 1);
    const last = metrics[metrics.length - 1];
    expect(last).toEqual(JSON.parse(JSON.stringify(s.finalReport)));
    expect(last.learnerId).toBe('learner-0');
    expect(last.events.seen).toBe(300);
    expect(last.lagMs).toBe(10_000 - (1_000 + goodIds.length + bad.length - 1));
    expect(typeof last.throughput).toBe('number');
    expect(sink.on('metrics')[0].key).toBe('learner-0');
    expect(sink.closed).toBe(true);
    // The final report is also the last line on stdout, whatever the sink.
    expect(JSON.parse(io.out.join('').trimEnd().split('\n').at(-1)!)).toEqual(last);
  });

  it('back-pressure with --send-overlap off: with a slow sink the source never has more than one batch in flight', async () => {
    const journal: string[] = [];
    const source = MemorySource.fromValues(values(200).values, { batchSize: 20, journal });
    const sink = new MemorySink({ sendDelayMs: 3, journal });
    const s = await runService(flags({ sendOverlap: 'off' }), { ...capture(), source, sink, logger: silent });
    expect(s.exitCode).toBe(0);
    expect(source.maxInFlight).toBe(1);
    // Every delivery after the first comes after the previous batch's send and commit.
    let sends = 0;
    let delivered = 0;
    for (const line of journal) {
      if (line.startsWith('deliver')) {
        expect(delivered - sends).toBeLessThanOrEqual(0);
        delivered++;
      }
      if (line.startsWith('send') && delivered > sends) sends++;
    }
  });

  it('back-pressure with send overlap (the default): at most one batch is delivered ahead of the sends, every commit follows its batch\'s send, all 200 scored once', async () => {
    const journal: string[] = [];
    const source = MemorySource.fromValues(values(200).values, { batchSize: 20, journal });
    const sink = new MemorySink({ sendDelayMs: 3, journal });
    const s = await runService(flags(), { ...capture(), source, sink, logger: silent });
    expect(s.exitCode).toBe(0);
    expect(source.maxInFlight).toBe(1);
    let sends = 0;
    let delivered = 0;
    let maxAhead = 0;
    for (const line of journal) {
      if (line.startsWith('deliver')) {
        delivered++;
        maxAhead = Math.max(maxAhead, delivered - sends);
      }
      if (line.startsWith('send') && delivered > sends) sends++;
    }
    // The first batch is ahead of every send; while one batch is sent, the next one may be delivered.
    expect(maxAhead).toBe(2);
    const ids = sink.on('scores').map((r) => r.key);
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
    // Commits carry offsets only of batches whose scores were already sent.
    let sentScores = 0;
    for (const line of journal) {
      const sent = /^send (\d+)/.exec(line);
      if (sent !== null) sentScores += Number(sent[1]);
      const commit = /^commit .*?(\d+)$/.exec(line);
      if (commit !== null) expect(Number(commit[1])).toBeLessThanOrEqual(sentScores);
    }
  });

  it('shutdown drains the batch in flight: its records are sent and committed, then a final report, exit 0', async () => {
    let stop!: () => void;
    const stopRequested = new Promise<void>((r) => (stop = r));
    const journal: string[] = [];
    const source = MemorySource.fromValues(values(1000).values, { batchSize: 50, journal });
    const sink = new MemorySink({
      journal,
      sendDelayMs: 2,
    });
    const origSend = sink.send.bind(sink);
    sink.send = async (records) => {
      if (sink.sends === 2) stop(); // stop while the third batch is in flight
      return origSend(records);
    };
    const s = await runService(flags({ metricsEvery: '100000' }), { ...capture(), source, sink, logger: silent, stop: stopRequested });
    expect(s.exitCode).toBe(0);
    expect(s.reason).toBe('stop');
    expect(s.events).toBeLessThan(1000 + 30);
    const handled = source.handled;
    expect(handled).toBeGreaterThanOrEqual(3);
    // Everything handled was committed, and every score sent belongs to a committed batch.
    expect(source.commits).toHaveLength(handled);
    const committed = Number(source.commits[handled - 1][0].offset);
    expect(s.events).toBe(committed);
    expect(sink.on('scores').length + sink.on('events-dlq').length).toBe(committed);
    expect(journal[journal.length - 1]).toBe('send 1'); // the final metrics report comes last
    expect(sink.on('metrics')).toHaveLength(1);
  });

  it('--max-events stops exactly there and commits the next offset; the rest stays uncommitted', async () => {
    const source = MemorySource.fromValues(values(500).values, { batchSize: 64 });
    const sink = new MemorySink();
    const s = await runService(flags({ maxEvents: '150' }), { ...capture(), source, sink, logger: silent });
    expect(s.reason).toBe('max-events');
    expect(s.events).toBe(150);
    expect(source.commits.flat().at(-1)!.offset).toBe('150');
    expect(sink.on('scores').length + sink.on('events-dlq').length).toBe(150);
  });

  it('--exit-on-idle stops cleanly once no event arrived for that long, still reporting metrics on the idle stream', async () => {
    // A source that delivers one batch and then goes silent (never exhausted).
    const one = MemorySource.fromValues(values(10).values, { batchSize: 100 });
    const idle: EventSource = {
      start: (h: (b: InputBatch) => Promise<void>) => one.start(h),
      commit: (o: readonly CommitOffset[]) => one.commit(o),
      stop: () => one.stop(),
      exhausted: new Promise<void>(() => undefined),
    };
    const sink = new MemorySink();
    const t0 = Date.now();
    const s = await runService(flags({ exitOnIdle: '0.3', metricsIntervalMs: '100', metricsEvery: '1000' }), {
      ...capture(),
      source: idle,
      sink,
      logger: silent,
    });
    expect(s.reason).toBe('idle');
    expect(s.exitCode).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    // Time-driven reports (every ~100 ms) arrived while idle, plus the final one.
    expect(sink.on('metrics').length).toBeGreaterThanOrEqual(2);
  });

  it('a failing sink stops the service with exit code 1 and an error naming the cause; nothing after it is committed', async () => {
    const source = MemorySource.fromValues(values(200).values, { batchSize: 50 });
    const sink = new MemorySink({ failOnSend: 2 });
    const io = capture();
    const s = await runService(flags(), { ...io, source, sink, logger: silent });
    expect(s.exitCode).toBe(1);
    expect(s.reason).toBe('error');
    expect(s.error?.message).toMatch(/send 2 failed/);
    expect(source.commits).toHaveLength(1);
    expect(io.err.join('')).toMatch(/send 2 failed/);
  });
});

describe('runService on the embedded default source', () => {
  it('runs with no Kafka and ends with a final metrics JSON line on stdout whose prequential log loss is finite and below ln 2', async () => {
    const io = capture();
    const s = await runService(runConfigFromFlags({ maxEvents: '30000' }, {}), { ...io, logger: silent });
    expect(s.exitCode).toBe(0);
    expect(s.reason).toBe('max-events');
    expect(s.events).toBe(30_000);
    const lines = io.out.join('').trimEnd().split('\n');
    expect(lines.length).toBe(4); // reports at 10k, 20k, 30k, and the final one
    const final = JSON.parse(lines[lines.length - 1]) as PublishedMetrics;
    expect(final.events.seen).toBe(30_000);
    expect(Number.isFinite(final.total.logLoss)).toBe(true);
    expect(final.total.logLoss!).toBeLessThan(Math.LN2);
    expect(final.events.trusted).toBeGreaterThan(0);
    expect(final.events.unlabelled).toBeGreaterThan(0);
    expect(final.lagMs).not.toBeNull();
  });

  it('serves the metrics over HTTP while running (--http-port 0) and closes the server at shutdown', async () => {
    const source = MemorySource.fromValues(values(50).values, { batchSize: 10 });
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void logs.push(l) });
    const sink = new MemorySink();
    const seen: { health?: unknown; metrics?: string } = {};
    const send = sink.send.bind(sink);
    sink.send = async (records) => {
      if (sink.sends === 3) {
        const url = (JSON.parse(logs.find((l) => l.includes('metrics server listening'))!) as { url: string }).url;
        seen.health = await (await fetch(`${url}health`)).json();
        seen.metrics = await (await fetch(`${url}metrics`)).text();
      }
      return send(records);
    };
    // Without send overlap, so that exactly four batches are processed when the 4th send begins.
    const s = await runService(flags({ httpPort: '0', sendOverlap: 'off' }), { ...capture(), source, sink, logger });
    expect(s.exitCode).toBe(0);
    // Asked during the 4th send: four batches of 10 processed.
    expect(seen.health).toMatchObject({ learnerId: 'learner-0', status: 'running', events: 40 });
    expect(seen.metrics).toContain('logit_up{learner_id="learner-0"}');
    expect(seen.metrics).toContain('logit_events_in_total{learner_id="learner-0"} 40');
    expect(s.httpPort).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${s.httpPort}/health`)).rejects.toThrow();
    expect(() => runConfigFromFlags({ httpHost: '0.0.0.0' }, {})).toThrow(/--http-host "0.0.0.0" is not allowed: use it together with --http-port/);
  });

  it('--scores-out writes every score as JSONL, on the embedded console sink and on any other sink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logit-run-'));
    const a = join(dir, 'embedded.jsonl');
    await runService(runConfigFromFlags({ maxEvents: '2500', scoresOut: a }, {}), { ...capture(), logger: silent });
    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2500);
    expect((JSON.parse(lines[2499]) as { id: string }).id).toBe('e-2499');
    const b = join(dir, 'memory.jsonl');
    const sink = new MemorySink();
    await runService(flags({ scoresOut: b }), { ...capture(), source: MemorySource.fromValues(values(120).values), sink, logger: silent });
    expect(readFileSync(b, 'utf8').trimEnd().split('\n')).toHaveLength(120);
    expect(sink.on('scores')).toHaveLength(120);
  });

  it('rejects Kafka settings that cannot work as bad usage (exit 2)', () => {
    expect(() => runConfigFromFlags({ brokers: ',' }, {})).toThrow(AppError);
  });
});
