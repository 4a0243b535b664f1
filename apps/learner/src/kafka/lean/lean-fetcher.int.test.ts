/**
 * The lean fetch path on the real broker (KAFKA_BROKERS): records produced by kafkajs (plain, gzip,
 * a committed and an aborted transaction, keys and headers) read back with fetchOnce and compared,
 * offset by offset, with what a kafkajs consumer reads; from offset 0, from the middle of a gzip
 * batch, in small fetches that cut batches; read_uncommitted; ListOffsets earliest/latest.
 */
import { CompressionTypes, type Admin, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, requireBrokers, testKafka, unique, within } from '../int-test-support.js';
import { resolveKafkaConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';
import { ensureTopics } from '../topics.js';
import { createLeanBrokers, type LeanBrokers } from './lean-brokers.js';
import { fetchOnce, type LeanFetchRequest } from './lean-fetcher.js';
import { listOffsets, partitionKey } from './list-offsets.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
let kafka: Kafka;
let admin: Admin;
let brokers: LeanBrokers;
let topic: string;
/** What the kafkajs consumer (read_committed) read, in offset order. */
let expected: Row[];
/** The values of the aborted transaction's records. */
const abortedValues = ['aborted-0', 'aborted-1', 'aborted-2'];

interface Row {
  offset: string;
  key: string | null;
  value: string | null;
  timestamp: number;
}

const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));

/** Fetches `topic`-0 from `from` until the last stable offset, `request` settings per fetch. */
async function fetchAll(from: number, request: Partial<LeanFetchRequest> = {}): Promise<{ rows: Row[]; fetches: number; truncated: number }> {
  const md = await brokers.metadata([topic]);
  const conn = await brokers.node(md.topics.get(topic)!.partitions[0].leaderId);
  const rows: Row[] = [];
  let next = from;
  let fetches = 0;
  let truncated = 0;
  for (;;) {
    const [r] = await within(fetchOnce(conn, { maxWaitMs: 100, ...request, partitions: [{ topic, partition: 0, offset: next }] }), 30_000, `fetch from ${next}`);
    fetches++;
    expect(r.errorCode).toBe(0);
    if (r.truncated) truncated++;
    for (const m of r.messages) rows.push({ offset: m.offset, key: hex(m.key), value: hex(m.value), timestamp: m.timestamp });
    expect(r.nextOffset).toBeGreaterThanOrEqual(next);
    next = r.nextOffset;
    const end = request.readCommitted === false ? Number(r.highWatermark) : r.lastStableOffset;
    if (next >= end) return { rows, fetches, truncated };
    if (fetches > 500) throw new Error(`no end after 500 fetches (at ${next}, end ${end})`);
  }
}

beforeAll(async () => {
  kafka = testKafka('lean-fetcher-int');
  admin = kafka.admin();
  await admin.connect();
  topic = unique('lean-fetch');
  await ensureTopics(admin, { topics: [topic], partitions: 1 });

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const headers = { trace: 'abc', 'x-n': Buffer.from([0, 1, 2]) };
  await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: i % 3 === 0 ? null : `k${i}`, value: `plain-${i}-${'x'.repeat(i * 10)}`, headers })) });
  await producer.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 30 }, (_, i) => ({ key: `g${i}`, value: `gzip-${i}-${'y'.repeat(200)}`, headers })) });
  await producer.disconnect();

  const tx = kafka.producer({ transactionalId: unique('lean-fetch-tx'), idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  const committed = await tx.transaction();
  await committed.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ key: `c${i}`, value: `committed-${i}` })) });
  await committed.commit();
  const aborted = await tx.transaction();
  await aborted.send({ topic, messages: abortedValues.map((v, i) => ({ key: `a${i}`, value: v })) });
  await aborted.abort();
  await tx.disconnect();

  const tail = kafka.producer();
  await tail.connect();
  await tail.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: `t${i}`, value: Buffer.from([i, 255, 0, i]) })) });
  await tail.disconnect();

  const seen = await readAll(kafka, topic, 65);
  expected = seen
    .map(({ message: m }) => ({ offset: m.offset, key: hex(m.key ?? null), value: hex(m.value), timestamp: Number(m.timestamp) }))
    .sort((a, b) => Number(a.offset) - Number(b.offset));
  brokers = createLeanBrokers(resolveKafkaConfig({ brokers: requireBrokers(), logLevel: 'error' }, {}), 'lean-fetcher-int', quiet);
});

