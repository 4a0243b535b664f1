import { Reader, type Connection, type Writer } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import type { LeanBrokers, LeanMetadata } from './lean-brokers.js';
import { listOffsets, listOffsetsOnce, partitionKey } from './list-offsets.js';

interface Asked {
  readonly isolation: number;
  readonly partitions: { topic: string; partition: number; timestamp: bigint }[];
}

/** Decodes a ListOffsets v7 request body. */
function decodeRequest(b: Buffer): Asked {
  let p = 4; // replica id
  const isolation = b[p++];
  const partitions: Asked['partitions'] = [];
  const nt = b[p++] - 1; // (small counts: one-byte varints)
  for (let t = 0; t < nt; t++) {
    const n = b[p++] - 1;
    const topic = b.toString('utf8', p, p + n);
    p += n;
    const np = b[p++] - 1;
    for (let i = 0; i < np; i++) {
      const partition = b.readInt32BE(p);
      const timestamp = b.readBigInt64BE(p + 8);
      p += 17; // partition, leader epoch, timestamp, tags
      partitions.push({ topic, partition, timestamp });
    }
    p++;
  }
  return { isolation, partitions };
}

/** A ListOffsets v7 response body: per topic, [partition, errorCode, offset]. */
function encodeResponse(topics: ReadonlyArray<readonly [string, ReadonlyArray<readonly [number, number, bigint]>]>): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.of(topics.length + 1)];
  for (const [name, ps] of topics) {
    parts.push(Buffer.of(Buffer.byteLength(name) + 1), Buffer.from(name), Buffer.of(ps.length + 1));
    for (const [partition, errorCode, offset] of ps) {
      const b = Buffer.alloc(27);
      b.writeInt32BE(partition, 0);
      b.writeInt16BE(errorCode, 4);
      b.writeBigInt64BE(-1n, 6);
      b.writeBigInt64BE(offset, 14);
      b.writeInt32BE(3, 22);
      b[26] = 0;
      parts.push(b);
    }
    parts.push(Buffer.of(0));
  }
  parts.push(Buffer.of(0));
  return Buffer.concat(parts);
}

/** A connection that answers each ListOffsets request with `respond(asked)`. */
function fakeConnection(respond: (asked: Asked) => Buffer | Error): { conn: Connection; asked: Asked[] } {
  const asked: Asked[] = [];
  const conn = {
    socket: { destroy: () => {} },
    send(apiKey: number, version: number, payload: () => Writer, parse: (c: number, k: number, v: number, r: Reader) => unknown, _a: boolean, _b: boolean, cb: (e: unknown, r?: unknown) => void) {
      expect([apiKey, version]).toEqual([2, 7]);
      const a = decodeRequest(payload().buffer);
      asked.push(a);
      const answer = respond(a);
      setImmediate(() => (answer instanceof Error ? cb(answer) : cb(null, parse(1, apiKey, version, Reader.from(answer)))));
    },
  };
  return { conn: conn as unknown as Connection, asked };
}

/** Brokers with the given leaders (topic → leader per partition) and one connection per node. */
function fakeBrokers(leaders: () => Record<string, number[]>, conns: Record<number, Connection>): Pick<LeanBrokers, 'metadata' | 'node'> {
  return {
    metadata: async (topics) => {
      const l = leaders();
      const md: LeanMetadata = {
        brokers: new Map(),
        topics: new Map(
          topics.map((t) => [t, { name: t, topicId: '', errorCode: 0, partitions: (l[t] ?? []).map((leaderId, partition) => ({ partition, leaderId, leaderEpoch: 0, errorCode: 0 })) }]),
        ),
      };
      return md;
    },
    node: async (id) => conns[id],
  };
}

describe('partitionKey', () => {
  it('is partition:topic, distinct for every topic/partition pair', () => {
    expect(partitionKey('events', 3)).toBe('3:events');
    expect(new Set([partitionKey('a', 12), partitionKey('a1', 2), partitionKey('a', 1)]).size).toBe(3);
  });
});

describe('listOffsetsOnce', () => {
  it('asks for the earliest (−2) or latest (−1) offset with the isolation level and returns per-partition answers', async () => {
    const { conn, asked } = fakeConnection((a) => encodeResponse([['events', a.partitions.map((p) => [p.partition, p.partition === 1 ? 6 : 0, p.timestamp === -2n ? 5n : 90n] as const)]]));
    const earliest = await listOffsetsOnce(conn, [{ topic: 'events', partition: 0 }, { topic: 'events', partition: 1 }], 'earliest');
    expect(asked[0]).toEqual({ isolation: 1, partitions: [{ topic: 'events', partition: 0, timestamp: -2n }, { topic: 'events', partition: 1, timestamp: -2n }] });
    expect(earliest).toEqual([
      { topic: 'events', partition: 0, errorCode: 0, offset: 5, leaderEpoch: 3 },
      { topic: 'events', partition: 1, errorCode: 6, offset: 5, leaderEpoch: 3 },
    ]);
    const latest = await listOffsetsOnce(conn, [{ topic: 'events', partition: 0 }], 'latest', false);
    expect(asked[1]).toEqual({ isolation: 0, partitions: [{ topic: 'events', partition: 0, timestamp: -1n }] });
    expect(latest[0].offset).toBe(90);
  });
});

describe('listOffsets', () => {
  it('asks each leader for its partitions and retries a NOT_LEADER_OR_FOLLOWER answer after a metadata refresh', async () => {
    const n1 = fakeConnection((a) => encodeResponse([['t', a.partitions.map((p) => [p.partition, 0, 10n + BigInt(p.partition)] as const)]]));
    // node 2 is not the leader of partition 1 any more (the first metadata says it is; the second says node 1)
    const n2 = fakeConnection((a) => encodeResponse([['t', a.partitions.map((p) => [p.partition, 6, -1n] as const)]]));
    let round = 0;
    const brokers = fakeBrokers(() => (round++ === 0 ? { t: [1, 2] } : { t: [1, 1] }), { 1: n1.conn, 2: n2.conn });
    const at = await listOffsets(brokers, [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }], 'earliest', true, { retryDelayMs: 1 });
    expect(at).toEqual(new Map([[partitionKey('t', 0), 10], [partitionKey('t', 1), 11]]));
    expect(n2.asked.map((a) => a.partitions.map((p) => p.partition))).toEqual([[1]]);
    expect(n1.asked.map((a) => a.partitions.map((p) => p.partition))).toEqual([[0], [1]]);
  });

  it('rejects a non-retriable answer with list-offsets-refused, and gives up on a partition without a leader with list-offsets-failed', async () => {
    const denied = fakeConnection(() => encodeResponse([['secret', [[0, 29, -1n]]]]));
    await expect(listOffsets(fakeBrokers(() => ({ secret: [1] }), { 1: denied.conn }), [{ topic: 'secret', partition: 0 }], 'latest')).rejects.toThrow(
      /refused to look up the latest offset of secret-0: TOPIC_AUTHORIZATION_FAILED/,
    );
    const none = fakeBrokers(() => ({ t: [-1] }), {});
    await expect(listOffsets(none, [{ topic: 't', partition: 0 }], 'earliest', true, { retryDelayMs: 1 })).rejects.toThrow(/could not look up the earliest offsets of t-0 after 6 attempts \(last: no leader known for t-0\)/);
  });
});
