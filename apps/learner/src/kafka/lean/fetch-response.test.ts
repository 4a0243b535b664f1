import { fetchV12, Reader } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { fetchResponseParser, parseFetchResponse } from './fetch-response.js';
import { encodeBatch, encodeFetchResponse } from './record-batch-fixtures.js';
import { LeanMessage, RecordBatchReader } from './record-batch-reader.js';

const batchA = encodeBatch({ baseOffset: 10n, records: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
const batchB = encodeBatch({ baseOffset: 0n, records: [{ key: 'c', value: '3' }] });

/** The CurrentLeader struct: leader id int32, leader epoch int32, its own (empty) tagged fields. */
const currentLeader = (id: number, epoch: number): Buffer => {
  const b = Buffer.alloc(9);
  b.writeInt32BE(id, 0);
  b.writeInt32BE(epoch, 4);
  return b;
};

/** The test response; `withTags`: tagged fields on two partitions (@platformatic/kafka's Reader mis-skips non-empty ones). */
const responseBody = (withTags: boolean): Buffer =>
  encodeFetchResponse(
    [
      [
        'events',
        [
          { partition: 0, highWatermark: 12n, lastStableOffset: 12n, logStartOffset: 3n, aborted: [[(2n << 32n) + 9n, 10n], [77n, 4n]], records: batchA },
          { partition: 1, errorCode: 6, highWatermark: -1n, records: null, tags: withTags ? [[1, currentLeader(2, 5)]] : [] },
        ],
      ],
      ['labels-ü', [{ partition: 4, highWatermark: 1n, aborted: null, preferredReadReplica: 3, records: batchB, tags: withTags ? [[9, Buffer.from('unknown tag')]] : [] }]],
    ],
    { throttleTimeMs: 15, sessionId: 0 },
  );
const body = responseBody(true);

describe('parseFetchResponse', () => {
  it('decodes every field of a Fetch v12 response as @platformatic/kafka fetchV12.parseResponse does', () => {
    const plain = responseBody(false);
    const r = parseFetchResponse(plain, 0, plain.length);
    let reference: ReturnType<typeof fetchV12.parseResponse>;
    try {
      reference = fetchV12.parseResponse(0, 1, 12, Reader.from(plain));
    } catch (e) {
      reference = (e as { response: ReturnType<typeof fetchV12.parseResponse> }).response; // it throws on the partition error, with the response
    }
    expect([r.throttleTimeMs, r.errorCode, r.sessionId]).toEqual([reference.throttleTimeMs, reference.errorCode, reference.sessionId]);
    const want = reference.responses.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topicId,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        highWatermark: Number(p.highWatermark),
        lastStableOffset: Number(p.lastStableOffset),
        logStartOffset: Number(p.logStartOffset),
        preferredReadReplica: p.preferredReadReplica,
        aborted: (p.abortedTransactions ?? []).map((a) => [a.producerId, Number(a.firstOffset)]),
      })),
    );
    const got = r.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      errorCode: p.errorCode,
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset,
      logStartOffset: p.logStartOffset,
      preferredReadReplica: p.preferredReadReplica,
      aborted: Array.from({ length: p.abortedTransactions?.count ?? 0 }, (_, i) => [
        (BigInt(p.abortedTransactions!.producerIdHigh[i]) << 32n) + BigInt(p.abortedTransactions!.producerIdLow[i] >>> 0),
        p.abortedTransactions!.firstOffset[i],
      ]),
    }));
    expect(got).toEqual(want);
    expect(got.map((p) => p.topic)).toEqual(['events', 'events', 'labels-ü']);
    expect(got[0].aborted).toEqual([
      [(2n << 32n) + 9n, 10],
      [77n, 4],
    ]);
  });

  it('points each partition at its records without copying, and reads the CurrentLeader tagged field', () => {
    const r = parseFetchResponse(body, 0, body.length);
    const [p0, p1, p2] = r.partitions;
    expect(p0.buffer).toBe(body);
    expect(body.subarray(p0.start, p0.end).equals(batchA)).toBe(true);
    expect(body.subarray(p2.start, p2.end).equals(batchB)).toBe(true);
    expect([p1.start, p1.end]).toEqual([p1.start, p1.start]); // null records: an empty range
    expect([p1.currentLeaderId, p1.currentLeaderEpoch]).toEqual([2, 5]);
    expect([p0.currentLeaderId, p0.currentLeaderEpoch, p0.divergingEpoch, p0.divergingEndOffset]).toEqual([-1, -1, -1, -1]);
    expect(p2.abortedTransactions).toBeNull();
    const out: LeanMessage[] = [];
    const n = new RecordBatchReader().read(p0, 10, out, 0);
    expect(out.slice(0, n).map((m) => [m.topic, m.partition, m.offset, m.key?.toString()])).toEqual([
      ['events', 0, '10', 'a'],
      ['events', 0, '11', 'b'],
    ]);
  });

  it('decodes a body that starts inside a larger buffer', () => {
    const padded = Buffer.concat([Buffer.alloc(7, 0xee), body, Buffer.alloc(3, 0xee)]);
    const r = parseFetchResponse(padded, 7, 7 + body.length);
    expect(r.partitions.map((p) => p.highWatermark)).toEqual([12, -1, 1]);
    expect(padded.subarray(r.partitions[0].start, r.partitions[0].end).equals(batchA)).toBe(true);
  });

  it('rejects a cut-off response with bad-response', () => {
    for (const cut of [3, 20, body.length - 1]) {
      expect(() => parseFetchResponse(body, 0, cut)).toThrow(/Fetch v12 response is malformed: .* runs past the end/);
    }
  });

  it('rejects a high watermark of 2^53 or more with offset-too-large', () => {
    const big = encodeFetchResponse([['t', [{ partition: 0, highWatermark: 2n ** 53n, records: null }]]]);
    expect(() => parseFetchResponse(big, 0, big.length)).toThrow(/high_watermark is 9007199254740992, 2\^53 or more/);
  });
});

describe('fetchResponseParser', () => {
  it('uses a single-chunk response in place and copies a multi-chunk one once, with the same result', () => {
    const one = fetchResponseParser(1, 1, 12, Reader.from(body));
    expect(one.partitions[0].buffer).toBe(body);
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 17) chunks.push(Buffer.from(body.subarray(i, i + 17)));
    const dynamic = Reader.from(chunks[0]).buffer; // @platformatic/kafka's DynamicBuffer, as the Connection hands it over
    for (const c of chunks.slice(1)) dynamic.append(c);
    expect(dynamic.buffers.length).toBeGreaterThan(1);
    const many = fetchResponseParser(1, 1, 12, new Reader(dynamic));
    const strip = (r: typeof one) => r.partitions.map((p) => ({ ...p, buffer: null, start: 0, end: 0, records: p.buffer.subarray(p.start, p.end).toString('hex') }));
    expect(strip(many)).toEqual(strip(one));
  });
});