afterAll(async () => {
  await brokers?.close();
  await admin?.disconnect();
});

describe('fetchOnce (real broker)', () => {
  it('reads from offset 0 exactly what a kafkajs consumer reads (offsets, keys, values, timestamps; the aborted transaction and the markers left out)', async () => {
    expect(expected).toHaveLength(65); // 20 plain + 30 gzip + 5 committed + 10 tail
    expect(expected.map((r) => r.value)).not.toContain(hex(Buffer.from(abortedValues[0])));
    const { rows } = await fetchAll(0);
    expect(rows).toEqual(expected);
  });

  it('reads from the middle of the gzip batch: only offsets from there on', async () => {
    const mid = Number(expected[35].offset); // inside the 30-record gzip batch (offsets 20–49)
    const { rows } = await fetchAll(mid);
    expect(rows).toEqual(expected.slice(35));
  });

  it('reads the same in small fetches that cut batches at the byte limit', async () => {
    const { rows, fetches, truncated } = await fetchAll(0, { maxBytesPerPartition: 250, maxBytes: 250 });
    expect(rows).toEqual(expected);
    expect(fetches).toBeGreaterThan(4); // seven batches (five data, two markers), at most one whole one per fetch past the first
    expect(truncated).toBeGreaterThan(0);
  });

  it('read_uncommitted also returns the aborted transaction', async () => {
    const { rows } = await fetchAll(0, { readCommitted: false });
    expect(rows).toHaveLength(68);
    expect(rows.filter((r) => r.value !== null && abortedValues.includes(Buffer.from(r.value, 'hex').toString()))).toHaveLength(3);
  });

  it('fetches several partitions in one request, each exactly as kafkajs reads it', async () => {
    const multi = unique('lean-fetch-multi');
    await ensureTopics(admin, { topics: [multi], partitions: 3 });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic: multi, messages: Array.from({ length: 60 }, (_, i) => ({ partition: i % 3, key: `m${i}`, value: `multi-${i}` })) });
    await producer.disconnect();
    const byPartition = new Map<number, Row[]>([[0, []], [1, []], [2, []]]);
    for (const { partition, message: m } of await readAll(kafka, multi, 60)) {
      byPartition.get(partition)!.push({ offset: m.offset, key: hex(m.key ?? null), value: hex(m.value), timestamp: Number(m.timestamp) });
    }
    const md = await brokers.metadata([multi]);
    const conn = await brokers.node(md.topics.get(multi)!.partitions[0].leaderId);
    const results = await fetchOnce(conn, { maxWaitMs: 100, partitions: [0, 1, 2].map((partition) => ({ topic: multi, partition, offset: 0 })) });
    expect(results.map((r) => [r.partition, r.errorCode, r.highWatermark, r.nextOffset])).toEqual([
      [0, 0, '20', 20],
      [1, 0, '20', 20],
      [2, 0, '20', 20],
    ]);
    for (const r of results) {
      expect(r.messages.map((m) => ({ offset: m.offset, key: hex(m.key), value: hex(m.value), timestamp: m.timestamp }))).toEqual(
        byPartition.get(r.partition)!.sort((a, b) => Number(a.offset) - Number(b.offset)),
      );
    }
  });

  it('answers an offset beyond the end with OFFSET_OUT_OF_RANGE, not a throw', async () => {
    const md = await brokers.metadata([topic]);
    const conn = await brokers.node(md.topics.get(topic)!.partitions[0].leaderId);
    const [r] = await fetchOnce(conn, { maxWaitMs: 100, partitions: [{ topic, partition: 0, offset: 10_000 }] });
    expect([r.errorCode, r.errorName, r.messages.length, r.nextOffset]).toEqual([1, 'OFFSET_OUT_OF_RANGE', 0, 10_000]);
  });
});

describe('listOffsets (real broker)', () => {
  it('earliest is 0 and latest is the end kafkajs reports', async () => {
    const [earliest, latest] = await Promise.all([listOffsets(brokers, [{ topic, partition: 0 }], 'earliest'), listOffsets(brokers, [{ topic, partition: 0 }], 'latest')]);
    const kjs = await admin.fetchTopicOffsets(topic);
    expect(earliest.get(partitionKey(topic, 0))).toBe(0);
    expect(latest.get(partitionKey(topic, 0))).toBe(Number(kjs[0].high));
  });
});
