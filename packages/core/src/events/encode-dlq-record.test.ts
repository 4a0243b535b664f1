import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../state/base64.js';
import { DLQ_MAX_KEY_BYTES, DLQ_MAX_VALUE_BYTES, DLQ_UTF8_PREVIEW_CHARS, encodeDlqRecord, type DlqRecordInput } from './encode-dlq-record.js';

const enc = new TextEncoder();
const input = (o: Partial<DlqRecordInput> = {}): DlqRecordInput => ({
  value: enc.encode('{"id":"e-17","features":{},"label":1.7}'),
  key: 'e-17',
  topic: 'events',
  partition: 2,
  offset: '42',
  rejection: { code: 'label-range', reason: 'label 1.7 is outside [0,1] (event e-17)' },
  ts: 1732300000000,
  ...o,
});

describe('encodeDlqRecord', () => {
  it('writes the documented fields in order, with the original bytes in base64', () => {
    const text = encodeDlqRecord(input());
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['error', 'source', 'key', 'value', 'valueBytes', 'valueUtf8', 'ts']);
    expect(doc.error).toEqual({ code: 'label-range', reason: 'label 1.7 is outside [0,1] (event e-17)' });
    expect(doc.source).toEqual({ topic: 'events', partition: 2, offset: '42' });
    expect(doc.key).toBe('e-17');
    expect(new TextDecoder().decode(decodeBase64(doc.value))).toBe('{"id":"e-17","features":{},"label":1.7}');
    expect(doc.valueBytes).toBe(39);
    expect(doc.valueUtf8).toBe('{"id":"e-17","features":{},"label":1.7}');
    expect(doc.ts).toBe(1732300000000);
  });

  it('keeps invalid UTF-8 values exactly in base64 and leaves out the preview', () => {
    const raw = new Uint8Array([0x7b, 0xff, 0x00, 0xc3]);
    const doc = JSON.parse(encodeDlqRecord(input({ value: raw, rejection: { code: 'bad-utf8', reason: 'x' } })));
    expect(Array.from(decodeBase64(doc.value))).toEqual([0x7b, 0xff, 0x00, 0xc3]);
    expect('valueUtf8' in doc).toBe(false);
  });

  it('handles byte keys (valid and invalid UTF-8), tombstones, numeric offsets and unknown sources', () => {
    const a = JSON.parse(encodeDlqRecord(input({ key: enc.encode('ü') })));
    expect(a.key).toBe('ü');
    expect('keyBase64' in a).toBe(false);
    const b = JSON.parse(encodeDlqRecord(input({ key: new Uint8Array([0xff]) })));
    expect(b.key).toBeNull();
    expect(b.keyBase64).toBe('/w==');
    const c = JSON.parse(encodeDlqRecord(input({ value: null, key: null, topic: null, partition: null, offset: 17 })));
    expect([c.value, c.valueBytes, c.key]).toEqual([null, null, null]);
    expect(c.source).toEqual({ topic: null, partition: null, offset: '17' });
  });

  it('encodes only the bytes of a Buffer slice (kafkajs values share a pool)', () => {
    const pool = Buffer.from('xx{bad}yy');
    const doc = JSON.parse(encodeDlqRecord(input({ value: pool.subarray(2, 7), key: pool.subarray(0, 2) })));
    expect(doc.value).toBe(Buffer.from('{bad}').toString('base64'));
    expect(doc.key).toBe('xx');
  });

  it('truncates the UTF-8 preview without splitting a surrogate pair', () => {
    const text = 'a'.repeat(DLQ_UTF8_PREVIEW_CHARS - 1) + '😀tail';
    const doc = JSON.parse(encodeDlqRecord(input({ value: enc.encode(text) })));
    expect(doc.valueUtf8).toBe('a'.repeat(DLQ_UTF8_PREVIEW_CHARS - 1));
    expect(doc.valueUtf8Truncated).toBe(true);
    expect(new TextDecoder().decode(decodeBase64(doc.value))).toBe(text); // the value itself is complete
  });

  it('cuts the stored value at maxValueBytes and says so', () => {
    const doc = JSON.parse(encodeDlqRecord(input({ maxValueBytes: 4 })));
    expect(new TextDecoder().decode(decodeBase64(doc.value))).toBe('{"id');
    expect(doc.valueBytes).toBe(39);
    expect(doc.valueTruncated).toBe(true);
  });

  it('by default keeps 256 KiB of a near-1-MiB value, so the record stays under the broker default of 1 MiB', () => {
    const value = new Uint8Array(1_000_000).fill(0x61);
    const text = encodeDlqRecord(input({ value, rejection: { code: 'too-large', reason: 'x' } }));
    expect(text.length).toBeLessThan(400_000); // 256 KiB as base64 (349 528) + a 2048-character preview + fields
    const doc = JSON.parse(text);
    expect(decodeBase64(doc.value).length).toBe(DLQ_MAX_VALUE_BYTES);
    expect([doc.valueBytes, doc.valueTruncated, doc.valueUtf8Truncated]).toEqual([1_000_000, true, true]);
    // Infinity keeps everything
    expect(decodeBase64(JSON.parse(encodeDlqRecord(input({ value, maxValueBytes: Infinity }))).value).length).toBe(1_000_000);
  });

  it('cuts long keys at maxKeyBytes (default 1024) and records their full length', () => {
    const long = new Uint8Array(5000).fill(0x6b);
    const a = JSON.parse(encodeDlqRecord(input({ key: long })));
    expect(a.key).toBe('k'.repeat(DLQ_MAX_KEY_BYTES));
    expect([a.keyBytes, a.keyTruncated]).toEqual([5000, true]);
    const b = JSON.parse(encodeDlqRecord(input({ key: new Uint8Array(10).fill(0xff), maxKeyBytes: 3 })));
    expect([b.key, b.keyBase64, b.keyBytes, b.keyTruncated]).toEqual([null, '////', 10, true]);
    const c = JSON.parse(encodeDlqRecord(input({ key: 'abcdef', maxKeyBytes: 2 })));
    expect([c.key, c.keyBytes, c.keyTruncated]).toEqual(['ab', 6, true]);
    const d = JSON.parse(encodeDlqRecord(input({ key: 'abc', maxKeyBytes: 3 })));
    expect(['keyBytes' in d, 'keyTruncated' in d]).toEqual([false, false]);
  });
});
