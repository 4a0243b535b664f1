/**
 * On the real broker (KAFKA_BROKERS, kafka.sh with-test-broker): `/metrics` shows the consumer lag of
 * every partition the learner owns while it works through a backlog, and 0 on each once it has
 * caught up; `/readyz` is 200 once the partitions are assigned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { MemorySink } from '../io/memory.js';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { createLogger } from '../logger.js';
import { runConfigFromFlags } from '../options.js';
import { runService } from '../run.js';
import { parsePrometheusText } from './prometheus-samples.js';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  requireBrokers();
  kafka = testKafka('consumer-lag-int');
  admin = kafka.admin();
  producer = kafka.producer();
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('consumer lag per partition on /metrics', () => {
  it('is positive on a backlog, 0 on every partition once caught up', async () => {
    const events = unique('lag-events');
    await ensureTopics(admin, { topics: [{ name: events, partitions: 3 }] });
    const n = 6000;
    for (let i = 0; i < n; i += 1000) {
      await producer.send({
        topic: events,
        messages: Array.from({ length: 1000 }, (_, k) => ({
          partition: (i + k) % 3,
          key: `e-${i + k}`,
          value: JSON.stringify({ id: `e-${i + k}`, features: { a: (i + k) % 5, b: 1 }, label: (i + k) % 2 }),
        })),
      });
    }
    const logLines: string[] = [];
    const logger = createLogger({ learnerId: 'lag-1', level: 'info', destination: { write: (s: string) => logLines.push(s) } });
    const cfg = runConfigFromFlags(
      {
        brokers: requireBrokers(),
        learnerId: 'lag-1',
        groupId: unique('lag-group'),
        eventsTopic: events,
        scoresTopic: unique('lag-scores'),
        metricsTopic: unique('lag-metrics'),
        dlqTopic: unique('lag-dlq'),
        snapshotsTopic: unique('lag-snapshots'),
        partitions: '3',
        httpPort: '0',
        metricsIntervalMs: '200',
      },
      {},
    );
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    // A slow sink (80 ms per batch) keeps a backlog in the topic for a while.
    const done = runService(cfg, { stdout: { write: () => undefined }, stderr: { write: () => undefined }, sink: new MemorySink({ sendDelayMs: 80 }), logger, stop: stopped });
    try {
      let url = '';
      for (let i = 0; i < 3000 && url === ''; i++) {
        await sleep(10);
        url = logLines.map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg === 'metrics server listening')?.url ?? '';
      }
      expect(url).not.toBe('');
      const maxLag = new Map<string, number>();
      let last = new Map<string, number>();
      let eventsIn = 0;
      for (let i = 0; i < 2400 && !(eventsIn === n && last.size === 3 && [...last.values()].every((v) => v === 0)); i++) {
        const samples = parsePrometheusText(await (await fetch(`${url}metrics`)).text());
        last = new Map(samples.filter((s) => s.name === 'logit_consumer_lag_messages' && s.labels.topic === events).map((s) => [s.labels.partition, s.value]));
        for (const [p, v] of last) maxLag.set(p, Math.max(maxLag.get(p) ?? 0, v));
        eventsIn = samples.find((s) => s.name === 'logit_events_in_total')?.value ?? 0;
        await sleep(25);
      }
      expect([...last.keys()].sort()).toEqual(['0', '1', '2']);
      expect([...last.values()]).toEqual([0, 0, 0]);
      expect(eventsIn).toBe(n);
      expect(Math.max(...maxLag.values())).toBeGreaterThan(0);
      const ready = await fetch(`${url}readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, connected: true, assigned: true, stalled: false });
    } finally {
      stop();
    }
    const s = await done;
    expect(s.exitCode).toBe(0);
    expect(s.events).toBe(n);
  });
});
