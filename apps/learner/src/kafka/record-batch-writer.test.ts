import { crc32c as platformaticCrc32c, Reader, readRecordsBatch, readRecordsBatches } from '@platformatic/kafka';
import { crc32c } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { RECORD_BATCH_HEADER_BYTES, RecordBatchWriter } from './record-batch-writer.js';

type Rec = { key: string | Buffer | null; value: string | Buffer; headers?: Record<string, string> };

const bytes = (v: string | Buffer | null): Buffer | null => (v === null ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Writes `records` as one batch and decodes it with @platformatic/kafka's reader. */
function roundTrip(records: readonly Rec[], o: { gzip?: boolean; initialBytes?: number; pid?: [number, number]; epoch?: number; seq?: number; ts?: number } = {}) {
  const w = new RecordBatchWriter(o.initialBytes);
  const [hi, lo] = o.pid ?? [0, 4000];
  const ts = o.ts ?? 1_732_300_000_123;
  const start = w.beginBatch(hi, lo, o.epoch ?? 3, o.seq ?? 17, ts);
  for (const r of records) w.appendRecord(r.key, r.value, r.headers);
  const end = w.endBatch(o.gzip ?? false);
  const raw = Buffer.from(w.buffer.subarray(start, end));
  return { raw, batch: readRecordsBatch(Reader.from(raw)), ts };
}

function expectRecords(records: readonly Rec[], decoded: ReturnType<typeof readRecordsBatch>['records']): void {
  const hex = (b: Buffer | Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));
  const want = records.map((r, i) => ({
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: i,
    key: hex(bytes(r.key)),
    value: hex(bytes(r.value)),
    headers: Object.entries(r.headers ?? {}).map(([k, v]) => [hex(Buffer.from(k)), hex(Buffer.from(v))]),
  }));
  const got = decoded.map((d) => ({
    attributes: d.attributes,
    timestampDelta: d.timestampDelta,
    offsetDelta: d.offsetDelta,
    key: hex(d.key),
    value: hex(d.value ?? Buffer.alloc(0)),
    headers: d.headers.map(([k, v]) => [hex(k ?? Buffer.alloc(0)), hex(v ?? Buffer.alloc(0))]),
  }));
  expect(got).toEqual(want);
}

