import { murmur3BytesInt32, Rng } from '@logit-stream/kernel';
import { describe, expect, it, vi } from 'vitest';
import { FeatureSpace, type FeatureSpaceOptions } from '../features/index.js';
import { BINARY_EVENT_FLAGS, encodeBinaryEvent, type BinaryEventInput } from './binary-event.js';
import { EventDecoder } from './event-decoder.js';
import type { DecodedEvent, Rejection } from './types.js';

const enc = new TextEncoder();

/** Every field of a decoded event; values as their 64 bits, so −0, 0 and NaN payloads all differ. */
function snapshot(e: DecodedEvent) {
  const n = e.x.nnz;
  const bits = (v: number | null) => (v === null ? null : Array.from(new Uint32Array(new Float64Array([v]).buffer)));
  return {
    id: e.id,
    ts: bits(e.ts),
    label: bits(e.label),
    trusted: e.trusted,
    sourceLabel: bits(e.sourceLabel),
    idx: Array.from(e.x.idx.subarray(0, n)),
    val: Array.from(new Uint32Array(Float64Array.from(e.x.val.subarray(0, n)).buffer)),
  };
}

/** A hand-made binary event, fields in any order and count (for messages no object can produce). */
function raw(o: {
  flags?: number;
  id?: string;
  ts?: number;
  label?: number;
  sourceLabel?: number;
  named?: [string, number][];
  dense?: number[];
  count?: number;
}): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number) => out.push(v & 0xff, v >>> 8);
  const f64 = (v: number) => out.push(...new Uint8Array(new Float64Array([v]).buffer));
  let flags = o.flags ?? 0;
  if (o.ts !== undefined) flags |= BINARY_EVENT_FLAGS.ts;
  if (o.label !== undefined) flags |= BINARY_EVENT_FLAGS.label;
  if (o.sourceLabel !== undefined) flags |= BINARY_EVENT_FLAGS.sourceLabel;
  if (o.dense !== undefined) flags |= BINARY_EVENT_FLAGS.dense;
  out.push(0xb1, 1, flags, 0);
  const id = enc.encode(o.id ?? 'e-1');
  u16(id.length);
  out.push(...id);
  if (o.ts !== undefined) f64(o.ts);
  if (o.label !== undefined) f64(o.label);
  if (o.sourceLabel !== undefined) f64(o.sourceLabel);
  const count = o.count ?? (o.dense ?? o.named ?? []).length;
  out.push(count & 0xff, (count >>> 8) & 0xff, (count >>> 16) & 0xff, count >>> 24);
  for (const [name, v] of o.named ?? []) {
    const b = enc.encode(name);
    u16(b.length);
    out.push(...b);
    f64(v);
  }
  for (const v of o.dense ?? []) f64(v);
  return new Uint8Array(out);
}

const spaces: Record<string, FeatureSpaceOptions> = {
  'hashed 2^18': { kind: 'hashed', bits: 18, seed: 0 },
  'hashed 2^3, seed 12345 (collisions)': { kind: 'hashed', bits: 3, seed: 12345 },
  'dense 8': { kind: 'dense', dim: 8 },
};

const NAME_CHARS = ['a', 'b', 'z', 'f', '0', '1', '7', ':', '-', ' ', 'é', 'ß', '€', '中', '😀', '\u0000', '"', '\\'];

