import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, readAll, testKafka, unique } from './int-test-support.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { javaPartition } from './java-partition.js';
import { createKafkaSink } from './kafka-sink.js';
import { ensureTopics } from './topics.js';

let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka('sink-int');
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

describe.each(['kafkajs', 'platformatic', 'lean'] as const)('createKafkaSink, %s client (real broker)', (client) => {
  it('round trip: keys, values and headers arrive on each topic of one send, in order', async () => {
    const scores = unique('sink-scores');
    const dlq = unique('sink-dlq');
    await ensureTopics(admin, { topics: [scores, dlq], partitions: 2 });
    const sink = createKafkaSink({ kafka, client });
    const records = [];
    for (let i = 0; i < 50; i++) records.push({ topic: scores, key: `e-${i % 5}`, value: JSON.stringify({ id: `e-${i % 5}`, n: i }) });
    records.push({ topic: dlq, key: Buffer.from('bad-1'), value: Buffer.from([0xff, 0xfe]), headers: { reason: 'malformed UTF-8', 'source-offset': '17' } });
    await sink.send(records);
    await sink.close();

    const got = await readAll(kafka, scores, 50);
    expect(got.length).toBe(50);
    expect(await messageCount(kafka, scores)).toBe(50);
    // Same key → same partition, in send order.
    const partitionOfKey = new Map<string, number>();
    const lastOfKey = new Map<string, number>();
    for (const { partition, message } of got) {
      const key = message.key!.toString();
      expect(partitionOfKey.get(key) ?? partition).toBe(partition);
      // Java's (and kafkajs's) partition of the key, whichever client wrote it.
      expect(partition).toBe(javaPartition(message.key!) % 2);
      partitionOfKey.set(key, partition);
      const v = JSON.parse(message.value!.toString()) as { id: string; n: number };
      expect(v.id).toBe(key);
      expect(v.n).toBeGreaterThan(lastOfKey.get(key) ?? -1);
      lastOfKey.set(key, v.n);
    }
    expect(partitionOfKey.size).toBe(5);

    const [dead] = await readAll(kafka, dlq, 1);
    expect(dead.message.key!.toString()).toBe('bad-1');
    expect([...dead.message.value!]).toEqual([0xff, 0xfe]);
    expect(dead.message.headers?.reason?.toString()).toBe('malformed UTF-8');
    expect(dead.message.headers?.['source-offset']?.toString()).toBe('17');
  });

  it('one send of 3 MB to one partition (30 records of 100 KB, over the broker\'s 1 MiB per batch) goes out in several requests, in order', async () => {
    const topic = unique('sink-big');
    await ensureTopics(admin, { topics: [topic] });
    const sink = createKafkaSink({ kafka, client });
    const records = [];
    for (let i = 0; i < 30; i++) records.push({ topic, key: `k-${i}`, value: `${String(i).padStart(4, '0')}${'v'.repeat(100_000)}` });
    await sink.send(records);
    await sink.close();
    expect(await messageCount(kafka, topic)).toBe(30);
    const got = await readAll(kafka, topic, 30);
    expect(got.map((g) => Number(g.message.value!.subarray(0, 4).toString()))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(got.every((g) => g.message.value!.length === 100_004)).toBe(true);
  });

  it('close waits for sends in flight; send after close is refused', async () => {
    const topic = unique('sink-close');
    await ensureTopics(admin, { topics: [topic] });
    const sink = createKafkaSink({ kafka, client });
    await sink.connect();
    const pending = [];
    for (let b = 0; b < 10; b++) {
      pending.push(sink.send(Array.from({ length: 100 }, (_, i) => ({ topic, key: `k-${i % 3}`, value: String(b * 100 + i) }))));
    }
    await sink.close();
    expect(await messageCount(kafka, topic)).toBe(1000);
    await Promise.all(pending);
    // Overlapping sends go out in call order: per key, the values increase.
    const got = await readAll(kafka, topic, 1000);
    const last = new Map<string, number>();
    for (const { message } of got) {
      const k = message.key!.toString();
      const v = Number(message.value!.toString());
      expect(v).toBeGreaterThan(last.get(k) ?? -1);
      last.set(k, v);
    }
    expect(last.size).toBe(3);
    await expect(sink.send([{ topic, key: null, value: 'late' }])).rejects.toBeInstanceOf(KafkaAdapterError);
  });

  it('after a partly failed send (one record over the size limit) the next records to the same partition are not lost', async () => {
    const topic = unique('sink-partial');
    const big = unique('sink-partial-big');
    await ensureTopics(admin, { topics: [topic, big] });
    const sink = createKafkaSink({ kafka, client });
    await sink.send([{ topic, key: 'k', value: 'first' }]);
    const err = await sink
      .send([
        { topic, key: 'k', value: 'with-big' },
        { topic: big, key: 'k', value: Buffer.alloc(2 * 1024 * 1024, 120) },
      ])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KafkaAdapterError);
    // The broker's refusal is final: not retried as an outage (platformatic and lean name it send-refused).
    expect((err as KafkaAdapterError).code).toBe(client === 'kafkajs' ? 'send-failed' : 'send-refused');
    await sink.send([{ topic, key: 'k', value: 'after' }]);
    await sink.close();
    // kafkajs alone acknowledges 'after' as a duplicate of 'with-big' and never writes it.
    const values = (await readAll(kafka, topic, 3)).map((m) => m.message.value!.toString());
    expect(values).toContain('after');
    expect(values[0]).toBe('first');
  });

  it('reports which client sends', () => {
    const sink = createKafkaSink({ kafka, client });
    expect(sink.client).toBe(client);
    expect(sink.producer === null).toBe(client !== 'kafkajs');
  });

  it('a send to a topic that does not exist fails with a KafkaAdapterError naming the topic', async () => {
    const topic = unique('sink-missing');
    const sink = createKafkaSink({ kafka, client, ackTimeoutMs: 5000 });
    const err = await sink.send([{ topic, key: null, value: 'x' }]).then(() => null, (e: unknown) => e);
    await sink.close();
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('send-failed');
    expect((err as Error).message).toContain(topic);
  }, 90_000);
});
