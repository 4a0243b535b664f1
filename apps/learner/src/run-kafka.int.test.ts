/**
 * End to end on the real broker: the built `logit run` (spawned as `node dist/cli.js run`, exactly
 * what `pnpm logit run` starts) consumes a 3-partition topic of good and malformed events, publishes
 * one score per good event, a DLQ record (reason + source topic/partition/offset) per malformed one
 * and metrics reports, commits its offsets and exits when idle; a second run in the same group only
 * sees the events produced after the first one stopped. Once with each consumer client (kafkajs, and
 * the lean KIP-848 consumer), and once with the lean producer on its worker thread. Needs KAFKA_BROKERS (kafka.sh
 * with-test-broker) and a build (turbo's test:int task builds first; by hand:
 * `npx turbo run build --filter=@logit-stream/learner...`).
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, readAll, requireBrokers, testKafka, unique } from './kafka/int-test-support.js';
import { ensureTopics } from './kafka/topics.js';
import { requireBuiltCli, runCli } from './testing/kafka-test-kit.js';

let brokers: string;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('run-kafka-int');
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

/** A good event: three named features, a label from a fixed logistic rule. */
function goodEvent(i: number): { key: string; value: string } {
  const x1 = ((i * 37) % 101) / 50 - 1;
  const x2 = ((i * 53) % 97) / 48 - 1;
  const x3 = ((i * 29) % 89) / 44 - 1;
  const label = 2 * x1 - x2 + 0.5 * x3 > 0 ? 1 : 0;
  const id = `g-${i}`;
  return { key: id, value: JSON.stringify({ id, ts: 1_767_225_600_000 + i, features: { x1, x2, x3 }, label }) };
}

