/**
 * A corrupted model snapshot is detected and refused (SPEC §2, §4), on the real broker with the built
 * CLI: after a run leaves its snapshots, two bad records are produced to the snapshots topic as this
 * learner's newest ones (a copy of the newest snapshot with one changed field under the next key, so
 * its CRC-32C no longer matches, and garbage that is not gzip or JSON). The next start logs a clear
 * error for each, restores the previous good snapshot, and its model after more events equals that of
 * an uninterrupted run over all of them. Needs KAFKA_BROKERS and a build.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { produceDense } from './recovery-int-support.js';
import { requireBuiltCli, spawnCli, uniqueLearnerTopics } from '../testing/kafka-test-kit.js';
import { snapshotKey, snapshotKeyBase, snapshotSeq } from './snapshot-keys.js';
import { decodeSnapshotValue } from './snapshot-value.js';

let brokers: string;
let kafka: Kafka;
let admin: Admin;
let dir: string;

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('snapshot-refusal-int');
  admin = kafka.admin();
  await admin.connect();
  dir = mkdtempSync(join(tmpdir(), 'logit-refusal-'));
});

afterAll(async () => {
  await admin?.disconnect();
});

function args(t: Record<string, string>, group: string, modelOut: string): string[] {
  return [
    'run',
    '--events-topic', t.events,
    '--scores-topic', t.scores,
    '--metrics-topic', t.metrics,
    '--dlq-topic', t.dlq,
    '--snapshots-topic', t.snapshots,
    '--group-id', group,
    '--dense-dim', '4',
    '--snapshot-every', '1000',
    '--exit-on-idle', '2',
    '--model-out', modelOut,
    '--log-level', 'info',
  ];
}

describe('corrupted snapshots (real broker, built CLI)', () => {
  it('a snapshot failing its checksum and one failing its schema are refused with a logged error; the previous good one is restored and the final model equals an uninterrupted run', async () => {
    const t = uniqueLearnerTopics('sr');
    const group = unique('sr-group');
    await ensureTopics(admin, { topics: [t.events], partitions: 1 });
    await produceDense(kafka, t.events, 5000);
    const first = await spawnCli(args(t, group, join(dir, 'first.json')), { brokers }, 90_000).done;
    expect(first.code, first.stderr.slice(-3000)).toBe(0);

    // The newest good snapshot (sequence number k; the shutdown snapshot holds offset 5000).
    const base = snapshotKeyBase(group, 'learner-0');
    const raw = await readRaw(t.snapshots);
    const newest = raw[raw.length - 1];
    const good = decodeSnapshotValue(newest.value);
    const k = snapshotSeq(good);
    expect(newest.key).toBe(snapshotKey(base, k));
    expect(good.offsets[0].next).toBe('5000');
    const text = gunzipSync(newest.value).toString('utf8');
    // A copy claiming to be snapshot k+1 with a changed learner counter, the checksum left as it was.
    const tampered = text.replace(`"seq":${k}`, `"seq":${k + 1}`).replace(/"seen":5000\b/, '"seen":5001');
    expect(tampered).not.toBe(text);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: t.snapshots,
      acks: -1,
      messages: [
        { key: snapshotKey(base, k + 1), value: gzipSync(Buffer.from(tampered)) },
        { key: snapshotKey(base, k + 2), value: Buffer.from('not a snapshot at all') },
      ],
    });
    await producer.disconnect();

    await produceDense(kafka, t.events, 2000, 5000);
    const second = await spawnCli(args(t, group, join(dir, 'second.json')), { brokers }, 90_000).done;
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    const lines = second.stderr.split('\n');
    const refusals = lines.filter((l) => l.includes('refused the model snapshot'));
    expect(refusals.length).toBe(2);
    // One per key (decoded newest first), in either order.
    expect(refusals.filter((l) => /checksum mismatch/.test(l)).length).toBe(1);
    expect(refusals.filter((l) => /not valid JSON|not a logit-stream snapshot/.test(l)).length).toBe(1);
    for (const l of refusals) expect(l).toMatch(/falling back to the previous good snapshot/);
    const restored = JSON.parse(lines.find((l) => l.includes('"model snapshot restored"')) ?? '{}') as { seq?: number; refused?: number; offsets?: { next: string }[] };
    expect(restored.seq).toBe(k);
    expect(restored.refused).toBe(2);
    expect(restored.offsets?.[0].next).toBe('5000');

    // Reference: one uninterrupted run over the same 7000 events.
    const ref = { ...t, scores: unique('sr-ref-scores'), metrics: unique('sr-ref-metrics'), dlq: unique('sr-ref-dlq'), snapshots: unique('sr-ref-snap') };
    const third = await spawnCli(args(ref, unique('sr-ref-group'), join(dir, 'ref.json')), { brokers }, 90_000).done;
    expect(third.code, third.stderr.slice(-3000)).toBe(0);
    expect(readFileSync(join(dir, 'second.json'), 'utf8')).toBe(readFileSync(join(dir, 'ref.json'), 'utf8'));
  }, 240_000);
});

/** The snapshots topic's records with their raw values. */
async function readRaw(topic: string): Promise<{ key: string; value: Buffer }[]> {
  const consumer = kafka.consumer({ groupId: unique('sr-raw'), maxWaitTimeInMs: 100 });
  const out: { key: string; value: Buffer }[] = [];
  const [{ high }] = await admin.fetchTopicOffsets(topic);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done: () => void = () => {};
    const all = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) out.push({ key: m.key?.toString('utf8') ?? '', value: m.value ?? Buffer.alloc(0) });
        if (out.length >= Number(high)) done();
      },
    });
    await Promise.race([all, new Promise((_, rej) => setTimeout(() => rej(new Error(`read ${out.length} of ${high} records of ${topic}`)), 30_000))]);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
