import { Reader, type Connection, type Writer } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { RecordBatchWriter } from '../record-batch-writer.js';
import { fetchOnce } from './lean-fetcher.js';
import { encodeBatch, encodeFetchResponse, encodeMarker, type FixturePartition } from './record-batch-fixtures.js';

/** What a fake connection saw of one request. */
interface Sent {
  apiKey: number;
  version: number;
  body: Buffer;
}

/**
 * A stand-in for @platformatic/kafka's Connection: records the request and answers with `respond`'s
 * body through the parser (as Connection#onData does), or fails with `fail`.
 */
function fakeConnection(respond: (sent: Sent) => Buffer | Error): { conn: Connection; sent: Sent[]; destroyed: () => boolean } {
  const sent: Sent[] = [];
  let destroyed = false;
  const conn = {
    host: '127.0.0.1',
    port: 1,
    socket: {
      destroy: () => {
        destroyed = true;
      },
    },
    send(apiKey: number, version: number, payload: () => Writer, parse: (c: number, k: number, v: number, r: Reader) => unknown, _t1: boolean, _t2: boolean, cb: (e: unknown, r?: unknown) => void) {
      const s = { apiKey, version, body: payload().buffer };
      sent.push(s);
      const answer = respond(s);
      setImmediate(() => {
        if (answer instanceof Error) {
          cb(answer);
          return;
        }
        let r: unknown;
        try {
          r = parse(1, apiKey, version, Reader.from(answer));
        } catch (e) {
          cb(e);
          return;
        }
        cb(null, r);
      });
    },
  };
  return { conn: conn as unknown as Connection, sent, destroyed: () => destroyed };
}

/** Decodes the fixed part and the topics of a Fetch v12 request body. */
function decodeFetchRequest(b: Buffer) {
  let p = 0;
  const uvarint = (): number => {
    let v = 0;
    let s = 0;
    for (;;) {
      const x = b[p++];
      v |= (x & 0x7f) << s;
      s += 7;
      if (x < 0x80) return v;
    }
  };
  const int32 = (): number => ((p += 4), b.readInt32BE(p - 4));
  const head = { replicaId: int32(), maxWaitMs: int32(), minBytes: int32(), maxBytes: int32(), isolation: b[p++], sessionId: int32(), sessionEpoch: int32() };
  const topics: { topic: string; partitions: { partition: number; leaderEpoch: number; offset: bigint; lastFetchedEpoch: number; logStart: bigint; maxBytes: number }[] }[] = [];
  const nt = uvarint() - 1;
  for (let t = 0; t < nt; t++) {
    const n = uvarint() - 1;
    const topic = b.toString('utf8', p, p + n);
    p += n;
    const parts = [];
    const np = uvarint() - 1;
    for (let i = 0; i < np; i++) {
      const partition = int32();
      const leaderEpoch = int32();
      const offset = b.readBigInt64BE(p);
      p += 8;
      const lastFetchedEpoch = int32();
      const logStart = b.readBigInt64BE(p);
      p += 8;
      parts.push({ partition, leaderEpoch, offset, lastFetchedEpoch, logStart, maxBytes: int32() });
      uvarint(); // tags
    }
    uvarint();
    topics.push({ topic, partitions: parts });
  }
  return { ...head, topics };
}

const batchAt = (base: number, keys: string[], gzip = false): Buffer => {
  const w = new RecordBatchWriter(1024);
  const s = w.beginBatch(0, 1, 0, 0, 1_732_000_000_000 + base);
  for (const k of keys) w.appendRecord(k, `v-${k}`, { h: 'x' });
  const e = w.endBatch(gzip);
  const out = Buffer.from(w.buffer.subarray(s, e));
  out.writeBigInt64BE(BigInt(base), 0);
  return out;
};

