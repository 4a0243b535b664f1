import { murmur3 } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { FeatureSpace } from '../features/index.js';
import { EventDecoder, RAW_COUNT_MIN_BYTES } from './event-decoder.js';
import { DecodedEvent, type Rejection } from './types.js';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const hashed = (o: { maxFeatures?: number; maxBytes?: number } = {}) =>
  new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }), ...o });
const dense = (dim: number) => new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim }) });

function decodeText(d: EventDecoder, text: string): Rejection | null {
  return d.decode(bytes(text), d.newEvent());
}

describe('EventDecoder: accepted events', () => {
  it('decodes a full event with named features (hashed by murmur3 & (2^18 − 1))', () => {
    const d = hashed();
    const e = d.newEvent();
    const r = d.decode(bytes('{"id":"e-17","ts":1732300000000,"features":{"age":0.3,"word:free":1},"label":0.85,"trusted":true,"sourceLabel":0}'), e);
    expect(r).toBeNull();
    expect(e.id).toBe('e-17');
    expect(e.ts).toBe(1732300000000);
    expect(e.label).toBe(0.85);
    expect(e.trusted).toBe(true);
    expect(e.sourceLabel).toBe(0);
    expect(e.x.nnz).toBe(2);
    const got = new Map([[e.x.idx[0], e.x.val[0]], [e.x.idx[1], e.x.val[1]]]);
    expect(got).toEqual(new Map([[murmur3('age', 0) & 262143, 0.3], [murmur3('word:free', 0) & 262143, 1]]));
  });

  it('decodes a dense array into indices 0..d−1 (explicit zeros kept) and resets optional fields', () => {
    const d = dense(3);
    const e = d.newEvent();
    expect(d.decode(bytes('{"id":"a","features":[1,2,3],"label":1,"trusted":true,"sourceLabel":1,"ts":5}'), e)).toBeNull();
    expect(d.decode(bytes('{"id":"b","features":[0.5,0,-2]}'), e)).toBeNull();
    expect([e.id, e.ts, e.label, e.trusted, e.sourceLabel]).toEqual(['b', null, null, false, null]);
    expect(e.x.nnz).toBe(3);
    expect(Array.from(e.x.idx.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(e.x.val.subarray(0, 3))).toEqual([0.5, 0, -2]);
  });

  it('accepts a dense array in a hashed space (element i → slot i) and named indices in a dense space', () => {
    const h = hashed();
    const e = h.newEvent();
    expect(h.decode(bytes('{"id":"a","features":[7,8]}'), e)).toBeNull();
    expect(Array.from(e.x.idx.subarray(0, 2))).toEqual([0, 1]);
    const d = dense(20);
    const e2 = d.newEvent();
    expect(d.decode(bytes('{"id":"a","features":{"19":0.5,"3":1}}'), e2)).toBeNull();
    expect(new Map([[e2.x.idx[0], e2.x.val[0]], [e2.x.idx[1], e2.x.val[1]]])).toEqual(new Map([[19, 0.5], [3, 1]]));
  });

  it('sums features whose names collide in a small hashed space (distinct indices out)', () => {
    const d = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 1, seed: 0 }) });
    const e = d.newEvent();
    expect(d.decode(bytes('{"id":"a","features":{"a":1,"b":2,"c":4,"d":8,"e":16}}'), e)).toBeNull();
    const slots = new Set<number>();
    let sum = 0;
    for (let k = 0; k < e.x.nnz; k++) {
      slots.add(e.x.idx[k]);
      sum += e.x.val[k];
    }
    expect(slots.size).toBe(e.x.nnz);
    expect(e.x.nnz).toBeLessThanOrEqual(2);
    expect(sum).toBe(31);
  });

  it('treats null label/ts/trusted/sourceLabel as absent, stores −0 labels as 0, ignores unknown keys', () => {
    const d = hashed();
    const e = d.newEvent();
    expect(d.decode(bytes('{"id":"a","features":{},"label":null,"ts":null,"trusted":null,"sourceLabel":null,"extra":{"deep":[1]}}'), e)).toBeNull();
    expect([e.label, e.ts, e.trusted, e.sourceLabel, e.x.nnz]).toEqual([null, null, false, null, 0]);
    expect(d.decode(bytes('{"id":"a","features":{},"label":-0,"sourceLabel":-0}'), e)).toBeNull();
    expect(Object.is(e.label, 0)).toBe(true);
    expect(Object.is(e.sourceLabel, 0)).toBe(true);
  });

  it('accepts a UTF-8 BOM, non-ASCII names and ids, and label bounds 0 and 1', () => {
    const d = hashed();
    const e = d.newEvent();
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"id":"ü-1","features":{"wört":1},"label":1}')]);
    expect(d.decode(withBom, e)).toBeNull();
    expect(e.id).toBe('ü-1');
    expect(e.x.idx[0]).toBe(murmur3('wört', 0) & 262143);
    expect(d.decode(bytes('{"id":"x","features":{},"label":0}'), e)).toBeNull();
  });

  it('decodes a Node Buffer that is a slice of a shared pool (as kafkajs delivers values)', () => {
    const d = hashed();
    const e = d.newEvent();
    const pool = Buffer.from('xxxx{"id":"k-1","features":{"a":2},"label":0}yyyy');
    const slice = pool.subarray(4, pool.length - 4);
    expect(slice.byteOffset).toBeGreaterThan(0);
    expect(d.decode(slice, e)).toBeNull();
    expect([e.id, e.label, e.x.nnz, e.x.val[0]]).toEqual(['k-1', 0, 1, 2]);
  });

  it('decodeObject accepts typed-array features (synthetic sources) and plain objects', () => {
    const d = dense(2);
    const e = d.newEvent();
    expect(d.decodeObject({ id: 'r-3', features: new Float64Array([0.1, 2]), label: 0 }, e)).toBeNull();
    expect(Array.from(e.x.val.subarray(0, 2))).toEqual([0.1, 2]);
    expect(d.decodeObject({ id: 'r-4', features: new Float64Array([NaN, 2]) }, e)?.code).toBe('non-finite');
  });
});

