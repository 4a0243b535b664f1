/**
 * The lean sink on the real broker (KAFKA_BROKERS): what it writes is read back with kafkajs and
 * compared byte for byte; its partitions are those kafkajs's DefaultPartitioner picks; a record over
 * the broker's size limit is refused (send-refused, MESSAGE_TOO_LARGE) and the sink goes on with a new
 * producer id, without losing or duplicating records; many queued sends keep their order. The same
 * tests run for the lean sink on its own worker thread (createThreadedSink).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Partitioners, type Admin, type Kafka, type PartitionMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryingSink } from '../checkpoint/broker-retry.js';
import type { OutputRecord } from '../io/types.js';
import { requireBrokers, testKafka, unique } from './int-test-support.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';
import { createLeanSink, type LeanSinkOptions } from './lean-sink.js';
import { createThreadedSink, type ThreadedSinkOptions } from './threaded-sink.js';
import { readTopicToEnd, type TopicRecord } from './read-topic-to-end.js';
import { ensureTopics } from './topics.js';

let kafka: Kafka;
let admin: Admin;
const config = () => resolveKafkaConfig({ brokers: requireBrokers(), clientId: 'lean-int', logLevel: 'error' }, {});

beforeAll(async () => {
  kafka = testKafka('lean-int');
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

const read = (topic: string): Promise<TopicRecord[]> => readTopicToEnd(kafka, topic, { timeoutMs: 60_000 });
const bytes = (v: string | Buffer | null | undefined): string | null => (v === null || v === undefined ? null : (typeof v === 'string' ? Buffer.from(v) : v).toString('hex'));

/** kafkajs's DefaultPartitioner (Java-compatible murmur2) for a keyed message of a topic with `n` partitions. */
function kafkajsPartition(topic: string, n: number, key: string | Buffer): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: n }, (_, p) => ({ partitionId: p, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
  return Partitioners.DefaultPartitioner()({ topic, partitionMetadata, message: { key, value: null } });
}

// The same tests for the lean sink on the learner's thread and on its own worker thread (the built
// dist/kafka/lean-sink-worker.js: integration tests run after the build).
const makers: [string, (o: LeanSinkOptions) => ReturnType<typeof createLeanSink>][] = [
  ['createLeanSink', createLeanSink],
  ['createThreadedSink', createThreadedSink],
];

describe.each(makers)('%s (real broker)', (_name, createSink) => {
  it('several topics and partitions, keyed and unkeyed, string and Buffer keys and values, headers: read back byte for byte, keys on kafkajs DefaultPartitioner partitions, CreateTime now', async () => {
    const a = unique('lean-a');
    const b = unique('lean-b');
    await ensureTopics(admin, { topics: [a], partitions: 3 });
    await ensureTopics(admin, { topics: [b], partitions: 1 });
    const records: OutputRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const topic = i % 4 === 3 ? b : a;
      const v = `{"id":"e-${i}","p":${i / 300},"s":"é€😀"}`;
      if (i % 5 === 0) records.push({ topic, key: null, value: v });
      else if (i % 5 === 1) records.push({ topic, key: Buffer.from(`bk-${i % 17}`), value: Buffer.from(v) });
      else if (i % 5 === 2) records.push({ topic, key: `sk-${i % 13}`, value: v, headers: { 'logit-instance': `inst-${i}`, 'logit-started': '1732300000000' } });
      else records.push({ topic, key: `ü-${i % 11}`, value: Buffer.concat([Buffer.from(v), Buffer.from([0, 0xff])]), headers: {} });
    }
    const sink = createSink({ config: config() });
    const before = Date.now();
    await sink.send(records);
    const after = Date.now();
    await sink.close();

    for (const [topic, n] of [[a, 3], [b, 1]] as const) {
      const sent = records.filter((r) => r.topic === topic);
      const got = await read(topic);
      expect(got.length).toBe(sent.length);
      // Match by value (unique), then compare every field; per partition, the order of the send.
      const byValue = new Map(got.map((g) => [bytes(g.message.value), g]));
      for (const r of sent) {
        const g = byValue.get(bytes(r.value));
        expect(g, `record ${r.value.toString()} of ${topic}`).toBeDefined();
        expect(bytes(g!.message.key)).toBe(bytes(r.key));
        const headers = Object.fromEntries(Object.entries(g!.message.headers ?? {}).map(([k, v]) => [k, (v as Buffer).toString()]));
        expect(headers).toEqual(r.headers ?? {});
        if (r.key !== null) expect(g!.partition).toBe(kafkajsPartition(topic, n, r.key));
        const ts = Number(g!.message.timestamp);
        expect(ts).toBeGreaterThanOrEqual(before);
        expect(ts).toBeLessThanOrEqual(after);
      }
      // Per partition, the records are in the order of the send.
      for (let p = 0; p < n; p++) {
        const inOffsetOrder = got.filter((g) => g.partition === p).map((g) => bytes(g.message.value));
        const inSendOrder = sent.map((r) => bytes(r.value)).filter((v) => byValue.get(v)!.partition === p);
        expect(inOffsetOrder).toEqual(inSendOrder);
      }
      if (n === 3) expect(new Set(got.map((g) => g.partition)).size).toBe(3); // unkeyed records spread round-robin
    }
  });

  it("a record over the broker's max.message.bytes is refused with send-refused naming MESSAGE_TOO_LARGE; the sink goes on (a new producer id) and nothing is lost or duplicated", async () => {
    const topic = unique('lean-big');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    const sink = createSink({ config: config() });
    const batch = (tag: string): OutputRecord[] => Array.from({ length: 100 }, (_, i) => ({ topic, key: `k-${i % 7}`, value: `${tag}-${i}` }));
    await sink.send(batch('before'));
    const err = await sink
      .send([...batch('with-big'), { topic, key: 'k-1', value: Buffer.alloc(2 * 1024 * 1024, 120) }])
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('send-refused');
    expect((err as KafkaAdapterError).retriable).toBe(false);
    expect((err as Error).message).toContain('MESSAGE_TOO_LARGE');
    expect((err as Error).message).toContain(topic);
    await sink.send(batch('after'));
    await sink.send(batch('again'));
    await sink.close();
    const values = (await read(topic)).map((r) => r.message.value!.toString());
    // 'with-big' went in its own request (the 2 MiB record alone), so its 100 records were accepted.
    for (const tag of ['before', 'with-big', 'after', 'again']) {
      const mine = values.filter((v) => v.startsWith(`${tag}-`));
      expect(mine.length, tag).toBe(100);
      expect(new Set(mine).size, tag).toBe(100);
    }
    expect(values.length).toBe(400);
  });

  it('200 sends queued without awaiting go out in call order (per key the values increase), each exactly once; close waits for them', async () => {
    const topic = unique('lean-order');
    await ensureTopics(admin, { topics: [topic], partitions: 3 });
    const sink = createSink({ config: config() });
    await sink.connect();
    const pending: Promise<void>[] = [];
    for (let s = 0; s < 200; s++) {
      pending.push(sink.send(Array.from({ length: 50 }, (_, i) => ({ topic, key: Buffer.from(`k-${i % 6}`), value: String(s * 50 + i) }))));
    }
    await sink.close();
    await Promise.all(pending);
    const got = await read(topic);
    expect(got.length).toBe(10_000);
    expect(new Set(got.map((g) => g.message.value!.toString())).size).toBe(10_000);
    const last = new Map<string, number>();
    for (const { message } of got) {
      const k = message.key!.toString();
      const v = Number(message.value!.toString());
      expect(v).toBeGreaterThan(last.get(k) ?? -1);
      last.set(k, v);
    }
    expect(last.size).toBe(6);
    await expect(sink.send([{ topic, key: null, value: 'late' }])).rejects.toMatchObject({ code: 'closed' });
  });

  it('a send to a topic that does not exist fails as send-failed (retriable) naming it, within the retries; once the topic exists the same sink sends to it', async () => {
    const topic = unique('lean-missing');
    const sink = createSink({ config: config(), retries: 2 });
    const t0 = Date.now();
    const err = await sink.send([{ topic, key: null, value: 'x' }]).then(() => null, (e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('send-failed');
    expect((err as KafkaAdapterError).retriable).toBe(true);
    expect((err as Error).message).toContain(topic);
    await ensureTopics(admin, { topics: [topic] });
    await sink.send([{ topic, key: null, value: 'y' }]);
    await sink.close();
    expect((await read(topic)).map((r) => r.message.value!.toString())).toEqual(['y']);
  });

  it('a send larger than maxRequestBytes goes out in several requests: every record exactly once, per key in call order, headers and non-ASCII keys intact', async () => {
    const topic = unique('lean-chunks');
    await ensureTopics(admin, { topics: [topic], partitions: 3 });
    const sink = createSink({ config: config(), maxRequestBytes: 16 * 1024 });
    // ~2000 records of ~100 bytes: a dozen requests of at most 16 KiB
    const records: OutputRecord[] = Array.from({ length: 2000 }, (_, i) => ({
      topic,
      key: i % 3 === 0 ? Buffer.from(`bk-${i % 5}`) : `ü-€-${i % 5}`,
      value: `{"i":${i},"pad":"${'x'.repeat(60)}"}`,
      ...(i % 7 === 0 ? { headers: { reason: 'bad-json', 'x-ü': `€${i}` } } : {}),
    }));
    await sink.send(records);
    await sink.close();
    const got = await read(topic);
    expect(got.length).toBe(2000);
    const last = new Map<string, number>();
    const seen = new Set<number>();
    for (const { message } of got) {
      const i = (JSON.parse(message.value!.toString()) as { i: number }).i;
      seen.add(i);
      const k = message.key!.toString();
      expect(k).toBe(typeof records[i].key === 'string' ? records[i].key : (records[i].key as Buffer).toString());
      expect(i).toBeGreaterThan(last.get(k) ?? -1);
      last.set(k, i);
      const h = records[i].headers;
      if (h === undefined) expect(Object.keys(message.headers ?? {})).toEqual([]);
      else expect(Object.fromEntries(Object.entries(message.headers ?? {}).map(([n, v]) => [n, String(v)]))).toEqual(h);
    }
    expect(seen.size).toBe(2000);
  });

  it('gzip: records are compressed on the wire and read back unchanged', async () => {
    const topic = unique('lean-gzip');
    await ensureTopics(admin, { topics: [topic] });
    const sink = createSink({ config: config(), compression: 'gzip' });
    const records = Array.from({ length: 500 }, (_, i) => ({ topic, key: `k-${i}`, value: `{"id":"k-${i}","z":${i * 0.5}}` }));
    await sink.send(records);
    await sink.close();
    expect((await read(topic)).map((r) => r.message.value!.toString())).toEqual(records.map((r) => r.value));
  });
});

describe('createThreadedSink (real broker): the producer thread and the service around it', () => {
  const silent = { error() {}, warn() {}, info() {}, debug() {} };

  it('a producer thread that dies after the broker acknowledged a send, before answering it: the retrying sink sends again on a new thread; nothing is lost, only the sends in flight are repeated (at-least-once)', async () => {
    const topic = unique('lean-crash');
    await ensureTopics(admin, { topics: [topic], partitions: 3 });
    const crashMarker = join(tmpdir(), `${topic}.crashed`);
    // (crashMarker rides along in workerData: the settings are spread into it)
    const o: ThreadedSinkOptions & { crashMarker: string } = { config: config(), workerUrl: new URL('../testing/crash-after-ack-worker.mjs', import.meta.url), crashMarker };
    const sink = retryingSink(createThreadedSink(o), { maxWaitMs: 60_000, logger: silent, initialDelayMs: 50 });
    const batch = (s: number): OutputRecord[] => Array.from({ length: 50 }, (_, i) => ({ topic, key: `k-${i % 7}`, value: `s${s}-${i}` }));
    await sink.send(batch(0));
    // Un-awaited, as the pipeline overlaps its sends: the thread dies once the broker took batch 1.
    await Promise.all([1, 2, 3, 4].map((s) => sink.send(batch(s))));
    await sink.close();
    expect(existsSync(crashMarker)).toBe(true);
    const count = new Map<string, number>();
    for (const r of await read(topic)) count.set(r.message.value!.toString(), (count.get(r.message.value!.toString()) ?? 0) + 1);
    for (let s = 0; s <= 4; s++) {
      for (let i = 0; i < 50; i++) {
        const n = count.get(`s${s}-${i}`) ?? 0;
        // batch 0 was answered before; batch 1 was appended by the dead thread and again after it
        if (s === 0) expect(n).toBe(1);
        else if (s === 1) expect(n).toBe(2);
        else expect([1, 2]).toContain(n);
      }
    }
    expect(count.size).toBe(250);
  });

  it.each([
    ['TLS to a plaintext listener', { tls: true }],
    ['SASL to a plaintext listener', { saslMechanism: 'plain', saslUsername: 'u', saslPassword: 'p' }],
  ])("connect() errors cross the thread with the lean sink's code, message and retriable flag: %s", async (_what, extra) => {
    const c = resolveKafkaConfig({ brokers: requireBrokers(), clientId: 'lean-int', logLevel: 'error', connectionTimeoutMs: 2000, ...extra }, {});
    const outcome = async (sink: ReturnType<typeof createLeanSink>): Promise<unknown> => {
      const e = await sink.connect().then(() => null, (x: unknown) => x);
      await sink.close();
      return e === null ? null : { code: (e as KafkaAdapterError).code, message: (e as Error).message, retriable: (e as KafkaAdapterError).retriable };
    };
    const lean = await outcome(createLeanSink({ config: c, retries: 2 }));
    expect(lean).not.toBeNull();
    expect(await outcome(createThreadedSink({ config: c, retries: 2 }))).toEqual(lean);
  });
});