/** Decodes one record's length prefix and checks it is the minimal zigzag varint of the bytes that follow. */
function recordLengthsAreExact(raw: Buffer): void {
  let p = RECORD_BATCH_HEADER_BYTES;
  while (p < raw.length) {
    let z = 0;
    let shift = 0;
    let n = 0;
    for (;;) {
      const b = raw[p + n++];
      z |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    const len = (z >>> 1) ^ -(z & 1);
    if (n > 1 && raw[p + n - 1] === 0) throw new Error(`padded (non-minimal) record length varint at ${p}`);
    p += n + len;
  }
  expect(p).toBe(raw.length);
}

describe('RecordBatchWriter', () => {
  it('writes a v2 batch whose every header field and record decodes back (@platformatic/kafka readRecordsBatch), CRC-32C over attributes..end', () => {
    const records: Rec[] = [
      { key: Buffer.from('bench-123'), value: '{"id":"bench-123","ts":1732300000000,"z":0.123,"p":0.53,"pCalibrated":0.53,"modelVersion":7,"label":1}' },
      { key: 'e-17', value: Buffer.from([0xff, 0xfe, 0x00]) },
      { key: null, value: 'unkeyed' },
      { key: '', value: '', headers: { 'logit-instance': 'a1b2', 'logit-started': '1732300000000' } },
      { key: Buffer.alloc(100, 7), value: Buffer.alloc(0) },
    ];
    const { raw, batch, ts } = roundTrip(records, { pid: [1, 0x80000001 | 0], epoch: 9, seq: 2_000_000_000 });
    expect(batch.firstOffset).toBe(0n);
    expect(batch.length).toBe(raw.length - 12);
    expect(batch.partitionLeaderEpoch).toBe(-1);
    expect(batch.magic).toBe(2);
    expect(batch.attributes).toBe(0);
    expect(batch.lastOffsetDelta).toBe(records.length - 1);
    expect(batch.firstTimestamp).toBe(BigInt(ts));
    expect(batch.maxTimestamp).toBe(BigInt(ts));
    expect(batch.producerId).toBe((1n << 32n) + 0x80000001n);
    expect(batch.producerEpoch).toBe(9);
    expect(batch.firstSequence).toBe(2_000_000_000);
    expect(batch.crc).toBe(platformaticCrc32c(raw.subarray(21)));
    expect(batch.crc).toBe(crc32c(raw.subarray(21)));
    expectRecords(records, batch.records);
    recordLengthsAreExact(raw);
  });

  it('length prefixes stay minimal varints when UTF-8 needs more bytes than UTF-16 units, at the 1/2/3-byte varint boundaries (63/64, 8191/8192)', () => {
    const records: Rec[] = [];
    for (const units of [0, 1, 31, 32, 33, 63, 64, 4095, 4096, 8191, 8192, 20000]) {
      records.push({ key: 'é'.repeat(units), value: 'a'.repeat(units) }); // 2 bytes per unit vs 1
      records.push({ key: null, value: '€'.repeat(units) }); // 3 bytes per unit
      records.push({ key: '😀'.repeat(units >> 1), value: 'x', headers: { ['h'.repeat(units)]: 'ü'.repeat(units) } }); // 4 bytes per 2 units
    }
    const { raw, batch } = roundTrip(records, { initialBytes: 1024 });
    expectRecords(records, batch.records);
    recordLengthsAreExact(raw);
    expect(batch.crc).toBe(platformaticCrc32c(raw.subarray(21)));
  });

  it('grows its buffer from 1 KiB to hold 5000 records and keeps the earlier batches intact; batches follow each other', () => {
    const w = new RecordBatchWriter(1024);
    const a: Rec[] = Array.from({ length: 5000 }, (_, i) => ({ key: Buffer.from(`k-${i}`), value: `{"id":"k-${i}","p":${i / 5000}}` }));
    const b: Rec[] = Array.from({ length: 7 }, (_, i) => ({ key: `b-${i}`, value: `v-${i}` }));
    const s1 = w.beginBatch(0, 1, 0, 0, 1000);
    for (const r of a) w.appendRecord(r.key, r.value, r.headers);
    const e1 = w.endBatch(false);
    const s2 = w.beginBatch(0, 1, 0, 5000, 2000);
    for (const r of b) w.appendRecord(r.key, r.value, r.headers);
    const e2 = w.endBatch(false);
    expect(s2).toBe(e1);
    expect(w.length).toBe(e2);
    const [b1, b2] = readRecordsBatches(Reader.from(Buffer.from(w.buffer.subarray(s1, e2))));
    expectRecords(a, b1.records);
    expectRecords(b, b2.records);
    expect(b2.firstSequence).toBe(5000);
    expect(b2.firstTimestamp).toBe(2000n);
    w.reset();
    expect(w.length).toBe(0);
  });

  it('a 6 MiB Buffer value grows the buffer to exactly what it needs (no 3× string bound), reset() then returns to the initial size, and the next batch decodes', () => {
    const w = new RecordBatchWriter(262_144);
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    w.beginBatch(0, 1, 0, 0, 1000);
    w.appendRecord(Buffer.from('snap'), big, undefined);
    w.endBatch(false);
    // 6 MiB + header and record overhead: the doubling from 256 KiB stops at 8 MiB (a 3× bound would need 32 MiB).
    expect(w.buffer.length).toBe(8 * 1024 * 1024);
    const old = w.buffer;
    w.reset();
    expect(w.buffer.length).toBe(262_144);
    expect(old.length).toBe(8 * 1024 * 1024); // replaced, not reused: views of it stay valid
    const r: Rec[] = [{ key: 'k', value: 'v' }];
    const s1 = w.beginBatch(0, 1, 0, 1, 2000);
    w.appendRecord(r[0].key, r[0].value, undefined);
    const e1 = w.endBatch(false);
    expectRecords(r, readRecordsBatch(Reader.from(Buffer.from(w.buffer.subarray(s1, e1)))).records);
    w.reset();
    expect(w.buffer.length).toBe(262_144); // a buffer of normal size is kept
  });

  it('gzip: the records are compressed (attributes 1), the header is not, and they decode back', () => {
    const records: Rec[] = Array.from({ length: 200 }, (_, i) => ({ key: `k-${i % 3}`, value: `{"id":"e-${i}","z":0.5}` }));
    const { raw, batch } = roundTrip(records, { gzip: true });
    expect(batch.attributes).toBe(1);
    expect(raw.length).toBeLessThan(200 * 20);
    expect(batch.crc).toBe(platformaticCrc32c(raw.subarray(21)));
    expectRecords(records, batch.records);
  });

  it('endBatch without an open batch or without records throws', () => {
    const w = new RecordBatchWriter();
    expect(() => w.endBatch(false)).toThrow(/no open batch/);
    w.beginBatch(0, 1, 0, 0, 0);
    expect(() => w.endBatch(false)).toThrow(/no open batch/);
  });
});