describe('EventDecoder: boundary sizes', () => {
  it('accepts exactly maxBytes and rejects maxBytes + 1', () => {
    const base = '{"id":"a","features":{}}';
    const d = hashed({ maxBytes: 100 });
    const pad = (n: number) => base.slice(0, -1) + ',"p":"' + 'x'.repeat(n - base.length - 7) + '"}';
    expect(pad(100).length).toBe(100);
    expect(decodeText(d, pad(100))).toBeNull();
    expect(decodeText(d, pad(101))?.code).toBe('too-large');
  });

  it('counts bytes, not characters, for the size limit', () => {
    const d = hashed({ maxBytes: 40 });
    const text = '{"id":"' + 'é'.repeat(12) + '","features":{}}'; // 35 characters, 47 bytes
    expect(text.length).toBe(35);
    expect(bytes(text).length).toBe(47);
    expect(decodeText(d, text)?.code).toBe('too-large');
  });

  it('accepts exactly maxFeatures features (both shapes) and rejects one more', () => {
    const d = hashed({ maxFeatures: 5 });
    const named = (n: number) => JSON.stringify({ id: 'a', features: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i])) });
    const arr = (n: number) => JSON.stringify({ id: 'a', features: Array.from({ length: n }, () => 1) });
    expect(decodeText(d, named(5))).toBeNull();
    expect(decodeText(d, named(6))?.code).toBe('too-many-features');
    expect(decodeText(d, arr(5))).toBeNull();
    expect(decodeText(d, arr(6))?.code).toBe('too-many-features');
  });

  it('rejects too many features on the raw bytes before decoding and parsing, with an exact reason', () => {
    const d = hashed({ maxFeatures: 5 });
    // long enough for the pre-parse count (> 2·maxFeatures + 2 bytes), and the rest of the text is
    // broken: only a count before parsing can name too-many-features instead of bad-utf8 / bad-json
    const note = `"note":"${'n'.repeat(RAW_COUNT_MIN_BYTES)}"`;
    const raw = new Uint8Array([...bytes(`{"id":"a",${note},"features":[1,2,3,4,5,6,`), 0xff, ...bytes('oops')]);
    expect(d.decode(raw, d.newEvent())).toEqual({
      code: 'too-many-features',
      reason:
        'features has more than 5 entries (counted in the message text before parsing), over the limit of 5 (maxFeatures); send fewer features or raise the limit',
    });
    // exactly the limit (plus a trailing-comma typo) is not counted as too many: the parser reports it
    expect(decodeText(d, `{"id":"a",${note},"features":{"a":1,"b":2,"c":3,"d":4,"e":5,}}`)?.code).toBe('bad-json');
    // a short message is counted by the full path (exact count and the event's id)
    expect(decodeText(d, '{"id":"a","features":[1,2,3,4,5,6,7]}')?.reason).toMatch(/^features has 7 entries.*\(event a\)$/);
    // names spelt with escapes are not seen by the pre-parse count; the full path still counts them
    expect(decodeText(d, `{"id":"a",${note},"feat\\u0075res":[1,2,3,4,5,6]}`)?.code).toBe('too-many-features');
  });

  it('parses a deeply nested value (20 000 levels) without throwing', () => {
    const d = hashed();
    const deep = '{"id":"a","features":{},"x":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
    expect(decodeText(d, deep)).toBeNull();
    const open = '{"id":"a","features":{},"x":' + '['.repeat(30_000);
    expect(decodeText(d, open)?.code).toBe('bad-json');
  });

  it('accepts ids of 1 and 256 characters, rejects 0 and 257', () => {
    const d = hashed();
    const withId = (id: string) => JSON.stringify({ id, features: {} });
    expect(decodeText(d, withId('a'))).toBeNull();
    expect(decodeText(d, withId('x'.repeat(256)))).toBeNull();
    expect(decodeText(d, withId(''))?.code).toBe('bad-id');
    expect(decodeText(d, withId('x'.repeat(257)))?.code).toBe('bad-id');
  });

  it('accepts a hashed-space dense array of exactly dim values and rejects dim + 1', () => {
    const d = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 3, seed: 0 }) });
    expect(decodeText(d, JSON.stringify({ id: 'a', features: new Array(8).fill(1) }))).toBeNull();
    expect(decodeText(d, JSON.stringify({ id: 'a', features: new Array(9).fill(1) }))?.code).toBe('dimension-mismatch');
  });
});

