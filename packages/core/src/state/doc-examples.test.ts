import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { decodeBase64, decodeSnapshot, decodeState, encodeBase64, encodeSnapshot, encodeState, stateFromJsonValue, stateToJsonValue } from './index.js';

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
});
