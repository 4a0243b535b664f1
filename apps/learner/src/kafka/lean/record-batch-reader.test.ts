import { describe, expect, it } from 'vitest';
import { RecordBatchWriter } from '../record-batch-writer.js';
import { type AbortedTransactions, LeanMessage, RecordBatchReader, type RecordsRange } from './record-batch-reader.js';
import { encodeBatch, encodeMarker, type FixtureRecord } from './record-batch-fixtures.js';

const TOPIC = 'events';

const range = (buffer: Buffer, aborted: AbortedTransactions | null = null, start = 0, end = buffer.length): RecordsRange => ({
  topic: TOPIC,
  partition: 3,
  buffer,
  start,
  end,
  abortedTransactions: aborted,
});

function abortedOf(list: ReadonlyArray<readonly [bigint, bigint]>): AbortedTransactions {
  const a: AbortedTransactions = {
    count: list.length,
    producerIdHigh: new Int32Array(list.length),
    producerIdLow: new Int32Array(list.length),
    firstOffset: new Float64Array(list.length),
  };
  list.forEach(([pid, first], i) => {
    a.producerIdHigh[i] = Number(BigInt.asIntN(32, pid >> 32n));
    a.producerIdLow[i] = Number(BigInt.asIntN(32, pid));
    a.firstOffset[i] = Number(first);
  });
  return a;
}

/** Decodes `buffer` from `fetchOffset` into plain objects. */
function decode(buffer: Buffer, fetchOffset = 0, aborted: AbortedTransactions | null = null, reader = new RecordBatchReader()) {
  const out: LeanMessage[] = [];
  const n = reader.read(range(buffer, aborted), fetchOffset, out, 0);
  expect(out.length).toBe(n);
  return {
    reader,
    messages: out.map((m) => ({
      topic: m.topic,
      partition: m.partition,
      offset: m.offset,
      key: m.key === null ? null : m.key.toString('utf8'),
      value: m.value === null ? null : m.value.toString('utf8'),
      timestamp: m.timestamp,
    })),
  };
}

const msg = (offset: number | string, key: string | null, value: string | null, timestamp: number) => ({ topic: TOPIC, partition: 3, offset: String(offset), key, value, timestamp });