describe('EventDecoder: one test per rejection code, exact reasons', () => {
  const cases: [string, string | Uint8Array | null, Rejection, EventDecoder?][] = [
    ['empty', '', { code: 'empty', reason: 'message is empty (0 bytes); send one JSON event object per message' }],
    ['empty (tombstone)', null, { code: 'empty', reason: 'message is empty (0 bytes); send one JSON event object per message' }],
    [
      'too-large',
      '{"id":"a","features":{},"pad":"' + 'x'.repeat(100) + '"}',
      { code: 'too-large', reason: 'message is 133 bytes, over the limit of 64 (maxEventBytes); send fewer features or raise the limit' },
      hashed({ maxBytes: 64 }),
    ],
    [
      'bad-utf8',
      new Uint8Array([0x7b, 0x22, 0x69, 0xc3, 0x28, 0x22]),
      { code: 'bad-utf8', reason: 'message is not valid UTF-8 at byte 3 (0xc3); encode events as UTF-8 JSON' },
    ],
    [
      'bad-json',
      '{"id":"a",}',
      { code: 'bad-json', reason: 'message is not valid JSON at character 10: expected a double-quoted property name, found "}"; send one JSON event object per message' },
    ],
    [
      'bad-json (truncated)',
      '{"id":"a","features":[1,',
      { code: 'bad-json', reason: 'message is not valid JSON at character 24: expected a value, found end of input; send one JSON event object per message' },
    ],
    ['not-an-object', '[1,2]', { code: 'not-an-object', reason: 'event is an array, not a JSON object; send {"id": …, "features": …}' }],
    ['not-an-object (string)', '"e-1"', { code: 'not-an-object', reason: 'event is the string "e-1", not a JSON object; send {"id": …, "features": …}' }],
    [
      'forbidden-key (top level)',
      '{"id":"e-1","__proto__":{"polluted":true},"features":{}}',
      {
        code: 'forbidden-key',
        reason: 'key "__proto__" at the top level is not allowed (__proto__, constructor and prototype are refused to prevent prototype pollution); rename it (event e-1)',
      },
    ],
    [
      'forbidden-key (features)',
      '{"id":"e-1","features":{"a":1,"__proto__":2}}',
      {
        code: 'forbidden-key',
        reason: 'key "__proto__" in features is not allowed (__proto__, constructor and prototype are refused to prevent prototype pollution); rename it (event e-1)',
      },
    ],
    [
      'forbidden-key (nested)',
      '{"id":"e-1","features":{},"meta":{"a":[{"constructor":{"prototype":1}}]}}',
      {
        code: 'forbidden-key',
        reason: 'key "constructor" in "meta" is not allowed (__proto__, constructor and prototype are refused to prevent prototype pollution); rename it (event e-1)',
      },
    ],
    ['bad-id (missing)', '{"features":{}}', { code: 'bad-id', reason: 'event has no "id"; add "id": a string of 1–256 characters' }],
    ['bad-id (number)', '{"id":17,"features":{}}', { code: 'bad-id', reason: 'id 17 is a number; send it as a string ("17")' }],
    ['bad-id (empty)', '{"id":"","features":{}}', { code: 'bad-id', reason: 'id is an empty string; send a string of 1–256 characters' }],
    [
      'bad-id (long)',
      JSON.stringify({ id: 'x'.repeat(300), features: {} }),
      { code: 'bad-id', reason: 'id is 300 characters long, over the limit of 256; send a shorter id (e.g. a hash)' },
    ],
    ['bad-id (null)', '{"id":null,"features":{}}', { code: 'bad-id', reason: 'id is null; send a string of 1–256 characters' }],
    [
      'bad-ts',
      '{"id":"e-1","ts":"2024-11-22T10:00:00Z","features":{}}',
      { code: 'bad-ts', reason: 'ts is the string "2024-11-22T10:00:00Z"; send epoch milliseconds as a number, or null (event e-1)' },
    ],
    [
      'bad-ts (range)',
      '{"id":"e-1","ts":1e16,"features":{}}',
      { code: 'bad-ts', reason: 'ts 10000000000000000 is outside ±8.64e15 ms; send epoch milliseconds (e.g. Date.now()) (event e-1)' },
    ],
    [
      'non-finite (ts)',
      '{"id":"e-1","ts":1e999,"features":{}}',
      { code: 'non-finite', reason: 'ts is Infinity (not a finite number); send epoch milliseconds (event e-1)' },
    ],
    [
      'bad-label (boolean)',
      '{"id":"e-1","features":{},"label":true}',
      { code: 'bad-label', reason: 'label true is a boolean; send 1 (labels are numbers in [0,1], or null for score only) (event e-1)' },
    ],
    [
      'bad-label (string)',
      '{"id":"e-1","features":{},"label":"1"}',
      { code: 'bad-label', reason: 'label is the string "1"; send a number in [0,1], or null for score only (event e-1)' },
    ],
    ['label-range', '{"id":"e-17","features":{},"label":1.7}', { code: 'label-range', reason: 'label 1.7 is outside [0,1] (event e-17)' }],
    ['label-range (negative)', '{"id":"e-17","features":{},"label":-1e-9}', { code: 'label-range', reason: 'label -1e-9 is outside [0,1] (event e-17)' }],
    [
      'non-finite (label)',
      '{"id":"e-1","features":{},"label":-1e999}',
      { code: 'non-finite', reason: 'label is -Infinity (not a finite number); send a number in [0,1] or null (event e-1)' },
    ],
    [
      'bad-trusted',
      '{"id":"e-1","features":{},"trusted":"yes"}',
      { code: 'bad-trusted', reason: 'trusted is the string "yes"; send true, false, or leave it out (event e-1)' },
    ],
    [
      'bad-source-label',
      '{"id":"e-1","features":{},"sourceLabel":2}',
      { code: 'bad-source-label', reason: 'sourceLabel 2 is outside [0,1]; send what the noisy source said, in [0,1], or null (event e-1)' },
    ],
    [
      'bad-source-label (type)',
      '{"id":"e-1","features":{},"sourceLabel":false}',
      { code: 'bad-source-label', reason: 'sourceLabel is false (a boolean); send a number in [0,1], or null (event e-1)' },
    ],
    [
      'non-finite (sourceLabel)',
      '{"id":"e-1","features":{},"sourceLabel":1e999}',
      { code: 'non-finite', reason: 'sourceLabel is Infinity (not a finite number); send a number in [0,1] or null (event e-1)' },
    ],
    [
      'bad-features (missing)',
      '{"id":"e-1"}',
      { code: 'bad-features', reason: 'event has no "features"; add an object of named numbers or an array of numbers (event e-1)' },
    ],
    [
      'bad-features (type)',
      '{"id":"e-1","features":"a=1"}',
      { code: 'bad-features', reason: 'features is the string "a=1"; send an object of named numbers or an array of numbers (event e-1)' },
    ],
    [
      'bad-features (boolean value)',
      '{"id":"e-1","features":{"clicked":true}}',
      { code: 'bad-features', reason: 'feature "clicked" is true (a boolean); send 1 (event e-1)' },
    ],
    [
      'bad-features (null element)',
      '{"id":"e-1","features":[1,null]}',
      { code: 'bad-features', reason: 'features[1] is null; leave the feature out or send a number (event e-1)' },
    ],
    [
      'bad-features (string value)',
      '{"id":"e-1","features":{"age":"31"}}',
      { code: 'bad-features', reason: 'feature "age" is the string "31"; send a finite number (event e-1)' },
    ],
    [
      'non-finite (named feature)',
      '{"id":"e-1","features":{"age":1e999}}',
      { code: 'non-finite', reason: 'feature "age" is Infinity (not a finite number); send a finite number (event e-1)' },
    ],
    [
      'non-finite (dense element)',
      '{"id":"e-1","features":[0,-1e400]}',
      { code: 'non-finite', reason: 'features[1] is -Infinity (not a finite number); send a finite number (event e-1)' },
    ],
    [
      'too-many-features',
      JSON.stringify({ id: 'e-1', features: { a: 1, b: 2, c: 3 } }),
      { code: 'too-many-features', reason: 'features has 3 entries, over the limit of 2 (maxFeatures); send fewer features or raise the limit (event e-1)' },
      hashed({ maxFeatures: 2 }),
    ],
    [
      'dimension-mismatch (dense length)',
      '{"id":"e-1","features":[1,2]}',
      {
        code: 'dimension-mismatch',
        reason: 'features has 2 values but the dense model has 3 columns; send exactly 3 numbers, or named indices "0".."2" (event e-1)',
      },
      dense(3),
    ],
    [
      'dimension-mismatch (name in dense space)',
      '{"id":"e-1","features":{"age":1}}',
      {
        code: 'dimension-mismatch',
        reason: 'feature "age" is not a column of the dense model; use decimal indices "0".."2" as names or an array of 3 numbers (event e-1)',
      },
      dense(3),
    ],
    [
      'dimension-mismatch (index beyond dense dim)',
      '{"id":"e-1","features":{"3":1}}',
      { code: 'dimension-mismatch', reason: 'feature "3" is beyond the dense model\'s 3 columns (0..2) (event e-1)' },
      dense(3),
    ],
    [
      'dimension-mismatch (array longer than hashed space)',
      '{"id":"e-1","features":[1,2,3]}',
      { code: 'dimension-mismatch', reason: 'features has 3 values but the hashed space has only 2 slots; send named features or raise features.bits (event e-1)' },
      new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 1, seed: 0 }) }),
    ],
  ];

  for (const [name, input, expected, decoder] of cases) {
    it(name, () => {
      const d = decoder ?? hashed();
      const e = d.newEvent();
      const got = d.decode(input === null ? null : typeof input === 'string' ? bytes(input) : input, e);
      expect(got).toEqual(expected);
    });
  }

  it('covers every RejectCode', () => {
    const codes = new Set(cases.map((c) => c[2].code));
    expect([...codes].sort()).toEqual(
      [
        'empty', 'too-large', 'bad-utf8', 'bad-json', 'not-an-object', 'forbidden-key', 'bad-id', 'bad-ts', 'bad-features',
        'non-finite', 'too-many-features', 'bad-label', 'label-range', 'bad-trusted', 'bad-source-label', 'dimension-mismatch',
      ].sort(),
    );
  });

  it('checks the size limit before decoding (invalid UTF-8 over the limit is too-large)', () => {
    const d = hashed({ maxBytes: 4 });
    expect(d.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), d.newEvent())?.code).toBe('too-large');
  });

  it('reports too-many-features before looking at any feature value', () => {
    const d = hashed({ maxFeatures: 1 });
    expect(decodeText(d, '{"id":"a","features":{"a":"x","b":1e999}}')?.code).toBe('too-many-features');
  });

  it('reports forbidden keys before any field problem and never pollutes prototypes', () => {
    const d = hashed();
    expect(decodeText(d, '{"id":17,"label":5,"features":{"constructor":1}}')?.code).toBe('forbidden-key');
    expect(decodeText(d, '{"id":"a","features":[1,{"__proto__":{"x":1}}]}')?.reason).toMatch(/^key "__proto__" in features\[1\]/);
    expect(decodeText(d, '{"id":"a","features":{"prototype":1}}')?.code).toBe('forbidden-key');
    expect(decodeText(d, '{"id":"a","features":{},"x":{"__proto__":{"polluted":1}}}')?.code).toBe('forbidden-key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decodeObject rejects a typed array as the event itself', () => {
    const d = hashed();
    expect(d.decodeObject(new Float64Array(2), d.newEvent())).toEqual({
      code: 'not-an-object',
      reason: 'event is a Float64Array, not a JSON object; send {"id": …, "features": …}',
    });
  });

  it('decodeObject rejects a cyclic value instead of looping', () => {
    const d = hashed({ maxBytes: 1000 });
    const meta: Record<string, unknown> = {};
    meta.self = meta;
    expect(d.decodeObject({ id: 'a', features: {}, meta }, d.newEvent())?.code).toBe('bad-json');
  });

  it('ignores inherited properties (polluted Object.prototype is not read)', () => {
    const d = hashed();
    const proto = { label: 5, features: { a: 1 } };
    const v = Object.assign(Object.create(proto), { id: 'a', features: {} });
    const e = d.newEvent();
    expect(d.decodeObject(v, e)).toBeNull();
    expect(e.label).toBeNull();
    expect(e.x.nnz).toBe(0);
  });
});

