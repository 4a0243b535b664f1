import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, testKafka, unique, within } from './int-test-support.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { createKafkaTransactionalSink } from './kafka-transactional-sink.js';
import { ensureTopics } from './topics.js';

let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka('tx-sink-int');
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

async function committed(groupId: string, topic: string): Promise<string> {
  const [r] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return r.partitions.find((p) => p.partition === 0)!.offset;
}

/**
 * The group's committed offset once the transaction's markers are written: `commit()` returns when
 * the coordinator has decided, and the offsets become readable a moment later (bounded: 10 s).
 */
async function committedAfterMarkers(groupId: string, topic: string, want: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let got = await committed(groupId, topic);
  while (got !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    got = await committed(groupId, topic);
  }
  return got;
}

describe('createKafkaTransactionalSink (real broker)', () => {
  it('one transaction of 3 MB to one partition (30 records of 100 KB, over the broker\'s 1 MiB per batch) commits, in order', async () => {
    const input = unique('tx-big-in');
    const out = unique('tx-big-out');
    const groupId = unique('g-tx-big');
    await ensureTopics(admin, { topics: [input, out] });
    const sink = createKafkaTransactionalSink({ kafka, transactionalId: unique('txid-big'), groupId });
    const records = Array.from({ length: 30 }, (_, i) => ({ topic: out, key: `k-${i}`, value: `${String(i).padStart(4, '0')}${'v'.repeat(100_000)}` }));
    await within(sink.sendWithOffsets(records, [{ topic: input, partition: 0, offset: '30' }]), 60_000, 'the 3 MB transaction');
    await sink.close();
    const got = await readAll(kafka, out, 30);
    expect(got.map((g) => Number(g.message.value!.subarray(0, 4).toString()))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(await committedAfterMarkers(groupId, input, '30')).toBe('30');
  });

  it('records and consumed offsets commit together; an aborted transaction leaves neither visible', async () => {
    const input = unique('tx-in');
    const out = unique('tx-out');
    const other = unique('tx-other');
    const groupId = unique('g-tx');
    await ensureTopics(admin, { topics: [input, out, other] });
    const sink = createKafkaTransactionalSink({ kafka, transactionalId: unique('txid'), groupId });

    await within(
      sink.sendWithOffsets(
        [
          { topic: out, key: 'a', value: 'committed-1' },
          { topic: out, key: 'b', value: 'committed-2' },
          { topic: other, key: 'c', value: 'committed-3', headers: { kind: 'metrics' } },
        ],
        [{ topic: input, partition: 0, offset: '5' }],
      ),
      60_000,
      'the first transaction',
    );
    expect(await committedAfterMarkers(groupId, input, '5')).toBe('5');

    // A record over the broker's 1 MiB message limit fails the second transaction, after a good one was written in it.
    const err = await within(
      sink
        .sendWithOffsets(
          [
            { topic: out, key: 'a', value: 'aborted-1' },
            { topic: other, key: 'big', value: Buffer.alloc(2 * 1024 * 1024, 120) },
          ],
          [{ topic: input, partition: 0, offset: '9' }],
        )
        .then(
          () => null,
          (e: unknown) => e,
        ),
      60_000,
      'the failing transaction',
    );
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('transaction-aborted');
    expect(await committed(groupId, input)).toBe('5');

    // The sink still works after an abort; a read_committed reader sees committed records only, in order.
    await within(sink.send([{ topic: out, key: 'a', value: 'after' }]), 60_000, 'a transaction after the abort');
    await sink.close();
    // 'after' was committed after the abort, so once it is read everything before it has been too.
    const seen = (await readAll(kafka, out, 3)).map((m) => m.message.value!.toString());
    expect(seen).not.toContain('aborted-1');
    expect([...seen].sort()).toEqual(['after', 'committed-1', 'committed-2']);
    expect(await committed(groupId, input)).toBe('5');
    const [metrics] = await readAll(kafka, other, 1);
    expect(metrics.message.value!.toString()).toBe('committed-3');
    expect(metrics.message.headers?.kind?.toString()).toBe('metrics');
  });

  it('refuses an empty transactional id and a non-decimal offset', async () => {
    expect(() => createKafkaTransactionalSink({ kafka, transactionalId: ' ', groupId: 'g' })).toThrow(/transactionalId/);
    const topic = unique('tx-bad');
    await ensureTopics(admin, { topics: [topic] });
    const sink = createKafkaTransactionalSink({ kafka, transactionalId: unique('txid'), groupId: unique('g') });
    await expect(sink.sendWithOffsets([], [{ topic, partition: 0, offset: 'next' }])).rejects.toThrow(/not a decimal offset/);
    await sink.close();
  });
});
