import { describe, expect, it } from 'vitest';
import type { OutputRecord } from '../io/types.js';
import { packedBound, packRecords, SINK_WIRE_MAX_TOPICS, unpackRecords } from './sink-wire.js';

const bytesOf = (x: string | Buffer | null): string | null => (x === null ? null : (typeof x === 'string' ? Buffer.from(x, 'utf8') : x).toString('hex'));

describe('packRecords / unpackRecords', () => {
  it('carry topic, key (string, Buffer, null, empty), value (string, Buffer, empty), headers and order byte for byte, within packedBound', () => {
    const records: OutputRecord[] = [
      { topic: 'scores', key: 'e-1', value: Buffer.from('{"id":"e-1","p":0.25}') },
      { topic: 'metrics', key: null, value: '{"events":3}' },
      { topic: 'scores', key: Buffer.from([0, 255, 7]), value: Buffer.alloc(0) },
      { topic: 'events-dlq', key: 'ünïcødé-€-😀', value: 'bad ☃', headers: { reason: 'bad-json', 'x-ü': '€' } },
      { topic: 'scores', key: '', value: '' },
    ];
    // A buffer reused from an earlier, longer send: stale bytes after the end must not matter.
    const buf = new ArrayBuffer(packedBound(records) + 64);
    new Uint8Array(buf).fill(0xab);
    const packed = packRecords(records, buf);
    expect(packed.count).toBe(5);
    expect(packed.topics).toEqual(['scores', 'metrics', 'events-dlq']);
    expect(packed.length).toBeLessThanOrEqual(packedBound(records));
    const back = unpackRecords(packed);
    expect(back).toHaveLength(records.length);
    for (let i = 0; i < records.length; i++) {
      expect(back[i].topic).toBe(records[i].topic);
      expect(bytesOf(back[i].key)).toBe(bytesOf(records[i].key));
      expect(bytesOf(back[i].value)).toBe(bytesOf(records[i].value));
      expect(back[i].headers).toEqual(records[i].headers);
    }
  });

  it('the bound holds for worst-case UTF-8 (3 bytes per UTF-16 unit) and lone surrogates', () => {
    const key = '\u20ac'.repeat(100) + '\ud800';
    const records: OutputRecord[] = [{ topic: 't', key, value: '\uffff'.repeat(50) }];
    const packed = packRecords(records, new ArrayBuffer(packedBound(records)));
    const back = unpackRecords(packed);
    expect(back[0].key).toEqual(Buffer.from(key, 'utf8'));
    expect(back[0].value).toEqual(Buffer.from('\uffff'.repeat(50), 'utf8'));
  });

  it(`refuses a send naming more than ${SINK_WIRE_MAX_TOPICS} topics with a RangeError that says to split it`, () => {
    const records: OutputRecord[] = Array.from({ length: SINK_WIRE_MAX_TOPICS + 1 }, (_, i) => ({ topic: `t${i}`, key: null, value: 'v' }));
    expect(() => packRecords(records, new ArrayBuffer(packedBound(records)))).toThrow(/more than 255 topics; split it/);
    expect(unpackRecords(packRecords(records.slice(0, SINK_WIRE_MAX_TOPICS), new ArrayBuffer(packedBound(records))))[254].topic).toBe('t254');
  });
});
