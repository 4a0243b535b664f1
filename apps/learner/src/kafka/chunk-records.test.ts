import { describe, expect, it } from 'vitest';
import { chunkRecords, recordBytes, SINK_MAX_REQUEST_BYTES } from './chunk-records.js';

const rec = (i: number, size: number) => ({ topic: 't', key: `k${i}`, value: 'v'.repeat(size) });

describe('chunkRecords', () => {
  it('counts key, value (UTF-8 bytes), headers and 70 bytes of framing', () => {
    expect(recordBytes({ topic: 't', key: 'k', value: 'v' })).toBe(72);
    expect(recordBytes({ topic: 't', key: null, value: Buffer.alloc(10), headers: { a: 'é' } })).toBe(70 + 10 + 1 + 2 + 8);
    expect(recordBytes({ topic: 't', key: Buffer.alloc(3), value: 'ü' })).toBe(70 + 3 + 2);
  });

  it('keeps the order and puts every record in exactly one chunk of at most maxBytes (a larger one alone)', () => {
    const records = [rec(0, 100), rec(1, 100), rec(2, 1000), rec(3, 100), rec(4, 100), rec(5, 100)];
    const chunks = chunkRecords(records, 400);
    expect(chunks.map((c) => c.map((r) => r.key))).toEqual([['k0', 'k1'], ['k2'], ['k3', 'k4'], ['k5']]);
    for (const c of chunks) if (c.length > 1) expect(c.reduce((s, r) => s + recordBytes(r), 0)).toBeLessThanOrEqual(400);
  });

  it('returns the input itself when it fits, and nothing for no records', () => {
    const records = [rec(0, 10), rec(1, 10)];
    const chunks = chunkRecords(records);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(records);
    expect(chunkRecords([])).toEqual([]);
  });

  it('bounds 700 DLQ-sized records (~90 KB each) to requests under the broker default of 1 MiB', () => {
    const records = Array.from({ length: 700 }, (_, i) => rec(i, 90_000));
    const chunks = chunkRecords(records);
    expect(chunks.flat()).toHaveLength(700);
    for (const c of chunks) expect(c.reduce((s, r) => s + recordBytes(r), 0)).toBeLessThanOrEqual(SINK_MAX_REQUEST_BYTES);
  });
});
