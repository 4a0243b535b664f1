import { Reader, readRecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { createProduceRequest, type ProduceBatchRef } from './produce-request.js';
import { RecordBatchWriter } from './record-batch-writer.js';

describe('createProduceRequest', () => {
  it('frames batches as a Produce v9 body: null transactional id, acks, timeout, compact arrays of topics and partitions with their records, empty tagged fields', () => {
    const w = new RecordBatchWriter();
    const refs: ProduceBatchRef[] = [];
    const layout: [string, number, number][] = [
      ['scores', 0, 3],
      ['scores', 2, 200],
      ['dlq-é', 1, 1],
    ];
    for (const [topic, partition, n] of layout) {
      const start = w.beginBatch(0, 42, 1, partition * 10, 1000);
      for (let i = 0; i < n; i++) w.appendRecord(`k-${i}`, `${topic}/${partition}/${i}`, undefined);
      refs.push({ topic, partition, start, end: w.endBatch(false) });
    }
    const body = createProduceRequest(-1, 12345, refs, w.buffer).buffer;

    const r = Reader.from(body);
    expect(r.readNullableString()).toBeNull();
    expect(r.readInt16()).toBe(-1);
    expect(r.readInt32()).toBe(12345);
    const topics = r.readArray((t) => ({
      name: t.readString(),
      partitions: t.readArray((p) => ({ index: p.readInt32(), records: p.readNullableBytes() })),
    }));
    r.readTaggedFields();
    expect(r.position).toBe(body.length);

    expect(topics.map((t) => [t.name, t.partitions.map((p) => p.index)])).toEqual([
      ['scores', [0, 2]],
      ['dlq-é', [1]],
    ]);
    const flat = topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p })));
    flat.forEach((p, i) => {
      expect(Buffer.from(p.records!)).toEqual(w.buffer.subarray(refs[i].start, refs[i].end));
      const batch = readRecordsBatch(Reader.from(Buffer.from(p.records!)));
      expect(batch.records.length).toBe(layout[i][2]);
      expect(batch.firstSequence).toBe(layout[i][1] * 10);
      expect(Buffer.from(batch.records.at(-1)!.value!).toString()).toBe(`${p.topic}/${p.index}/${layout[i][2] - 1}`);
    });
  });

  it('an empty list of batches is a valid body with no topics', () => {
    const body = createProduceRequest(1, 0, [], Buffer.alloc(0)).buffer;
    expect([...body]).toEqual([0, 0, 1, 0, 0, 0, 0, 1, 0]);
  });
});