function randomString(rng: Rng, min: number, max: number): string {
  const n = min + rng.nextInt(max - min + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[rng.nextInt(NAME_CHARS.length)];
  return s;
}

function randomValue(rng: Rng): number {
  switch (rng.nextInt(8)) {
    case 0:
      return -0;
    case 1:
      return 0;
    case 2:
      return 5e-324;
    case 3:
      return -1.7976931348623157e308;
    case 4:
      return rng.nextInt(1000) - 500;
    default:
      return Math.round(rng.gaussian() * 1e6) / 1e6;
  }
}

/** Absent, null, or a value from `pick`. */
function maybe<T>(rng: Rng, pick: () => T): T | null | undefined {
  const r = rng.nextInt(4);
  return r === 0 ? undefined : r === 1 ? null : pick();
}

function randomEvent(rng: Rng, space: FeatureSpace): BinaryEventInput {
  let features: Record<string, number> | number[];
  const denseArray = rng.nextInt(3) === 0;
  if (denseArray) {
    const n = space.kind === 'dense' ? space.dim : rng.nextInt(Math.min(space.dim, 12) + 1);
    features = Array.from({ length: n }, () => randomValue(rng));
  } else {
    features = {};
    const n = rng.nextInt(25);
    for (let k = 0; k < n; k++) {
      const name = space.kind === 'dense' ? String(rng.nextInt(space.dim)) : rng.nextInt(6) === 0 ? String(rng.nextInt(40)) : randomString(rng, 0, 8);
      features[name] = randomValue(rng);
    }
  }
  const e: Record<string, unknown> = { id: randomString(rng, 1, 12), features };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) e[k] = v;
  };
  set('ts', maybe(rng, () => (rng.nextInt(5) === 0 ? -0 : rng.nextInt(4) === 0 ? 8.64e15 : 1732300000000 + rng.nextInt(1e6) + rng.next())));
  set('label', maybe(rng, () => [0, 1, -0, 0.85, rng.next()][rng.nextInt(5)]));
  set('trusted', maybe(rng, () => rng.nextInt(2) === 0));
  set('sourceLabel', maybe(rng, () => [0, 1, -0, rng.next()][rng.nextInt(4)]));
  return e as unknown as BinaryEventInput;
}

describe('binary events decode as their JSON form', () => {
  for (const [name, o] of Object.entries(spaces)) {
    it(`2000 random events, ${name}: the same DecodedEvent bit for bit (ids, unicode names, −0, null/absent fields)`, () => {
      const rng = new Rng(name.length * 7919);
      const decoder = new EventDecoder({ space: new FeatureSpace(o) });
      const viaJson = decoder.newEvent();
      const viaBinary = decoder.newEvent();
      const jsonPath = vi.spyOn(decoder, 'decodeObject');
      let accepted = 0;
      let collided = 0;
      for (let t = 0; t < 2000; t++) {
        const e = randomEvent(rng, decoder.space);
        const text = JSON.stringify(e);
        const r1 = decoder.decode(enc.encode(text), viaJson);
        const before = jsonPath.mock.calls.length;
        const r2 = decoder.decode(encodeBinaryEvent(e), viaBinary);
        expect(r2, text).toEqual(r1);
        // accepted on the binary fast path: the JSON path's decodeObject is only the slow path of rejections
        if (r1 === null) expect(jsonPath.mock.calls.length, text).toBe(before);
        if (r1 === null) {
          accepted++;
          expect(snapshot(viaBinary), text).toEqual(snapshot(viaJson));
          if (!Array.isArray(e.features) && viaJson.x.nnz < Object.keys(e.features).length) collided++;
        }
      }
      expect(accepted).toBeGreaterThan(1900); // only ts 8.64e15 + fraction is out of range
      if (name.includes('collisions')) expect(collided).toBeGreaterThan(500);
    });
  }

  it('keeps a leading U+FEFF of a non-ASCII id and name, as the JSON text does (it is not a byte order mark there)', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
    const a = decoder.newEvent();
    const b = decoder.newEvent();
    const e = { id: '\uFEFFé', features: { '\uFEFFnamé': 1 }, label: 1 };
    expect(decoder.decode(enc.encode(JSON.stringify(e)), a)).toBeNull();
    expect(decoder.decode(encodeBinaryEvent(e), b)).toBeNull();
    expect(b.id).toBe('\uFEFFé');
    expect(snapshot(b)).toEqual(snapshot(a));
    // a rejected event is rebuilt as an object for the JSON path's reasons: the name keeps its U+FEFF there too
    const bad = { id: '\uFEFFé', features: { '\uFEFFnamé': 1 }, label: 2 };
    expect(decoder.decode(encodeBinaryEvent(bad), b)).toEqual(decoder.decode(enc.encode(JSON.stringify(bad)), a));
  });

  it('hashes a name from its UTF-8 bytes to the slot FeatureSpace.indexOfName gives (1000 random unicode names, 3 seeds)', () => {
    const rng = new Rng(5);
    for (const seed of [0, 1, 0xffffffff]) {
      const space = new FeatureSpace({ kind: 'hashed', bits: 18, seed });
      for (let t = 0; t < 1000; t++) {
        const s = randomString(rng, 0, 20);
        const b = enc.encode(s);
        expect(murmur3BytesInt32(b, 0, b.length, seed) & (space.dim - 1), s).toBe(space.indexOfName(s));
      }
    }
  });

  it('decodes views at odd offsets of one shared buffer and pooled Node Buffers (as Kafka clients hand messages over)', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
    const a = decoder.newEvent();
    const b = decoder.newEvent();
    const rng = new Rng(3);
    const events = Array.from({ length: 50 }, () => randomEvent(rng, decoder.space));
    const all = new Uint8Array(20_000);
    let at = 1;
    for (const e of events) {
      const bin = encodeBinaryEvent(e);
      all.set(bin, at);
      const view = all.subarray(at, at + bin.length);
      at += bin.length + 3;
      const r = decoder.decode(enc.encode(JSON.stringify(e)), a);
      expect(decoder.decode(view, b)).toEqual(r);
      if (r === null) expect(snapshot(b)).toEqual(snapshot(a));
      expect(decoder.decode(Buffer.from(bin), b)).toEqual(r);
      if (r === null) expect(snapshot(b)).toEqual(snapshot(a));
    }
  });

  it('a message in another order than JSON.parse enumerates, or with a repeated name, still decodes as its JSON text', () => {
    const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
    const a = decoder.newEvent();
    const b = decoder.newEvent();
    const cases: [string, [string, number][]][] = [
      ['{"id":"e-1","features":{"b":1,"3":2,"a":3,"1":4}}', [['b', 1], ['3', 2], ['a', 3], ['1', 4]]],
      ['{"id":"e-1","features":{"a":1,"b":2,"a":3}}', [['a', 1], ['b', 2], ['a', 3]]],
      ['{"id":"e-1","features":{"7":1,"7":2}}', [['7', 1], ['7', 2]]],
    ];
    for (const [text, named] of cases) {
      expect(decoder.decode(enc.encode(text), a)).toBeNull();
      expect(decoder.decode(raw({ named }), b)).toBeNull();
      expect(snapshot(b), text).toEqual(snapshot(a));
    }
    const d = new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim: 4 }) });
    expect(d.decode(enc.encode('{"id":"e-1","features":{"3":1,"0":2,"3":5}}'), a)).toBeNull();
    expect(d.decode(raw({ named: [['3', 1], ['0', 2], ['3', 5]] }), b)).toBeNull();
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(snapshot(b).idx).toEqual([0, 3]);
  });
});

