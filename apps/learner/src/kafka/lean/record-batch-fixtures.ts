/**
 * Test and bench support (not part of the public API): a plain, obviously-correct encoder of v2
 * record batches with every field settable (offsets, deltas, attributes, producer ids, headers), so
 * the tests can build control batches, LogAppendTime, transactional and gzip batches that
 * RecordBatchWriter does not write; and of Fetch v12 response bodies around them. BigInt is fine here.
 */
import { gzipSync } from 'node:zlib';
import { crc32c } from '@logit-stream/core';

/** One record of {@link encodeBatch}. */
export interface FixtureRecord {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: ReadonlyArray<readonly [string, string | null]>;
}

/** The batch header fields of {@link encodeBatch} (defaults: a plain CreateTime batch at offset 0). */
export interface FixtureBatch {
  readonly baseOffset?: bigint;
  readonly leaderEpoch?: number;
  /** Compression (bits 0–2), timestamp type (bit 3), transactional (bit 4), control (bit 5). */
  readonly attributes?: number;
  readonly lastOffsetDelta?: number;
  readonly firstTimestamp?: bigint;
  readonly maxTimestamp?: bigint;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly records: readonly FixtureRecord[];
}

const zigzag = (v: bigint): bigint => (v >= 0n ? v << 1n : ((-v) << 1n) - 1n);

function varlong(v: number | bigint): Buffer {
  let z = zigzag(BigInt(v));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

function uvarint(v: number): Buffer {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

const bytesOf = (v: Buffer | string): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
const field = (v: Buffer | string | null): Buffer => (v === null ? varlong(-1) : Buffer.concat([varlong(bytesOf(v).length), bytesOf(v)]));

/** The bytes of one record (length prefix included). */
export function encodeRecord(r: FixtureRecord, index: number): Buffer {
  const headers = r.headers ?? [];
  const body = Buffer.concat([
    Buffer.of(0),
    varlong(r.timestampDelta ?? 0),
    varlong(r.offsetDelta ?? index),
    field(r.key),
    field(r.value),
    varlong(headers.length),
    ...headers.flatMap(([k, v]) => [field(k), field(v)]),
  ]);
  return Buffer.concat([varlong(body.length), body]);
}

/** One v2 record batch with a correct CRC-32C; gzip (attributes & 7 === 1) compresses the records. */
export function encodeBatch(b: FixtureBatch): Buffer {
  const attributes = b.attributes ?? 0;
  let records = Buffer.concat(b.records.map((r, i) => encodeRecord(r, i)));
  if ((attributes & 7) === 1) records = gzipSync(records);
  const h = Buffer.alloc(61);
  const firstTimestamp = b.firstTimestamp ?? 1_732_300_000_000n;
  h.writeBigInt64BE(b.baseOffset ?? 0n, 0);
  h.writeInt32BE(61 - 12 + records.length, 8);
  h.writeInt32BE(b.leaderEpoch ?? 0, 12);
  h[16] = 2;
  h.writeInt16BE(attributes, 21);
  h.writeInt32BE(b.lastOffsetDelta ?? Math.max(0, ...b.records.map((r, i) => r.offsetDelta ?? i)), 23);
  h.writeBigInt64BE(firstTimestamp, 27);
  h.writeBigInt64BE(b.maxTimestamp ?? firstTimestamp, 35);
  h.writeBigInt64BE(b.producerId ?? -1n, 43);
  h.writeInt16BE(b.producerEpoch ?? -1, 51);
  h.writeInt32BE(b.baseSequence ?? -1, 53);
  h.writeInt32BE(b.records.length, 57);
  const batch = Buffer.concat([h, records]);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

/** A transaction marker batch (control, transactional) of `producerId` at `offset`: ABORT or COMMIT. */
export function encodeMarker(offset: bigint, producerId: bigint, type: 'abort' | 'commit'): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type === 'abort' ? 0 : 1, 2);
  const value = Buffer.alloc(6); // version int16, coordinator epoch int32
  return encodeBatch({ baseOffset: offset, attributes: 0x30, producerId, producerEpoch: 0, records: [{ key, value }] });
}

/** One partition of {@link encodeFetchResponse}. */
export interface FixturePartition {
  readonly partition: number;
  readonly errorCode?: number;
  readonly highWatermark?: bigint;
  readonly lastStableOffset?: bigint;
  readonly logStartOffset?: bigint;
  /** null: a null array. */
  readonly aborted?: ReadonlyArray<readonly [producerId: bigint, firstOffset: bigint]> | null;
  readonly preferredReadReplica?: number;
  /** null: null records. */
  readonly records: Buffer | null;
  /** Raw tagged fields: [tag, bytes]. */
  readonly tags?: ReadonlyArray<readonly [number, Buffer]>;
}

const compactString = (s: string): Buffer => Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const int16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const int32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const int64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
const tagged = (tags: ReadonlyArray<readonly [number, Buffer]>): Buffer =>
  Buffer.concat([uvarint(tags.length), ...tags.flatMap(([t, d]) => [uvarint(t), uvarint(d.length), d])]);

/** A Fetch v12 response body (after the response header), as FetchResponse.json lays it out. */
export function encodeFetchResponse(
  topics: ReadonlyArray<readonly [string, readonly FixturePartition[]]>,
  o: { throttleTimeMs?: number; errorCode?: number; sessionId?: number } = {},
): Buffer {
  const parts: Buffer[] = [int32(o.throttleTimeMs ?? 0), int16(o.errorCode ?? 0), int32(o.sessionId ?? 0), uvarint(topics.length + 1)];
  for (const [name, partitions] of topics) {
    parts.push(compactString(name), uvarint(partitions.length + 1));
    for (const p of partitions) {
      parts.push(int32(p.partition), int16(p.errorCode ?? 0), int64(p.highWatermark ?? 0n), int64(p.lastStableOffset ?? -1n), int64(p.logStartOffset ?? 0n));
      const aborted = p.aborted === undefined ? [] : p.aborted;
      if (aborted === null) parts.push(uvarint(0));
      else {
        parts.push(uvarint(aborted.length + 1));
        for (const [pid, first] of aborted) parts.push(int64(pid), int64(first), uvarint(0));
      }
      parts.push(int32(p.preferredReadReplica ?? -1));
      if (p.records === null) parts.push(uvarint(0));
      else parts.push(uvarint(p.records.length + 1), p.records);
      parts.push(tagged(p.tags ?? []));
    }
    parts.push(uvarint(0));
  }
  parts.push(uvarint(0));
  return Buffer.concat(parts);
}
