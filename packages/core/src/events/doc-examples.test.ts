import { describe, expect, it } from 'vitest';
import { FeatureSpace } from '../features/index.js';
import { encodeDlqRecord, EventDecoder } from './index.js';

/** The @example blocks of this folder's doc comments, run as written. */
describe('events doc examples', () => {
  it('EventDecoder', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
    const ev = decoder.newEvent();
    expect(decoder.decode(new TextEncoder().encode('{"id":"e-1","features":{"age":0.3},"label":1}'), ev)).toBeNull();
    expect(ev.label).toBe(1);
    expect(decoder.decodeObject({ id: 'e-17', features: [1], label: 1.7 }, ev)).toEqual({
      code: 'label-range',
      reason: 'label 1.7 is outside [0,1] (event e-17)',
    });
    expect(ev.x.capacity).toBe(decoder.maxFeatures);
  });

  it('EventDecoder.decodeObject with a typed array', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim: 2 }) });
    const ev = decoder.newEvent();
    expect(decoder.decodeObject({ id: 'r-3', features: new Float64Array([0.1, 2]), label: 0 }, ev)).toBeNull();
  });

  it('encodeDlqRecord', () => {
    expect(
      encodeDlqRecord({
        value: new TextEncoder().encode('{'),
        key: 'k',
        topic: 'events',
        partition: 0,
        offset: '7',
        rejection: { code: 'bad-json', reason: '…' },
        ts: 0,
      }),
    ).toBe(
      '{"error":{"code":"bad-json","reason":"…"},"source":{"topic":"events","partition":0,"offset":"7"},"key":"k","value":"ew==","valueBytes":1,"valueUtf8":"{","ts":0}',
    );
  });
});
