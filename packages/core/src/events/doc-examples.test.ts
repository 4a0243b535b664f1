import { describe, expect, it } from 'vitest';
import { FeatureSpace } from '../features/index.js';
import {
  binaryEventSize,
  BinaryEventDecoder,
  eiselLemire,
  encodeBinaryEvent,
  encodeBinaryEventInto,
  encodeDlqRecord,
  encodeScoreInto,
  EventDecoder,
  firstInvalidUtf8,
  JsonEventScanner,
  MAX_ID_LENGTH,
  MAX_TS,
  scoreBytesBound,
  writeJsNumber,
} from './index.js';

/** The @example blocks of this folder's doc comments, run as written. */
describe('events doc examples', () => {
  it('eiselLemire', () => {
    const out = new Float64Array(1);
    expect(eiselLemire(new Uint32Array([1, 0x200000]), 0, out)).toBe(true);
    expect(out[0]).toBe(9007199254740992);
    expect(eiselLemire(new Uint32Array([7, 0]), -30, out)).toBe(true);
    expect(out[0]).toBe(7e-30);
  });

  it('writeJsNumber', () => {
    const b = new Uint8Array(32);
    const end = writeJsNumber(0.1 + 0.2, b, 0);
    expect(end).toBe(19);
    expect(new TextDecoder().decode(b.subarray(0, end))).toBe('0.30000000000000004');
  });

  it('encodeScoreInto, scoreBytesBound', () => {
    expect(scoreBytesBound('e-17', undefined)).toBe(239);
    const b = new Uint8Array(256);
    const end = encodeScoreInto({ id: 'e-17', ts: 1732300000000, z: 0.5, p: 0.6224593312018546, pCalibrated: 0.6, modelVersion: 3, label: 1 }, undefined, b, 0);
    expect(new TextDecoder().decode(b.subarray(0, end))).toBe(
      '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1}',
    );
  });

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

  it('encodeBinaryEvent, binaryEventSize, encodeBinaryEventInto, BinaryEventDecoder', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
    const ev = decoder.newEvent();
    const bytes = encodeBinaryEvent({ id: 'e-17', ts: 1732300000000, features: { age: 0.3 }, label: 1 });
    expect(bytes[0]).toBe(0xb1);
    expect(decoder.decode(bytes, ev)).toBeNull();
    expect([ev.id, ev.label]).toEqual(['e-17', 1]);
    expect(binaryEventSize({ id: 'e-1', features: [0.5, 1] })).toBe(29);
    const events = [{ id: 'a', features: [1] }, { id: 'b', features: { x: 2 } }];
    const buf = new Uint8Array(4096);
    let at = 0;
    for (const e of events) at += encodeBinaryEventInto(e, buf, at);
    expect(at).toBe(binaryEventSize(events[0]) + binaryEventSize(events[1]));
    const d = new BinaryEventDecoder({ space: decoder.space, maxFeatures: decoder.maxFeatures, maxIdLength: MAX_ID_LENGTH, maxTs: MAX_TS, decodeObject: (v, e) => decoder.decodeObject(v, e) });
    expect(d.decode(encodeBinaryEvent({ id: 'e-1', features: { a: 1 } }), ev)).toBeNull();
  });

  it('JsonEventScanner', () => {
    const space = new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 });
    const ev = new EventDecoder({ space }).newEvent();
    const scanner = new JsonEventScanner({ space, maxFeatures: 1000, maxIdLength: 256, maxTs: 8.64e15 });
    expect(scanner.scan(new TextEncoder().encode('{"id":"e-1","features":{"age":0.3},"label":1}'), ev)).toBe(true);
    expect(scanner.scan(new TextEncoder().encode('{"id":"e\\u0031","features":{}}'), ev)).toBe(false);
  });

  it('firstInvalidUtf8 over a range', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0x28]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0xa9]), 0, 2)).toBe(1);
  });
});