/** Batches written by the producer's RecordBatchWriter, each given its base offset as the broker would. */
function writerBatches(batches: ReadonlyArray<{ base: number; ts: number; gzip?: boolean; records: ReadonlyArray<[string | null, string, Record<string, string>?]> }>): Buffer {
  const w = new RecordBatchWriter(1024);
  const parts: Buffer[] = [];
  for (const b of batches) {
    const s = w.beginBatch(0, 4000, 0, 0, b.ts);
    for (const [k, v, h] of b.records) w.appendRecord(k, v, h);
    const e = w.endBatch(b.gzip ?? false);
    const bytes = Buffer.from(w.buffer.subarray(s, e));
    bytes.writeBigInt64BE(BigInt(b.base), 0); // baseOffset is outside the CRC
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

describe('RecordBatchReader', () => {
  it('decodes RecordBatchWriter batches (plain and gzip, keys, null keys, headers) to exactly the records written', () => {
    const bytes = writerBatches([
      { base: 0, ts: 1_732_300_000_123, records: [['k0', 'v0'], [null, 'v1', { trace: 'abc', 'x-é': 'ü' }], ['k2', '']] },
      { base: 3, ts: 1_732_300_000_456, gzip: true, records: [['k3', 'v3'.repeat(100)], ['k4', 'v4', { h: '1' }]] },
      { base: 5, ts: 1_732_300_000_789, records: [['ключ', 'значение']] },
    ]);
    const { messages, reader } = decode(bytes);
    expect(messages).toEqual([
      msg(0, 'k0', 'v0', 1_732_300_000_123),
      msg(1, null, 'v1', 1_732_300_000_123),
      msg(2, 'k2', '', 1_732_300_000_123),
      msg(3, 'k3', 'v3'.repeat(100), 1_732_300_000_456),
      msg(4, 'k4', 'v4', 1_732_300_000_456),
      msg(5, 'ключ', 'значение', 1_732_300_000_789),
    ]);
    expect(reader.nextOffset).toBe(6);
    expect(reader.truncated).toBe(false);
    expect(reader.batches).toBe(3);
  });

  it('gives uncompressed keys and values as views of the fetched buffer (no copy)', () => {
    const bytes = writerBatches([{ base: 0, ts: 1, records: [['key', 'value']] }]);
    const out: LeanMessage[] = [];
    new RecordBatchReader().read(range(bytes), 0, out, 0);
    expect(out[0].value?.buffer).toBe(bytes.buffer);
    bytes[bytes.length - 2] = 'E'.charCodeAt(0); // the value's last byte (then the header count)
    expect(out[0].value?.toString()).toBe('valuE');
  });

  it('hands out keys and values that are Buffers in every respect callers check (isBuffer, instanceof, constructor, methods, subarray)', () => {
    const bytes = writerBatches([{ base: 0, ts: 1, gzip: true, records: [['key-1', '{"a":1}']] }]);
    const out: LeanMessage[] = [];
    new RecordBatchReader().read(range(bytes), 0, out, 0);
    const { key, value } = out[0];
    for (const b of [key!, value!]) {
      expect(Buffer.isBuffer(b)).toBe(true);
      expect(b instanceof Buffer).toBe(true);
      expect(b.constructor).toBe(Buffer);
      expect(b.subarray(1, 3)).toBeInstanceOf(Buffer);
      expect(Buffer.concat([b, Buffer.from('!')]).toString()).toBe(`${b.toString()}!`);
    }
    expect([key!.toString('utf8'), key!.equals(Buffer.from('key-1')), key!.readUInt8(0), value!.toString('latin1', 2, 3), JSON.parse(value!.toString())]).toEqual(['key-1', true, 0x6b, 'a', { a: 1 }]);
  });

  it('adds timestamp deltas (also negative) to the first timestamp, keeps offset gaps of a compacted batch, and null values', () => {
    const records: FixtureRecord[] = [
      { offsetDelta: 0, timestampDelta: 0, key: 'a', value: '1' },
      { offsetDelta: 2, timestampDelta: 5000, key: 'b', value: null, headers: [['h', null], ['', 'v']] },
      { offsetDelta: 7, timestampDelta: -3, key: null, value: '3' },
      { offsetDelta: 8, timestampDelta: 3_000_000_000, key: 'd', value: '4' }, // a varlong beyond 32 bits
    ];
    const bytes = encodeBatch({ baseOffset: 100n, firstTimestamp: 1_700_000_000_000n, lastOffsetDelta: 9, records });
    const { messages, reader } = decode(bytes, 100);
    expect(messages).toEqual([
      msg(100, 'a', '1', 1_700_000_000_000),
      msg(102, 'b', null, 1_700_000_005_000),
      msg(107, null, '3', 1_699_999_999_997),
      msg(108, 'd', '4', 1_703_000_000_000),
    ]);
    expect(reader.nextOffset).toBe(110); // lastOffsetDelta 9: one past the batch, not past the last record
  });

  it('gives every record of a LogAppendTime batch (attributes bit 3) the max timestamp', () => {
    const bytes = encodeBatch({
      baseOffset: 10n,
      attributes: 0x08,
      firstTimestamp: 1_000n,
      maxTimestamp: 1_732_000_000_999n,
      records: [
        { timestampDelta: 0, key: 'a', value: 'x' },
        { timestampDelta: 7, key: 'b', value: 'y' },
      ],
    });
    expect(decode(bytes, 10).messages.map((m) => m.timestamp)).toEqual([1_732_000_000_999, 1_732_000_000_999]);
  });

  it('drops the records below the fetch offset (a gzip batch comes whole) and returns the rest', () => {
    const bytes = writerBatches([
      { base: 20, ts: 5, gzip: true, records: [['a', '0'], ['b', '1'], ['c', '2'], ['d', '3']] },
      { base: 24, ts: 6, records: [['e', '4']] },
    ]);
    const { messages, reader } = decode(bytes, 22);
    expect(messages.map((m) => [m.offset, m.key])).toEqual([
      ['22', 'c'],
      ['23', 'd'],
      ['24', 'e'],
    ]);
    expect(reader.nextOffset).toBe(25);
  });

  it('skips control batches and moves the next offset past them', () => {
    const bytes = Buffer.concat([
      encodeBatch({ baseOffset: 0n, attributes: 0x10, producerId: 7n, records: [{ key: 'a', value: '1' }] }),
      encodeMarker(1n, 7n, 'commit'),
    ]);
    const { messages, reader } = decode(bytes, 0, null);
    expect(messages.map((m) => m.offset)).toEqual(['0']);
    expect(reader.nextOffset).toBe(2);
  });

  describe('read_committed', () => {
    const P1 = 1000n;
    const P2 = (5n << 32n) + 17n; // a producer id with a non-zero upper half
    const txn = (base: bigint, pid: bigint, keys: string[]) =>
      encodeBatch({ baseOffset: base, attributes: 0x10, producerId: pid, producerEpoch: 0, records: keys.map((k) => ({ key: k, value: k })) });
    const log = Buffer.concat([
      txn(0n, P1, ['p1-a', 'p1-b', 'p1-c']), // 0–2, aborted
      txn(3n, P2, ['p2-a', 'p2-b']), // 3–4, committed
      encodeMarker(5n, P1, 'abort'),
      encodeMarker(6n, P2, 'commit'),
      encodeBatch({ baseOffset: 7n, producerId: 3n, producerEpoch: 0, records: [{ key: 'idem', value: 'x' }] }), // idempotent, not transactional
      txn(8n, P1, ['p1-d', 'p1-e']), // 8–9, aborted (second transaction of P1)
      encodeMarker(10n, P1, 'abort'),
      txn(11n, P1, ['p1-f']), // committed
      encodeMarker(12n, P1, 'commit'),
      encodeBatch({ baseOffset: 13n, records: [{ key: 'plain', value: 'y' }] }),
    ]);

    it('drops the batches of aborted transactions (Java CompletedFetch algorithm), keeps committed and non-transactional ones', () => {
      const { messages, reader } = decode(log, 0, abortedOf([[P1, 8n], [P1, 0n]])); // any order
      expect(messages.map((m) => m.key)).toEqual(['p2-a', 'p2-b', 'idem', 'p1-f', 'plain']);
      expect(messages.map((m) => m.offset)).toEqual(['3', '4', '7', '11', '13']);
      expect(reader.nextOffset).toBe(14);
    });

    it('keeps everything but the markers without aborted transactions (read_uncommitted)', () => {
      expect(decode(log, 0, null).messages.map((m) => m.key)).toEqual(['p1-a', 'p1-b', 'p1-c', 'p2-a', 'p2-b', 'idem', 'p1-d', 'p1-e', 'p1-f', 'plain']);
    });

    it('does not drop a producer whose aborted transaction starts after the batch', () => {
      // P1's batch 0–2 is committed here; its aborted transaction is the one at 8
      expect(decode(log, 0, abortedOf([[P1, 8n]])).messages.map((m) => m.key)).toEqual(['p1-a', 'p1-b', 'p1-c', 'p2-a', 'p2-b', 'idem', 'p1-f', 'plain']);
    });

    it("applies an aborted transaction once its first offset is at or below a batch's last offset (not its base offset), as Java does", () => {
      const batch = txn(0n, P1, ['x', 'y', 'z']); // offsets 0–2
      expect(decode(batch, 0, abortedOf([[P1, 2n]])).messages).toEqual([]);
      expect(decode(batch, 0, abortedOf([[P1, 3n]])).messages.map((m) => m.key)).toEqual(['x', 'y', 'z']);
    });

    it('matches producer ids on both 32-bit halves', () => {
      const aborted = abortedOf([[P2, 3n]]);
      expect(decode(log, 0, aborted).messages.map((m) => m.key)).toEqual(['p1-a', 'p1-b', 'p1-c', 'idem', 'p1-d', 'p1-e', 'p1-f', 'plain']);
      const other = abortedOf([[17n, 3n]]); // same low half as P2, different producer
      expect(decode(log, 0, other).messages).toHaveLength(10);
    });

    it('starts each read with an empty aborted set (the reader is reused across partitions)', () => {
      const reader = new RecordBatchReader();
      decode(txn(0n, P1, ['x']), 0, abortedOf([[P1, 0n]]), reader); // P1 aborted, no marker in this fetch
      expect(decode(txn(1n, P1, ['y']), 1, abortedOf([]), reader).messages.map((m) => m.key)).toEqual(['y']);
    });
  });

  it('ignores a trailing partial batch and says where the next fetch starts', () => {
    const whole = writerBatches([
      { base: 40, ts: 1, records: [['a', '1'], ['b', '2']] },
      { base: 42, ts: 1, records: [['c', '3']] },
    ]);
    const firstEnd = whole.readInt32BE(8) + 12;
    for (const cut of [firstEnd + 5, firstEnd + 20, whole.length - 1]) {
      const { messages, reader } = decode(whole.subarray(0, cut), 40);
      expect(messages.map((m) => m.offset)).toEqual(['40', '41']);
      expect(reader.truncated).toBe(true);
      expect(reader.nextOffset).toBe(42);
    }
    const { messages, reader } = decode(whole.subarray(0, 30), 40); // not even one whole batch
    expect(messages).toEqual([]);
    expect(reader.truncated).toBe(true);
    expect(reader.nextOffset).toBe(40);
  });

  it('gives each message its offset as a number (offsetValue) and as the decimal string, also when a message object is reused by a later read', () => {
    const reader = new RecordBatchReader();
    const out: LeanMessage[] = [];
    const first = encodeBatch({ baseOffset: 40n, records: [0, 1, 2].map((i) => ({ key: `k${i}`, value: 'v' })) });
    reader.read(range(first), 40, out, 0);
    expect(out.map((m) => [m.offsetValue, m.offset])).toEqual([[40, '40'], [41, '41'], [42, '42']]);
    const second = encodeBatch({ baseOffset: 9000n, records: [0, 1].map((i) => ({ key: `k${i}`, value: 'v' })) });
    const n = reader.read(range(second), 9000, out, 0); // the same objects, refilled
    expect(n).toBe(2);
    expect(out.slice(0, n).map((m) => [m.offsetValue, m.offset])).toEqual([[9000, '9000'], [9001, '9001']]);
    const fresh = new LeanMessage();
    expect([fresh.offsetValue, fresh.offset]).toEqual([0, '0']);
  });

  it('computes offsets up to 2^53 − 1 exactly and rejects 2^53', () => {
    const max = 2n ** 53n - 1n;
    const near = encodeBatch({ baseOffset: max - 2n, records: [0, 1, 2].map((i) => ({ key: `k${i}`, value: 'v' })) });
    const { messages, reader } = decode(near, Number(max - 2n));
    expect(messages.map((m) => m.offset)).toEqual([String(max - 2n), String(max - 1n), String(max)]);
    expect(reader.nextOffset).toBe(2 ** 53);
    const crossing = encodeBatch({ baseOffset: max - 1n, records: [0, 1, 2].map((i) => ({ key: `k${i}`, value: 'v' })) });
    expect(() => decode(crossing, 0)).toThrow(/offset 9007199254740992 of events-3 is 2\^53 or more/);
    const beyond = encodeBatch({ baseOffset: 2n ** 53n, records: [{ key: 'k', value: 'v' }] });
    expect(() => decode(beyond, 0)).toThrow(/offset 9007199254740992 of events-3 is 2\^53 or more/);
  });

  it('rejects a batch whose CRC-32C does not match, naming topic, partition and base offset', () => {
    const bytes = writerBatches([{ base: 77, ts: 1, records: [['a', 'hello']] }]);
    bytes[bytes.length - 3] ^= 0x01;
    expect(() => decode(bytes, 77)).toThrow(/record batch at offset 77 of events-3 is corrupt: its CRC-32C is 0x[0-9a-f]{8} but the batch says 0x[0-9a-f]{8}/);
    // with checkCrcs off the (flipped) value comes through
    expect(decode(bytes, 77, null, new RecordBatchReader({ checkCrcs: false })).messages[0].value).toBe('helmo');
  });

  it('rejects a record whose length runs past its batch even with CRC checks off', () => {
    const bytes = writerBatches([{ base: 0, ts: 1, records: [['a', 'hello']] }]);
    bytes[61] = 0x7e; // record length varint: 63
    expect(() => decode(bytes, 0, null, new RecordBatchReader({ checkCrcs: false }))).toThrow(/offset 0 of events-3 is corrupt: record 0 has length 63, beyond the batch/);
  });

  it.each([
    [2, 'snappy'],
    [3, 'lz4'],
    [4, 'zstd'],
  ])('rejects codec %i naming it (%s)', (codec, name) => {
    const bytes = encodeBatch({ baseOffset: 5n, attributes: codec, records: [{ key: 'a', value: 'b' }] });
    expect(() => decode(bytes, 5)).toThrow(new RegExp(`offset 5 of events-3 is compressed with ${name}, which the lean consumer cannot decompress`));
  });

  it('rejects message format v1', () => {
    const bytes = encodeBatch({ records: [{ key: 'a', value: 'b' }] });
    bytes[16] = 1;
    expect(() => decode(bytes, 0, null, new RecordBatchReader({ checkCrcs: false }))).toThrow(/has message format v1; the lean consumer reads only v2/);
  });

  it('re-uses the LeanMessage objects of the array it is given and appends at count', () => {
    const reader = new RecordBatchReader();
    const out: LeanMessage[] = [];
    const first = writerBatches([{ base: 0, ts: 1, records: [['a', '1'], ['b', '2'], ['c', '3']] }]);
    expect(reader.read(range(first), 0, out, 0)).toBe(3);
    const objects = [...out];
    const second = writerBatches([{ base: 3, ts: 2, records: [['d', '4'], ['e', '5']] }]);
    expect(reader.read(range(second), 3, out, 0)).toBe(2);
    expect(out[0]).toBe(objects[0]);
    expect(out[1]).toBe(objects[1]);
    expect([out[0].offset, out[0].key?.toString(), out[1].offset, out[1].timestamp]).toEqual(['3', 'd', '4', 2]);
    // appending after the messages already there
    expect(reader.read(range(first), 0, out, 2)).toBe(5);
    expect(out.map((m) => m.offset)).toEqual(['3', '4', '0', '1', '2']);
    expect(out[4]).toBeInstanceOf(LeanMessage);
  });

  it('makes key and value as views of the fetched bytes when they are read, not before: equal bytes on every read, null ones as null', () => {
    const bytes = encodeBatch({ records: [{ key: 'k0', value: 'hello' }, { key: null, value: 'no key' }, { key: 'k2', value: null }] });
    const reader = new RecordBatchReader();
    const out: LeanMessage[] = [];
    expect(reader.read(range(bytes), 0, out, 0)).toBe(3);
    const [a, b, c] = out;
    // nothing but numbers and the bytes' reference on the message: no view is held
    expect(Object.values(a).filter((v) => v instanceof Uint8Array && v !== a.bytes)).toEqual([]);
    expect(a.bytes.buffer).toBe(bytes.buffer);
    const v1 = a.value;
    const v2 = a.value;
    expect(v1).not.toBe(v2); // a fresh view on each read …
    expect(v1?.toString()).toBe('hello'); // … of the same bytes, in the fetched memory
    expect(v2?.equals(Buffer.from('hello'))).toBe(true);
    expect(v1?.buffer).toBe(bytes.buffer);
    expect(a.key?.toString()).toBe('k0');
    expect([b.key, b.value?.toString()]).toEqual([null, 'no key']);
    expect([c.key?.toString(), c.value]).toEqual(['k2', null]);
    const fresh = new LeanMessage();
    expect([fresh.key, fresh.value]).toEqual([null, null]);
    // release(): the fetched bytes let go, key and value null, the offset kept
    a.release();
    expect([a.key, a.value, a.bytes.length, a.offset]).toEqual([null, null, 0, '0']);
  });

  it('decodes a byte range inside a larger buffer', () => {
    const batch = writerBatches([{ base: 9, ts: 3, records: [['k', 'v']] }]);
    const big = Buffer.concat([Buffer.from('junk-before'), batch, Buffer.from('junk-after')]);
    const out: LeanMessage[] = [];
    const reader = new RecordBatchReader();
    expect(reader.read(range(big, null, 11, 11 + batch.length), 9, out, 0)).toBe(1);
    expect([out[0].offset, out[0].key?.toString(), out[0].value?.toString()]).toEqual(['9', 'k', 'v']);
    expect(reader.truncated).toBe(false);
  });

  it('reports the last batch leader epoch', () => {
    const bytes = Buffer.concat([encodeBatch({ baseOffset: 0n, leaderEpoch: 4, records: [{ key: 'a', value: 'b' }] }), encodeBatch({ baseOffset: 1n, leaderEpoch: 6, records: [{ key: 'c', value: 'd' }] })]);
    expect(decode(bytes).reader.lastEpoch).toBe(6);
  });
});