describe('binary events: the JSON path\'s rejections, codes and reasons', () => {
  const hashed = () => new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }), maxFeatures: 5 });
  const dense = () => new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim: 3 }), maxFeatures: 5 });
  // [what, event, its JSON text (1e999 for Infinity), decoder]; NaN has no JSON text: compared with decodeObject
  const cases: [string, BinaryEventInput, string | null, () => EventDecoder][] = [
    ['empty id', { id: '', features: {} }, '{"id":"","features":{}}', hashed],
    ['id of 257 code units', { id: 'x'.repeat(257), features: {} }, null, hashed],
    ['id of 129 astral characters (258 code units, 516 bytes)', { id: '😀'.repeat(129), features: {} }, null, hashed],
    ['ts Infinity', { id: 'e-1', ts: Infinity, features: {} }, '{"id":"e-1","ts":1e999,"features":{}}', hashed],
    ['ts NaN', { id: 'e-1', ts: NaN, features: {} }, null, hashed],
    ['ts beyond ±8.64e15', { id: 'e-1', ts: -8.64e15 - 1, features: {} }, '{"id":"e-1","ts":-8640000000000001,"features":{}}', hashed],
    ['label 1.7', { id: 'e-17', features: { a: 1 }, label: 1.7 }, '{"id":"e-17","features":{"a":1},"label":1.7}', hashed],
    ['label -Infinity', { id: 'e-1', features: {}, label: -Infinity }, '{"id":"e-1","features":{},"label":-1e999}', hashed],
    ['label NaN', { id: 'e-1', features: {}, label: NaN }, null, hashed],
    ['sourceLabel 2', { id: 'e-1', features: {}, label: 1, sourceLabel: 2 }, '{"id":"e-1","features":{},"label":1,"sourceLabel":2}', hashed],
    ['sourceLabel NaN', { id: 'e-1', features: {}, label: 1, sourceLabel: NaN }, null, hashed],
    ['6 named features over maxFeatures 5', { id: 'e-1', features: { a: 1, b: 2, c: 3, d: 4, e: 5, f: NaN } }, null, hashed],
    ['6 dense values over maxFeatures 5', { id: 'e-1', features: [1, 2, 3, 4, 5, 6] }, '{"id":"e-1","features":[1,2,3,4,5,6]}', dense],
    ['a feature Infinity', { id: 'e-1', features: { a: 1, b: Infinity } }, '{"id":"e-1","features":{"a":1,"b":1e999}}', hashed],
    ['a dense value NaN', { id: 'e-1', features: [1, NaN, 3] }, null, dense],
    ['forbidden name __proto__', { id: 'e-1', features: JSON.parse('{"a":1,"__proto__":2}') as Record<string, number> }, '{"id":"e-1","features":{"a":1,"__proto__":2}}', hashed],
    ['forbidden name constructor (before a bad id)', { id: '', features: { constructor: 1 } }, '{"id":"","features":{"constructor":1}}', hashed],
    ['forbidden name prototype in a dense space', { id: 'e-1', features: { prototype: 1 } }, '{"id":"e-1","features":{"prototype":1}}', dense],
    ['dense array of 2 for 3 columns', { id: 'e-1', features: [0.5, 1] }, '{"id":"e-1","features":[0.5,1]}', dense],
    ['dense array longer than a hashed space', { id: 'e-1', features: [1, 2, 3] }, '{"id":"e-1","features":[1,2,3]}', () => new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 1, seed: 0 }) })],
    ['name not a column index', { id: 'e-1', features: { '01': 1 } }, '{"id":"e-1","features":{"01":1}}', dense],
    ['name a column index beyond dim', { id: 'e-1', features: { 1: 1, 3: 1 } }, '{"id":"e-1","features":{"1":1,"3":1}}', dense],
    ['unicode name in a dense space', { id: 'e-1', features: { 'é': 1 } }, '{"id":"e-1","features":{"é":1}}', dense],
    ['several problems: the JSON precedence (id before label before features)', { id: '', features: { a: NaN }, label: 9 }, null, hashed],
  ];
  for (const [what, e, text, make] of cases) {
    it(what, () => {
      const d = make();
      const got = d.decode(encodeBinaryEvent(e), d.newEvent());
      expect(got).not.toBeNull();
      expect(got).toEqual(d.decodeObject(e, d.newEvent()));
      if (text !== null) expect(got).toEqual(d.decode(enc.encode(text), d.newEvent()));
    });
  }

  it('too-many-features is decided by the count, before any name is hashed or value read', () => {
    const d = hashed();
    // 6 features whose names are not even UTF-8-checked for meaning: forbidden and NaN alike
    const r = d.decode(raw({ named: [['__proto__', NaN], ['a', 1], ['b', 1], ['c', 1], ['d', 1], ['e', 1]] }), d.newEvent());
    expect(r).toEqual({ code: 'too-many-features', reason: 'features has 6 entries, over the limit of 5 (maxFeatures); send fewer features or raise the limit (event e-1)' });
  });
});

