import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventDecoder, FeatureSpace } from '@logit-stream/core';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produce } from './produce.js';

function brokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (b === undefined || b.trim() === '') {
    throw new Error(
      'KAFKA_BROKERS is not set: integration tests need a real broker. Run them through ' +
        '`bash infra/kafka/kafka.sh with-test-broker -- npx vitest run --config vitest.int.config.ts` (it starts one on 127.0.0.1:19092).',
    );
  }
  return b;
}

const unique = (p: string): string => `${p}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

let kafka: Kafka;
beforeAll(() => {
  kafka = new Kafka({ clientId: 'producer-int', brokers: brokers().split(','), logLevel: logLevel.ERROR });
});
afterAll(() => {});

/** Reads `n` messages of `topic` from the beginning, bounded by `timeoutMs`. */
async function readAll(topic: string, n: number, timeoutMs = 60_000): Promise<{ partition: number; message: KafkaMessage }[]> {
  const consumer = kafka.consumer({ groupId: unique('reader'), maxWaitTimeInMs: 200 });
  const seen: { partition: number; message: KafkaMessage }[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) seen.push({ partition: batch.partition, message });
        if (seen.length >= n) done();
      },
    });
    await Promise.race([all, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${seen.length}/${n} messages on ${topic}`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return seen;
}

async function endOffsets(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('produce (real broker)', () => {
  it('2000 synthetic events to a fresh 3-partition topic: all read back, keyed by id, in order per partition', async () => {
    const topic = unique('produce-synth');
    const summary = await produce({ kafka, topic, count: 2000, partitions: 3, synthetic: { seed: 5, driftAt: 1000, noiseRates: [0.1, 0.2], trustedFraction: 0.1 } });
    expect(summary).toMatchObject({ topic, sent: 2000, partitions: 3, skipped: 0, firstId: 'e-0', lastId: 'e-1999', stoppedBy: 'count', source: 'synthetic:sea' });
    expect(await endOffsets(topic)).toBe(2000);

    const got = await readAll(topic, 2000);
    expect(got.length).toBe(2000);
    const ids = new Set<string>();
    const lastIndex = new Map<number, number>();
    let trusted = 0;
    for (const { partition, message } of got) {
      const ev = JSON.parse(message.value!.toString('utf8')) as { id: string; ts: number; features: number[]; label: number; trusted?: boolean; sourceLabel?: number };
      expect(message.key!.toString()).toBe(ev.id);
      ids.add(ev.id);
      const i = Number(ev.id.slice(2));
      expect(i).toBeGreaterThan(lastIndex.get(partition) ?? -1);
      lastIndex.set(partition, i);
      expect(ev.features.length).toBe(3);
      expect([0, 1]).toContain(ev.label);
      expect(Number.isFinite(ev.ts)).toBe(true);
      if (ev.trusted === true) {
        trusted++;
        expect([0, 1]).toContain(ev.sourceLabel);
      }
    }
    expect(ids.size).toBe(2000);
    expect(lastIndex.size).toBe(3);
    expect(trusted).toBeGreaterThan(100); // 10% of 2000, far from 0
  });

  it('a CSV file: one event per good row (row-N ids, dense features), bad rows skipped with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'produce-int-'));
    const file = join(dir, 'small.csv');
    const rows = ['a,b,label'];
    for (let i = 1; i <= 300; i++) rows.push(i === 150 ? 'oops,1,1' : `${i / 10},${(i % 7) - 3},${i % 2}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const topic = unique('produce-csv');
    const summary = await produce({ kafka, topic, input: file });
    expect(summary).toMatchObject({ sent: 299, skipped: 1, stoppedBy: 'input-end', firstId: 'row-1', lastId: 'row-300' });
    expect(summary.skipReasons[0]).toMatch(/150/);
    const got = await readAll(topic, 299);
    const byId = new Map(got.map(({ message }) => [message.key!.toString(), JSON.parse(message.value!.toString()) as { features: number[]; label: number }]));
    expect(byId.size).toBe(299);
    expect(byId.has('row-150')).toBe(false);
    expect(byId.get('row-7')).toMatchObject({ id: 'row-7', features: [0.7, -3], label: 1 });
  });

  it('--rate paces the stream: 600 events at 2000/s take at least (600 − burst)/2000 s', async () => {
    const topic = unique('produce-rate');
    const t0 = performance.now();
    const summary = await produce({ kafka, topic, count: 600, rate: 2000 });
    const seconds = (performance.now() - t0) / 1000;
    expect(summary.sent).toBe(600);
    // The bucket starts with a burst of 2000/20 = 100 events; the other 500 need 0.25 s.
    expect(seconds).toBeGreaterThanOrEqual(0.25);
    expect(summary.eventsPerSecond).toBeLessThanOrEqual(2000 * 1.5);
  });

  it('--encoding binary: the same 500 synthetic events as with json, each decoding to the identical event', async () => {
    const synthetic = { seed: 9, noiseRates: [0.1, 0.2] as const, trustedFraction: 0.2, unlabelledFraction: 0.1, clock: null };
    const jsonTopic = unique('produce-json');
    const binaryTopic = unique('produce-binary');
    expect(await produce({ kafka, topic: jsonTopic, count: 500, synthetic })).toMatchObject({ sent: 500, encoding: 'json' });
    const summary = await produce({ kafka, topic: binaryTopic, count: 500, synthetic, encoding: 'binary' });
    expect(summary).toMatchObject({ sent: 500, encoding: 'binary' });
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim: 3 }) });
    const decodeAll = async (topic: string) => {
      const out = new Map<string, unknown>();
      for (const { message } of await readAll(topic, 500)) {
        const ev = decoder.newEvent();
        expect(decoder.decode(message.value, ev)).toBeNull();
        expect(message.key!.toString()).toBe(ev.id);
        out.set(ev.id, { ...ev, x: Array.from(ev.x.val.subarray(0, ev.x.nnz)), idx: Array.from(ev.x.idx.subarray(0, ev.x.nnz)) });
      }
      return out;
    };
    const json = await decodeAll(jsonTopic);
    const binary = await decodeAll(binaryTopic);
    expect(binary.size).toBe(500);
    expect(binary).toEqual(json);
    const first = (await readAll(binaryTopic, 1))[0].message.value!;
    expect(first[0]).toBe(0xb1);
  });
});