describe('EventDecoder: programming errors and options', () => {
  it('throws CoreError for an event too small for maxFeatures, and bad options', () => {
    const d = hashed();
    const small = new DecodedEvent(10);
    expect(() => d.decode(bytes('{"id":"a","features":{}}'), small)).toThrow(/capacity 10 is below maxFeatures 1000; create events with decoder.newEvent\(\)/);
    const space = new FeatureSpace({ kind: 'dense', dim: 5 });
    expect(() => new EventDecoder({ space, maxFeatures: 0 })).toThrow(CoreError);
    expect(() => new EventDecoder({ space, maxBytes: 1.5 })).toThrow(/maxEventBytes 1.5 must be an integer ≥ 1/);
    expect(() => new EventDecoder({ space, maxFeatures: 4 })).toThrow(/dense features.dim 5 exceeds maxFeatures 4/);
  });
});

describe('EventDecoder: fuzz (never throws; accepts or returns a Rejection)', () => {
  const codes = new Set([
    'empty', 'too-large', 'bad-utf8', 'bad-json', 'not-an-object', 'forbidden-key', 'bad-id', 'bad-ts', 'bad-features',
    'non-finite', 'too-many-features', 'bad-label', 'label-range', 'bad-trusted', 'bad-source-label', 'dimension-mismatch',
  ]);
  let s = 99;
  const rnd = (k: number) => (s = (s * 1103515245 + 12345) >>> 0) % k;

  function check(d: EventDecoder, input: Uint8Array, e = d.newEvent()) {
    const r = d.decode(input, e);
    if (r === null) {
      // an accepted event satisfies every invariant
      expect(e.id.length).toBeGreaterThan(0);
      expect(e.id.length).toBeLessThanOrEqual(256);
      expect(e.label === null || (e.label >= 0 && e.label <= 1)).toBe(true);
      expect(e.x.nnz).toBeLessThanOrEqual(d.maxFeatures);
      const seen = new Set<number>();
      for (let k = 0; k < e.x.nnz; k++) {
        expect(Number.isFinite(e.x.val[k])).toBe(true);
        expect(e.x.idx[k] >= 0 && e.x.idx[k] < d.space.dim).toBe(true);
        seen.add(e.x.idx[k]);
      }
      expect(seen.size).toBe(e.x.nnz);
    } else {
      expect(codes.has(r.code), r.code).toBe(true);
      expect(r.reason.length).toBeGreaterThan(10);
    }
    return r;
  }

  it('3000 random byte strings', () => {
    const d = hashed({ maxBytes: 200 });
    for (let t = 0; t < 3000; t++) {
      const b = new Uint8Array(rnd(260));
      for (let i = 0; i < b.length; i++) b[i] = rnd(256);
      check(d, b);
    }
  });

  it('5000 mutated valid events (byte and token edits), on hashed and dense spaces', () => {
    const seeds = [
      '{"id":"e-17","ts":1732300000000,"features":{"age":0.3,"word:free":1},"label":0.85,"trusted":false,"sourceLabel":0}',
      '{"id":"e-2","features":[0.3,1.0,-2e-3],"label":null}',
      '{"id":"e-3","features":{"0":1,"2":0.5},"label":1}',
    ];
    const tokens = ['__proto__', 'constructor', '1e999', '-0', 'null', 'true', '"x"', '{}', '[]', '1.7', '[1,{"__proto__":1}]', '\u00e9', '\ud800', ',', ':', '"'];
    const decoders = [hashed({ maxFeatures: 4 }), dense(3), new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 2, seed: 1 }) })];
    let accepted = 0;
    for (let t = 0; t < 5000; t++) {
      let text = seeds[rnd(seeds.length)];
      const edits = 1 + rnd(3);
      for (let k = 0; k < edits; k++) {
        const p = rnd(text.length + 1);
        const op = rnd(3);
        const tok = tokens[rnd(tokens.length)];
        if (op === 0) text = text.slice(0, p) + text.slice(p + 1 + rnd(4));
        else if (op === 1) text = text.slice(0, p) + tok + text.slice(p);
        else text = text.slice(0, p) + tok + text.slice(p + tok.length);
      }
      const b = bytes(text);
      if (rnd(10) === 0 && b.length > 0) b[rnd(b.length)] ^= 1 << rnd(8); // occasional bit flip
      for (const d of decoders) if (check(d, b) === null) accepted++;
    }
    // the mutations leave a fair share of events valid, so both paths are exercised
    expect(accepted).toBeGreaterThan(100);
  });
});
