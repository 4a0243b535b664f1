import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../state/base64.js';
import { DLQ_UTF8_PREVIEW_CHARS, encodeDlqRecord, type DlqRecordInput } from './encode-dlq-record.js';

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
});
