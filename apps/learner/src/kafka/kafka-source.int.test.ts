import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitOffset, InputBatch, InputMessage } from '../io/types.js';
import { deferred, testKafka, unique, within } from './int-test-support.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { createKafkaSource } from './kafka-source.js';
import type { StructuredLogger } from './structured-logger.js';
import { ensureTopics } from './topics.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  kafka = testKafka('source-int');
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

/** Produces `n` messages: key k-(i mod keys), value {"i": i}, in `chunk`-sized sends. */
async function produce(topic: string, n: number, keys: number, chunk = n): Promise<void> {
  for (let start = 0; start < n; start += chunk) {
    const messages = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) messages.push({ key: `k-${i % keys}`, value: JSON.stringify({ i }) });
    await producer.send({ topic, messages, acks: -1 });
  }
}

function valueOf(m: InputMessage): number {
  return (JSON.parse(m.value!.toString('utf8')) as { i: number }).i;
}

describe('createKafkaSource (real broker)', () => {
  it('delivers every message in order per partition; a new consumer in the group starts after the committed offsets', async () => {
    const topic = unique('src-order');
    const groupId = unique('g-order');
    const n = 900;
    await ensureTopics(admin, { topics: [topic], partitions: 3 });
    await produce(topic, n, 30);

    // First consumer: read everything, then commit only the first half of each partition.
    const first: InputMessage[] = [];
    const all = deferred();
    const s1 = createKafkaSource({ kafka, topics: [topic], groupId, logger: quiet, maxMessagesPerCall: 50 });
    await within(
      s1.start(async (b: InputBatch) => {
        expect(b.topic).toBe(topic);
        for (const m of b.messages) {
          expect(m.partition).toBe(b.partition);
          first.push(m);
        }
        if (first.length >= n) all.resolve();
      }),
      60_000,
      'the first consumer to join',
    );
    await within(all.promise, 60_000, () => `all ${n} messages delivered (got ${first.length})`);
    expect(first.length).toBe(n);

    const byPartition = new Map<number, InputMessage[]>();
    for (const m of first) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
    expect(byPartition.size).toBe(3);
    for (const [, ms] of byPartition) {
      // Offsets 0, 1, 2, ... with no gap or repeat, and each key's values in the order produced.
      ms.forEach((m, j) => expect(m.offset).toBe(String(j)));
      const lastPerKey = new Map<string, number>();
      for (const m of ms) {
        const k = m.key!.toString();
        const v = valueOf(m);
        expect(v).toBeGreaterThan(lastPerKey.get(k) ?? -1);
        lastPerKey.set(k, v);
        expect(m.timestamp).toBeGreaterThan(1_600_000_000_000);
      }
    }
    expect(new Set(first.map(valueOf)).size).toBe(n);

    const commits: CommitOffset[] = [...byPartition].map(([partition, ms]) => ({ topic, partition, offset: String(Math.floor(ms.length / 2)) }));
    await s1.commit(commits);
    await within(s1.stop(), 30_000, 'the first consumer to stop');

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const got = new Map(committed[0].partitions.map((p) => [p.partition, p.offset]));
    for (const c of commits) expect(got.get(c.partition)).toBe(c.offset);

    // Second consumer, same group: exactly the rest, starting at the committed offsets.
    const expected = commits.reduce((s, c) => s + (byPartition.get(c.partition)!.length - Number(c.offset)), 0);
    const second: InputMessage[] = [];
    const rest = deferred();
    const s2 = createKafkaSource({ kafka, topics: [topic], groupId, logger: quiet });
    await within(
      s2.start(async (b) => {
        second.push(...b.messages);
        if (second.length >= expected) rest.resolve();
      }),
      60_000,
      'the second consumer to join',
    );
    await within(rest.promise, 60_000, () => `the remaining ${expected} messages (got ${second.length})`);
    await within(s2.stop(), 30_000, 'the second consumer to stop');
    expect(second.length).toBe(expected);
    for (const c of commits) {
      const offsets = second.filter((m) => m.partition === c.partition).map((m) => Number(m.offset));
      expect(offsets[0]).toBe(Number(c.offset));
      expect(offsets).toEqual(offsets.map((_, j) => Number(c.offset) + j));
    }
  });

  it('back-pressure: nothing more is fetched while the handler works, so buffered messages stay bounded', async () => {
    const topic = unique('src-bp');
    const n = 400;
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produce(topic, n, 1, 10); // record batches of 10 messages (~80 bytes each)

    const source = createKafkaSource({
      kafka,
      topics: [topic],
      groupId: unique('g-bp'),
      logger: quiet,
      maxBytesPerPartition: 1024,
      maxBytes: 1024,
      maxWaitTimeMs: 50,
    });
    let inHandler = false;
    let fetchesWhileHandling = 0;
    let fetches = 0;
    source.consumer.on(source.consumer.events.FETCH_START, () => {
      fetches++;
      if (inHandler) fetchesWhileHandling++;
    });
    let handled = 0;
    let calls = 0;
    let largestBatch = 0;
    const done = deferred();
    await within(
      source.start(async (b) => {
        inHandler = true;
        calls++;
        largestBatch = Math.max(largestBatch, b.messages.length);
        // A slow pipeline stage: 15 ms of (simulated) work per call.
        await new Promise((r) => setTimeout(r, 15));
        handled += b.messages.length;
        inHandler = false;
        if (handled >= n) done.resolve();
      }),
      60_000,
      'the consumer to join',
    );
    await within(done.promise, 60_000, () => `all ${n} messages handled (got ${handled})`);
    await within(source.stop(), 30_000, 'the consumer to stop');
    expect(handled).toBe(n);
    // Each fetch of at most ~1 KB returns a few record batches of 10 messages, out of 400 waiting.
    expect(largestBatch).toBeLessThanOrEqual(50);
    expect(calls).toBeGreaterThanOrEqual(n / 50);
    expect(fetches).toBeGreaterThanOrEqual(calls);
    expect(fetchesWhileHandling).toBe(0);
  });

  it('keeps the group membership through a batch longer than the session timeout (heartbeats)', async () => {
    const topic = unique('src-hb');
    const groupId = unique('g-hb');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produce(topic, 5, 1);
    const source = createKafkaSource({ kafka, topics: [topic], groupId, logger: quiet, sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 });
    let joins = 0;
    source.consumer.on(source.consumer.events.GROUP_JOIN, () => joins++);
    const handledOnce = deferred<string>();
    await within(
      source.start(async (b) => {
        // Longer than the 6 s session timeout: without heartbeats the coordinator drops the member.
        await new Promise((r) => setTimeout(r, 8000));
        handledOnce.resolve(String(Number(b.messages[b.messages.length - 1].offset) + 1));
      }),
      60_000,
      'the consumer to join',
    );
    const next = await within(handledOnce.promise, 30_000, 'the slow batch');
    await source.commit([{ topic, partition: 0, offset: next }]);
    await within(source.stop(), 30_000, 'the consumer to stop');
    expect(next).toBe('5');
    expect(joins).toBe(1);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0].partitions[0].offset).toBe('5');
  }, 60_000);

  it('a failing handler stops the source and rejects `exhausted` with the reason', async () => {
    const topic = unique('src-fail');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produce(topic, 3, 1);
    const source = createKafkaSource({ kafka, topics: [topic], groupId: unique('g-fail'), logger: quiet });
    let calls = 0;
    await within(
      source.start(async () => {
        calls++;
        throw new Error('pipeline exploded');
      }),
      60_000,
      'the consumer to join',
    );
    const err = await within(source.exhausted.then(() => null, (e: unknown) => e), 30_000, 'exhausted to reject');
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('handler-failed');
    expect((err as KafkaAdapterError).message).toContain('pipeline exploded');
    await within(source.stop(), 30_000, 'the consumer to stop');
    expect(calls).toBe(1);
    await expect(source.commit([{ topic, partition: 0, offset: '1' }])).rejects.toThrow(/stopped/);
  });
});