describe('binary events: layout errors (bad-binary, bad-utf8)', () => {
  const d = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
  const decode = (b: Uint8Array | number[]): Rejection | null => d.decode(b instanceof Uint8Array ? b : new Uint8Array(b), d.newEvent());
  const good = raw({ id: 'e-1', ts: 5, named: [['ab', 1]] });

  it('names what is wrong, at which byte, and what to do', () => {
    expect(decode([0xb1, 1, 0])).toEqual({
      code: 'bad-binary',
      reason: 'binary event ends at byte 3, inside the 4-byte header, which needs bytes 0..3; the message is truncated (or a length or count is wrong): send the whole encoded event',
    });
    expect(decode([0xb1, 2, 0, 0])).toEqual({
      code: 'bad-binary',
      reason: 'binary event version 2 (byte 1) is not supported: this decoder reads version 1; encode with encodeBinaryEvent of this version, or send JSON',
    });
    expect(decode([0xb1, 1, 0x40, 0])?.reason).toBe('binary event flags 0x40 (byte 2) set the reserved bits 6–7; they must be 0 in version 1');
    expect(decode([0xb1, 1, 0x08, 0])?.reason).toBe(
      'binary event flags 0x08 (byte 2) set bit 3 (trusted value) without bit 2 (trusted present); set both for trusted: true, or neither',
    );
    expect(decode([0xb1, 1, 0, 7])?.reason).toBe('binary event byte 3 (reserved) is 0x07; it must be 0 in version 1');
    expect(decode(good.subarray(0, 12))?.reason).toBe(
      'binary event ends at byte 12, inside ts (f64), which needs bytes 9..16; the message is truncated (or a length or count is wrong): send the whole encoded event',
    );
    expect(decode(good.subarray(0, good.length - 1))?.reason).toContain('inside feature 0 (a 2-byte name and an f64 value), which needs bytes 23..32');
    expect(decode([...good, 0, 0])).toEqual({
      code: 'bad-binary',
      reason: `binary event goes on for 2 bytes after its last feature (from byte ${good.length} of ${good.length + 2}); a length or the feature count is wrong, or two events were concatenated: send one encoded event per message`,
    });
    expect(decode(raw({ dense: [1, 2], count: 3 }))?.reason).toContain('inside 3 dense values (f64), which needs bytes 13..36');
    expect(decode(raw({ dense: [1, 2], count: 1 }))?.reason).toContain('goes on for 8 bytes after its last feature (from byte 21 of 29)');
    expect(decode(raw({ named: [['a', 1]], count: 2 }))?.reason).toContain('inside the name length of feature 1');
  });

  it('bad-utf8 in the id or a name names the byte offset', () => {
    const id = raw({ id: 'abc', named: [] });
    id[7] = 0xff; // 'b'
    expect(decode(id)).toEqual({ code: 'bad-utf8', reason: 'the id is not valid UTF-8 at byte 7 (0xff); encode ids and feature names as UTF-8' });
    const name = raw({ named: [['ok', 1], ['xé', 2]] });
    const at = name.indexOf(0xc3);
    name[at + 1] = 0x28; // é → 0xC3 0x28
    expect(decode(name)).toEqual({ code: 'bad-utf8', reason: `feature name 1 is not valid UTF-8 at byte ${at} (0xc3); encode ids and feature names as UTF-8` });
  });

  it('fuzz: never throws, never accepts a truncated message, rejects every one with a code and a reason', () => {
    const rng = new Rng(99);
    const space = new FeatureSpace({ kind: 'hashed', bits: 4, seed: 1 });
    const fd = new EventDecoder({ space, maxFeatures: 40 });
    const ev = fd.newEvent();
    const dd = new EventDecoder({ space: new FeatureSpace({ kind: 'dense', dim: 8 }), maxFeatures: 40 });
    const valid: Uint8Array[] = [];
    for (let t = 0; t < 150; t++) valid.push(encodeBinaryEvent(randomEvent(rng, t % 2 === 0 ? space : dd.space)));
    const check = (dec: EventDecoder, b: Uint8Array): Rejection | null => {
      const r = dec.decode(b, ev);
      if (r !== null) {
        expect(typeof r.code).toBe('string');
        expect(r.reason.length).toBeGreaterThan(20);
      }
      return r;
    };
    let corruptAccepted = 0;
    for (let i = 0; i < valid.length; i++) {
      const dec = i % 2 === 0 ? fd : dd;
      const b = valid[i];
      // every truncation is rejected, and as a layout problem
      for (let n = 1; n < b.length; n++) expect(check(dec, b.subarray(0, n))?.code, `prefix ${n} of ${b.length}`).toBe('bad-binary');
      // single-byte corruptions: never a throw, a rejection with a reason or an accepted event
      for (let k = 0; k < 40; k++) {
        const c = b.slice();
        c[rng.nextInt(c.length)] = rng.nextInt(256);
        if (check(dec, c) === null) corruptAccepted++;
      }
    }
    // random bytes after the magic
    for (let t = 0; t < 5000; t++) {
      const n = 1 + rng.nextInt(60);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = rng.nextInt(256);
      b[0] = 0xb1;
      if (t % 2 === 0 && n > 3) {
        b[1] = 1; // mostly past the header checks
        b[2] &= 0x37;
        b[3] = 0;
      }
      check(t % 3 === 0 ? dd : fd, b);
    }
    expect(corruptAccepted).toBeGreaterThan(0); // a changed value byte is usually still a valid event
  });
});