describe('fetchOnce', () => {
  it('sends one sessionless Fetch v12 (read_committed, the limits asked for) and decodes each partition', async () => {
    const a = Buffer.concat([batchAt(5, ['a', 'b']), batchAt(7, ['c'], true)]);
    const partitions: FixturePartition[] = [
      { partition: 0, highWatermark: 8n, lastStableOffset: 8n, records: a },
      { partition: 2, errorCode: 6, highWatermark: -1n, records: null },
    ];
    const { conn, sent } = fakeConnection(() => encodeFetchResponse([['events', partitions], ['other', [{ partition: 1, highWatermark: 0n, records: null }]]]));
    const results = await fetchOnce(conn, {
      partitions: [
        { topic: 'events', partition: 0, offset: 6 },
        { topic: 'events', partition: 2, offset: 100, currentLeaderEpoch: 4 },
        { topic: 'other', partition: 1, offset: 0 },
      ],
      maxWaitMs: 250,
      minBytes: 10,
      maxBytes: 5_000_000,
      maxBytesPerPartition: 65_536,
    });
    expect(sent.map((s) => [s.apiKey, s.version])).toEqual([[1, 12]]);
    const req = decodeFetchRequest(sent[0].body);
    expect(req).toMatchObject({ replicaId: -1, maxWaitMs: 250, minBytes: 10, maxBytes: 5_000_000, isolation: 1, sessionId: 0, sessionEpoch: -1 });
    expect(req.topics).toEqual([
      {
        topic: 'events',
        partitions: [
          { partition: 0, leaderEpoch: -1, offset: 6n, lastFetchedEpoch: -1, logStart: -1n, maxBytes: 65_536 },
          { partition: 2, leaderEpoch: 4, offset: 100n, lastFetchedEpoch: -1, logStart: -1n, maxBytes: 65_536 },
        ],
      },
      { topic: 'other', partitions: [{ partition: 1, leaderEpoch: -1, offset: 0n, lastFetchedEpoch: -1, logStart: -1n, maxBytes: 65_536 }] },
    ]);
    expect(results.map((r) => ({ t: r.topic, p: r.partition, e: r.errorCode, n: r.errorName, next: r.nextOffset, hw: r.highWatermark, offs: r.messages.map((m) => m.offset) }))).toEqual([
      { t: 'events', p: 0, e: 0, n: 'NONE', next: 8, hw: '8', offs: ['6', '7'] },
      { t: 'events', p: 2, e: 6, n: 'NOT_LEADER_OR_FOLLOWER', next: 100, hw: '-1', offs: [] },
      { t: 'other', p: 1, e: 0, n: 'NONE', next: 0, hw: '0', offs: [] },
    ]);
    const [m6, m7] = results[0].messages;
    expect([m6.topic, m6.partition, m6.key?.toString(), m6.value?.toString(), m6.timestamp]).toEqual(['events', 0, 'b', 'v-b', 1_732_000_000_005]);
    expect([m7.key?.toString(), m7.value?.toString(), m7.timestamp]).toEqual(['c', 'v-c', 1_732_000_000_007]);
  });

  it('with reuse: fills the given array, overwriting its LeanMessages in place and keeping them all; the answer holds the ones filled', async () => {
    const answers = [
      Buffer.concat([batchAt(0, ['a', 'b', 'c']), batchAt(3, ['d'], true)]),
      batchAt(4, ['e', 'f']),
      batchAt(6, ['g', 'h', 'i', 'j', 'k']),
    ];
    let call = 0;
    const { conn } = fakeConnection(() => encodeFetchResponse([['events', [{ partition: 3, highWatermark: 11n, records: answers[call++] }]]]));
    const pool: import('./record-batch-reader.js').LeanMessage[] = [];
    const asked: string[] = [];
    const reuse = (topic: string, partition: number) => (asked.push(`${topic}-${partition}`), pool);
    const read = async (offset: number) => (await fetchOnce(conn, { partitions: [{ topic: 'events', partition: 3, offset }], reuse }))[0].messages;

    const first = await read(0);
    expect(first).toBe(pool);
    expect(first.map((m) => [m.offset, m.key?.toString(), m.value?.toString()])).toEqual([
      ['0', 'a', 'v-a'],
      ['1', 'b', 'v-b'],
      ['2', 'c', 'v-c'],
      ['3', 'd', 'v-d'],
    ]);
    const objects = [...first];
    // fewer messages: the same objects, filled again; the answer has two, the array keeps all four
    const second = await read(4);
    expect(pool).toHaveLength(4);
    expect(second.map((m) => [m.offset, m.offsetValue, m.key?.toString(), m.value?.toString(), m.timestamp])).toEqual([
      ['4', 4, 'e', 'v-e', 1_732_000_000_004],
      ['5', 5, 'f', 'v-f', 1_732_000_000_004],
    ]);
    expect(second[0]).toBe(objects[0]);
    expect(second[1]).toBe(objects[1]);
    // more messages: the four kept objects, then a new one
    const third = await read(6);
    expect(third).toBe(pool);
    expect(third.map((m) => m.key?.toString())).toEqual(['g', 'h', 'i', 'j', 'k']);
    expect(third.slice(0, 4)).toEqual(objects);
    for (let i = 0; i < 4; i++) expect(third[i]).toBe(objects[i]);
    expect(asked).toEqual(['events-3', 'events-3', 'events-3']);
  });

  it('asks read_uncommitted when told, and applies the aborted transactions of a read_committed answer', async () => {
    const pid = 9n;
    const records = Buffer.concat([
      encodeBatch({ baseOffset: 0n, attributes: 0x10, producerId: pid, producerEpoch: 0, records: [{ key: 'aborted', value: 'x' }] }),
      encodeMarker(1n, pid, 'abort'),
      encodeBatch({ baseOffset: 2n, records: [{ key: 'kept', value: 'y' }] }),
    ]);
    const { conn, sent } = fakeConnection((s) =>
      encodeFetchResponse([['t', [{ partition: 0, highWatermark: 3n, aborted: decodeFetchRequest(s.body).isolation === 1 ? [[pid, 0n]] : null, records }]]]),
    );
    const committed = await fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: 0 }] });
    expect(committed[0].messages.map((m) => m.key?.toString())).toEqual(['kept']);
    expect(committed[0].nextOffset).toBe(3);
    const uncommitted = await fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: 0 }], readCommitted: false });
    expect(decodeFetchRequest(sent[1].body).isolation).toBe(0);
    expect(uncommitted[0].messages.map((m) => m.key?.toString())).toEqual(['aborted', 'kept']);
  });

  it('reports a partition cut at the byte limit as truncated, next offset at the cut batch', async () => {
    const whole = Buffer.concat([batchAt(0, ['a']), batchAt(1, ['b', 'c'])]);
    const { conn } = fakeConnection(() => encodeFetchResponse([['t', [{ partition: 0, highWatermark: 3n, records: whole.subarray(0, whole.length - 4) }]]]));
    const [r] = await fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: 0 }] });
    expect([r.messages.length, r.truncated, r.nextOffset]).toEqual([1, true, 1]);
  });

  it('rejects a failed request with a retriable fetch-failed saying what to do, and destroys the socket', async () => {
    const { conn, destroyed } = fakeConnection(() => new Error('Request timed out'));
    const p = fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: 0 }] });
    await expect(p).rejects.toThrow(/fetching t \(1 partition\) from 127\.0\.0\.1:1 failed: Request timed out; the connection was closed: look the leaders up again and fetch again/);
    await p.catch((e: unknown) => {
      expect(e).toBeInstanceOf(KafkaAdapterError);
      expect((e as KafkaAdapterError).retriable).toBe(true);
      expect((e as KafkaAdapterError).code).toBe('fetch-failed');
    });
    expect(destroyed()).toBe(true);
  });

  it('rejects a top-level error code, and a corrupt batch naming the partition, without closing the connection', async () => {
    const top = fakeConnection(() => encodeFetchResponse([], { errorCode: 70 }));
    await expect(fetchOnce(top.conn, { partitions: [{ topic: 't', partition: 0, offset: 0 }] })).rejects.toThrow(/refused the whole fetch of t \(1 partition\): FETCH_SESSION_ID_NOT_FOUND/);
    const bad = batchAt(4, ['a']);
    bad[bad.length - 3] ^= 0xff;
    const corrupt = fakeConnection(() => encodeFetchResponse([['t', [{ partition: 5, highWatermark: 5n, records: bad }]]]));
    await expect(fetchOnce(corrupt.conn, { partitions: [{ topic: 't', partition: 5, offset: 4 }] })).rejects.toThrow(/record batch at offset 4 of t-5 is corrupt: its CRC-32C/);
    expect(corrupt.destroyed()).toBe(false);
    const unchecked = await fetchOnce(corrupt.conn, { partitions: [{ topic: 't', partition: 5, offset: 4 }], checkCrcs: false });
    expect(unchecked[0].messages).toHaveLength(1);
  });

  it('rejects an offset that is not a whole number in [0, 2^53) before sending', async () => {
    const { conn, sent } = fakeConnection(() => Buffer.alloc(0));
    await expect(fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: -1 }] })).rejects.toThrow(/fetch offset -1 of t-0 is not a whole number/);
    await expect(fetchOnce(conn, { partitions: [{ topic: 't', partition: 0, offset: 2 ** 53 }] })).rejects.toThrow(/not a whole number in \[0, 2\^53\)/);
    expect(sent).toHaveLength(0);
    expect(await fetchOnce(conn, { partitions: [] })).toEqual([]);
  });
});
