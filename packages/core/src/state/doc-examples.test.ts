import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { writeStateObject, writeStateValue } from './canonical-state-writer.js';
import {
  base64Length,
  crc32c,
  crc32cWithRuns,
  decodeBase64,
  decodeSnapshot,
  decodeState,
  encodeBase64,
  encodeBase64Into,
  encodeSnapshot,
  encodeSnapshotBytes,
  encodeState,
  stateFromJsonValue,
  stateToJsonValue,
} from './index.js';
import { JsonBytesWriter } from './json-bytes-writer.js';
import { bytesOf } from './state-codec.js';

/** The @example blocks of this folder's doc comments, run as written. */
describe('state doc examples', () => {
  it('base64', () => {
    expect(encodeBase64(new TextEncoder().encode('hi!'))).toBe('aGkh');
    expect(new TextDecoder().decode(decodeBase64('aGkh'))).toBe('hi!');
  });

  it('state codec', () => {
    expect(stateToJsonValue({ w: new Float64Array([1]), b: -0 })).toEqual({ w: { $f64: 'AAAAAAAA8D8=' }, b: { $num: '-0' } });
    const back = decodeState(encodeState({ n: 3, w: new Float64Array([0.5, -0]) }));
    expect(back.n).toBe(3);
    expect(Object.is((back.w as Float64Array)[1], -0)).toBe(true);
    const d = decodeState('{"b":{"$num":"-0"},"w":{"$f64":"AAAAAAAA8D8="}}');
    expect(Object.is(d.b, -0)).toBe(true);
    expect(Array.from(d.w as Float64Array)).toEqual([1]);
    expect(stateFromJsonValue({ n: { $num: 'NaN' } }).n).toBeNaN();
  });

  it('snapshot', () => {
    const text = encodeSnapshot({
      learnerId: 'l-0',
      createdAt: 0,
      offsets: [{ topic: 'events', partition: 0, next: '42' }],
      state: { w: new Float64Array([0.5]) },
      config: { bits: 18 },
    });
    expect(decodeSnapshot(text).offsets[0].next).toBe('42');
    expect(() => decodeSnapshot('{"format":"logit-stream/snapshot","version":2}')).toThrow(CoreError);
    expect(() => decodeSnapshot('{"format":"logit-stream/snapshot","version":2}')).toThrow(/snapshot version 2 is newer/);
  });

  it('byte-level writers', () => {
    expect(base64Length(4)).toBe(8);
    const out = new Uint8Array(4);
    expect(encodeBase64Into(new TextEncoder().encode('hi!'), out, 0)).toBe(4);
    expect(new TextDecoder().decode(out)).toBe('aGkh');
    const b = new TextEncoder().encode('x' + 'A'.repeat(10000) + 'y');
    expect(crc32cWithRuns(b, [1, 10001])).toBe(crc32c(b));
    const p = { learnerId: 'l-0', createdAt: 0, offsets: [], state: { w: new Float64Array(4) }, config: null };
    expect(new TextDecoder().decode(encodeSnapshotBytes(p))).toBe(encodeSnapshot(p));
    const w = new JsonBytesWriter();
    w.canonical({ b: [1, 'x'], a: null });
    expect(new TextDecoder().decode(w.bytes())).toBe('{"a":null,"b":[1,"x"]}');
    const s = new JsonBytesWriter();
    writeStateObject(s, { w: new Float64Array([1]), b: -0 }, 0, false);
    expect(new TextDecoder().decode(s.bytes())).toBe('{"b":{"$num":"-0"},"w":{"$f64":"AAAAAAAA8D8="}}');
    const v = new JsonBytesWriter();
    writeStateValue(v, NaN, 1, false);
    expect(new TextDecoder().decode(v.bytes())).toBe('{"$num":"NaN"}');
    expect(Array.from(bytesOf(new Float64Array([1]), 8))).toEqual([0, 0, 0, 0, 0, 0, 240, 63]);
  });
});