/** Eight malformed events, each rejected for a different reason (SPEC §2). */
const BAD: { key: string; value: Buffer }[] = [
  { key: 'bad-json', value: Buffer.from('{"id": "bad-json", "features": {') },
  { key: 'bad-label', value: Buffer.from(JSON.stringify({ id: 'bad-label', features: { a: 1 }, label: 7 })) },
  { key: 'bad-feature-type', value: Buffer.from(JSON.stringify({ id: 'bad-feature-type', features: { a: 'x' }, label: 1 })) },
  { key: 'bad-no-id', value: Buffer.from(JSON.stringify({ features: { a: 1 }, label: 0 })) },
  { key: 'bad-proto', value: Buffer.from('{"id":"bad-proto","features":{"__proto__":1},"label":1}') },
  { key: 'bad-utf8', value: Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { key: 'bad-too-big', value: Buffer.from(JSON.stringify({ id: 'bad-too-big', features: { a: 1 }, label: 1, pad: 'x'.repeat(70_000) })) },
  { key: 'bad-label-type', value: Buffer.from(JSON.stringify({ id: 'bad-label-type', features: { a: 1 }, label: '1' })) },
];

interface DlqRecord {
  key: string | null;
  error: { code: string; reason: string };
  source: { topic: string; partition: number; offset: string };
}

async function groupLag(groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  let lag = 0;
  for (const e of ends) {
    const c = committed.partitions.find((p) => p.partition === e.partition);
    const at = c === undefined || c.offset === '-1' ? 0 : Number(c.offset);
    lag += Number(e.high) - at;
  }
  return lag;
}

describe.each([
  ['kafkajs', 'lean'],
  ['lean', 'lean'],
  ['lean', 'lean-worker'],
])('logit run on Kafka (real broker, built CLI), KAFKA_CONSUMER_CLIENT=%s KAFKA_PRODUCER_CLIENT=%s', (consumerClient, producerClient) => {
  it('3000 good + 8 malformed events → exactly 3000 scores, 8 DLQ records with reasons and offsets, metrics; a restart continues at the committed offsets', async () => {
    const where = { brokers, env: { KAFKA_CONSUMER_CLIENT: consumerClient, KAFKA_PRODUCER_CLIENT: producerClient } };
    const t = {
      events: unique('rk-events'),
      scores: unique('rk-scores'),
      dlq: unique('rk-dlq'),
      metrics: unique('rk-metrics'),
      snapshots: unique('rk-snapshots'),
    };
    const groupId = unique('rk-group');
    await ensureTopics(admin, { topics: [t.events], partitions: 3 });

    // Phase 1: 2000 good events with the 8 malformed ones spread among them; remember where each bad one landed.
    const badAt = new Map<string, { partition: number; offset: string }>();
    for (let chunk = 0; chunk < 8; chunk++) {
      const messages = [];
      for (let i = chunk * 250; i < (chunk + 1) * 250; i++) messages.push(goodEvent(i));
      await producer.send({ topic: t.events, messages, acks: -1 });
      const [meta] = await producer.send({ topic: t.events, messages: [BAD[chunk]], acks: -1 });
      badAt.set(BAD[chunk].key, { partition: meta.partition, offset: meta.baseOffset! });
    }
    expect(await messageCount(kafka, t.events)).toBe(2008);

    const args = [
      'run',
      '--brokers', brokers,
      '--group-id', groupId,
      '--events-topic', t.events,
      '--scores-topic', t.scores,
      '--dlq-topic', t.dlq,
      '--metrics-topic', t.metrics,
      '--snapshots-topic', t.snapshots,
      // The idle clock runs from start-up, group join included: room for a loaded 2-core machine.
      '--exit-on-idle', '5',
      '--metrics-every', '1000',
      '--log-level', 'warn',
    ];
    const first = await runCli(args, where, 120_000);
    expect(first.code, `first run exited with ${first.code}; stderr:\n${first.stderr.slice(-4000)}`).toBe(0);
    expect(await messageCount(kafka, t.scores)).toBe(2000);
    expect(await groupLag(groupId, t.events)).toBe(0);

    // Phase 2: 1000 more good events, then a second run in the same group.
    const more = [];
    for (let i = 2000; i < 3000; i++) more.push(goodEvent(i));
    await producer.send({ topic: t.events, messages: more, acks: -1 });
    const second = await runCli(args, where, 120_000);
    expect(second.code, `second run exited with ${second.code}; stderr:\n${second.stderr.slice(-4000)}`).toBe(0);
    expect(await groupLag(groupId, t.events)).toBe(0);

    // Exactly one score per good event over both runs: the second run started after the committed offsets.
    expect(await messageCount(kafka, t.scores)).toBe(3000);
    const scores = await readAll(kafka, t.scores, 3000);
    const ids = new Set<string>();
    for (const { message } of scores) {
      const s = JSON.parse(message.value!.toString('utf8')) as { id: string; p: number; z: number; modelVersion: number; label: number | null };
      expect(message.key!.toString()).toBe(s.id);
      expect(s.id).toMatch(/^g-\d+$/);
      expect(Math.abs(s.p - 1 / (1 + Math.exp(-s.z)))).toBeLessThan(1e-12);
      ids.add(s.id);
    }
    expect(ids.size).toBe(3000);
    for (let i = 0; i < 3000; i++) expect(ids.has(`g-${i}`), `score for g-${i}`).toBe(true);

    // One DLQ record per malformed event, with its reason and where it came from.
    expect(await messageCount(kafka, t.dlq)).toBe(8);
    const dead = await readAll(kafka, t.dlq, 8);
    const byKey = new Map<string, DlqRecord>();
    for (const { message } of dead) {
      const r = JSON.parse(message.value!.toString('utf8')) as DlqRecord;
      expect(message.key!.toString()).toBe(r.key);
      byKey.set(message.key!.toString(), r);
    }
    expect([...byKey.keys()].sort()).toEqual(BAD.map((b) => b.key).sort());
    for (const [key, at] of badAt) {
      const r = byKey.get(key)!;
      expect(r.source, `DLQ source of ${key}`).toEqual({ topic: t.events, partition: at.partition, offset: at.offset });
      expect(r.error.reason.length, `DLQ reason of ${key}`).toBeGreaterThan(5);
      expect(typeof r.error.code).toBe('string');
    }

    // Metrics reports: at least one per run (every 1000 events and a final one at shutdown).
    const reports = await messageCount(kafka, t.metrics);
    expect(reports).toBeGreaterThanOrEqual(2);
    const [firstReport] = await readAll(kafka, t.metrics, 1);
    const m = JSON.parse(firstReport.message.value!.toString('utf8')) as { learnerId: string; events: { seen: number }; window: object; total: object };
    expect(firstReport.message.key!.toString()).toBe(m.learnerId);
    expect(m.events.seen).toBeGreaterThan(0);
    expect(m.events.seen).toBeLessThanOrEqual(3000);
    expect(typeof m.total).toBe('object');
  }, 300_000);
});
