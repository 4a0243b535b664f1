import { Rng, type NamedState } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import type { CoreError } from '../errors/index.js';
import { OnlineLearner } from '../learner/index.js';
import { crc32c } from './crc32c.js';
import {
  referenceCanonicalJson,
  referenceDecodeSnapshot,
  referenceEncodeSnapshot,
  referenceStateToJsonValue,
} from './reference/index.js';
import { Gen } from './reference/random-payload.js';
import { decodeSnapshot, encodeSnapshot, encodeSnapshotBytes, type SnapshotPayload } from './snapshot.js';

// The fast writer and reader are held to the v1 codec as it was (./reference, verbatim): the same
// envelope bytes for every payload, the same refusals with the same messages.

const utf8 = new TextDecoder();
const exact = (s: NamedState) => referenceCanonicalJson(referenceStateToJsonValue(s));

function outcome(f: () => string | Uint8Array): string {
  try {
    const r = f();
    return typeof r === 'string' ? `ok:${r}` : `ok:${utf8.decode(r)}`;
  } catch (e) {
    return `error:${(e as Error).constructor.name}:${(e as CoreError).code}:${(e as Error).message}`;
  }
}

function decoded(f: () => SnapshotPayload): string {
  try {
    const p = f();
    return `ok:${JSON.stringify([p.learnerId, Object.is(p.createdAt, -0) ? '-0' : p.createdAt, p.offsets])}:${exact(p.state)}:${
      p.config === undefined ? 'undefined' : exact({ c: p.config as NamedState['x'] })
    }`;
  } catch (e) {
    return `error:${(e as Error).constructor.name}:${(e as CoreError).code}:${(e as Error).message}`;
  }
}

describe('encodeSnapshotBytes / encodeSnapshot against the v1 reference', () => {
  it('writes the reference envelope byte for byte for 400 random payloads (typed arrays of all kinds, NaN/−0/subnormals, empty and long arrays, unicode and lone surrogates)', () => {
    const g = new Gen(new Rng(11));
    for (let i = 0; i < 400; i++) {
      const p = g.payload();
      const want = referenceEncodeSnapshot(p);
      expect(encodeSnapshot(p)).toBe(want);
      // the bytes are the UTF-8 of the text, as Buffer.from(text, 'utf8') wrote them
      expect(Buffer.from(encodeSnapshotBytes(p)).equals(Buffer.from(want, 'utf8'))).toBe(true);
    }
  });

  it('writes the reference envelope of a real learner (2^18 hashed slots after 300 events, mostly zero weights)', () => {
    const learner = new OnlineLearner({}, 'l-0');
    const ev = learner.newEvent();
    const out = learner.newScore();
    for (let i = 0; i < 300; i++) {
      expect(learner.decoder.decodeObject({ id: `e-${i}`, features: { a: (i % 7) / 7, b: 1, [`c${i % 13}`]: 1 }, label: i % 2 }, ev)).toBeNull();
      learner.process(ev, out, i);
    }
    const p = { learnerId: 'l-0', createdAt: 1, offsets: [{ topic: 'events', partition: 0, next: '300' }], state: learner.toState(), config: { options: learner.options, seq: 3 } };
    const want = referenceEncodeSnapshot(p);
    expect(want.length).toBeGreaterThan(2_800_000);
    expect(encodeSnapshot(p)).toBe(want);
  });

  it('writes into the scratch memory it is given, with no trace of what was there; the result is in new memory when the envelope outgrows it', () => {
    const g = new Gen(new Rng(31));
    const big = { learnerId: 'l', createdAt: 0, offsets: [], state: { w: new Float64Array(20_000).fill(0.25) }, config: null };
    let memory: Uint8Array | undefined;
    for (let i = 0; i < 40; i++) {
      const p = i % 10 === 0 ? big : g.payload();
      const want = Buffer.from(referenceEncodeSnapshot(p), 'utf8');
      const before = memory;
      const bytes = encodeSnapshotBytes(p, memory);
      expect(Buffer.from(bytes).equals(want)).toBe(true);
      if (before !== undefined && before.length >= want.length) expect(bytes.buffer).toBe(before.buffer);
      memory = new Uint8Array(bytes.buffer, bytes.byteOffset);
    }
    // too small (outgrown: the result is in new memory) or not 4-byte aligned (not used, not written)
    const small = new Uint8Array(100).fill(7);
    const odd = new Uint8Array(new ArrayBuffer(1 << 20), 1).fill(7);
    for (const scratch of [small, odd]) {
      const bytes = encodeSnapshotBytes(big, scratch);
      expect(Buffer.from(bytes).equals(Buffer.from(referenceEncodeSnapshot(big), 'utf8'))).toBe(true);
      expect(bytes.buffer).not.toBe(scratch.buffer);
    }
    expect(odd.every((b) => b === 7)).toBe(true);
  });

  it('refuses what the reference refuses, with the same error and message', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 70; i++) deep = { d: deep };
    class Model {
      w = 1;
    }
    const bad: unknown[] = [
      { f: () => 1 },
      { m: new Map() },
      { d: new Date(0) },
      { u8: new Uint8Array(3) },
      { f32: new Float32Array(2) },
      { dv: new DataView(new ArrayBuffer(8)) },
      { n: 10n },
      { s: Symbol('x') },
      { u: undefined },
      { a: [1, undefined] },
      { hole: [1, , 3] },
      JSON.parse('{"ok":1,"x":{"__proto__":{"a":1}}}'),
      cycle,
      deep,
      { m: new Model() },
      { ok: new Float64Array(4), later: { bad: () => 2, a: undefined } },
    ];
    for (const state of bad) {
      for (const config of [null, { x: state }]) {
        const p = { learnerId: 'l', createdAt: 0, offsets: [], state: state as NamedState, config };
        const want = outcome(() => referenceEncodeSnapshot(p));
        expect(want.startsWith('error:CoreError:bad-snapshot:')).toBe(true);
        expect(outcome(() => encodeSnapshot(p))).toBe(want);
        expect(outcome(() => encodeSnapshotBytes(p))).toBe(want);
      }
      // the same value as config only (state fine)
      const p = { learnerId: 'l', createdAt: 0, offsets: [], state: { w: new Float64Array(2) }, config: state };
      expect(outcome(() => encodeSnapshot(p))).toBe(outcome(() => referenceEncodeSnapshot(p)));
    }
    const headers: unknown[] = [
      { learnerId: '', createdAt: 0, offsets: [], state: {}, config: null },
      { learnerId: 'l', createdAt: NaN, offsets: [], state: {}, config: null },
      { learnerId: 'l', createdAt: 0, offsets: [{ topic: 'e', partition: -1, next: '0' }], state: {}, config: null },
      { learnerId: 'l', createdAt: 0, offsets: [{ topic: 'e', partition: 0, next: '01' }], state: {}, config: null },
      { learnerId: 'l', createdAt: 0, offsets: {}, state: {}, config: null },
      { learnerId: 'l', createdAt: 0, offsets: [], state: [], config: null },
      { learnerId: 'l', createdAt: 0, offsets: [], state: null, config: null },
    ];
    for (const h of headers) {
      const p = h as SnapshotPayload;
      const want = outcome(() => referenceEncodeSnapshot(p));
      expect(want.startsWith('error:CoreError:bad-snapshot:')).toBe(true);
      expect(outcome(() => encodeSnapshotBytes(p))).toBe(want);
    }
    // accepted oddities stay accepted alike: holes in offsets, a null-prototype state, extra offset fields
    // eslint-disable-next-line no-sparse-arrays
    const odd = { learnerId: 'l', createdAt: 0, offsets: [, { topic: 'e', partition: 0, next: '5', extra: 1 }], state: Object.assign(Object.create(null), { a: 1 }), config: null };
    const want = outcome(() => referenceEncodeSnapshot(odd as unknown as SnapshotPayload));
    expect(want.startsWith('ok:')).toBe(true);
    expect(outcome(() => encodeSnapshot(odd as unknown as SnapshotPayload))).toBe(want);
  });
});

describe('decodeSnapshot against the v1 reference', () => {
  it('accepts and refuses exactly what the reference does, with the same messages, for damaged copies of random envelopes', () => {
    const g = new Gen(new Rng(23));
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 60; i++) {
      const text = referenceEncodeSnapshot(g.payload());
      const variants = [text, JSON.stringify(JSON.parse(text), null, 1), text.slice(0, g.int(text.length)), text + ' '];
      for (let k = 0; k < 12; k++) {
        const at = g.int(text.length);
        variants.push(text.slice(0, at) + g.pick(['A', '=', '"', '\\', 'é', '\ud800', ' ', '0', '}', '{']) + text.slice(at + g.int(2)));
      }
      for (const v of variants) {
        const want = decoded(() => referenceDecodeSnapshot(v));
        if (want.startsWith('ok:')) accepted++;
        else refused++;
        expect(decoded(() => decodeSnapshot(v))).toBe(want);
      }
    }
    expect(accepted).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(300);
  });

  it('decodes a large, a small and a large snapshot in a row exactly (the kept canonical buffer leaves no trace)', () => {
    const big = (v: number) => ({ learnerId: 'l', createdAt: v, offsets: [], state: { w: new Float64Array(30_000).fill(v) }, config: null });
    const small = { learnerId: 's', createdAt: 1, offsets: [], state: { n: 1 }, config: null };
    for (const p of [big(0.5), small, big(-2), small]) {
      const text = referenceEncodeSnapshot(p);
      expect(decoded(() => decodeSnapshot(text))).toBe(decoded(() => referenceDecodeSnapshot(text)));
      expect(decoded(() => decodeSnapshot(text)).startsWith('ok:')).toBe(true);
    }
  });

  it('accepts the same non-canonical spellings of a valid body as the reference: whitespace, key order, escapes, duplicate keys', () => {
    const p = { learnerId: 'l-ü', createdAt: 5, offsets: [{ topic: 'events', partition: 1, next: '9' }], state: { w: new Float64Array(3000), n: -0 }, config: { a: 'x' } };
    (p.state.w as Float64Array)[7] = 1.5;
    const text = referenceEncodeSnapshot(p);
    const doc = JSON.parse(text);
    const variants = [
      JSON.stringify(doc, null, 2),
      JSON.stringify({ body: doc.body, checksum: doc.checksum, format: doc.format, version: 1 }),
      text.replace('"$f64":"AAAA', '"$f64":"\\u0041AAA'), // an escaped character inside the base64
      text.replace('"l-ü"', '"l-\\u00fc"'),
      text.replace('{"format"', '{"body":{},"format"'), // a duplicate key: the last one wins
      text.replace('"createdAt":5', '"createdAt":5.0'),
      text.replace('"createdAt":5', '"createdAt":5e0'),
      text.replace('"partition":1', '"partition":1.5'),
      '\ufeff' + text,
      ' ' + text + '\n',
    ];
    let accepted = 0;
    for (const v of variants) {
      const want = decoded(() => referenceDecodeSnapshot(v));
      if (want.startsWith('ok:')) accepted++;
      expect(decoded(() => decodeSnapshot(v))).toBe(want);
    }
    expect(accepted).toBeGreaterThanOrEqual(7);
  });

  it('refuses bad base64 and bad tags behind a valid checksum with the reference messages', () => {
    const bodies = [
      { w: { $f64: 'AAAAAAAA8D8' } }, // length
      { w: { $f64: 'AAAAAAAA8D8*' } }, // character
      { w: { $f64: 'AAAA=AAAAAAA' } }, // padding in the middle
      { w: { $f64: 'AAAAAAAA8D9=' } }, // padding bits
      { w: { $f64: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAéAAAAAAAAAAAA' } }, // non-ASCII in a long text
      { w: { $f64: 'A'.repeat(4000) + '\ud800AAA' } }, // lone surrogate
      { w: { $f64: 'AAAAAA==' } }, // 4 bytes, not a multiple of 8
      { w: { $i32: 'AAA=' } }, // 2 bytes, not a multiple of 4
      { w: { $u32: 'AAA' + '-' + 'AAAA' } },
      { w: { $num: 'nan' } },
      { w: { $f64: 5 } },
      { w: { $x: 'A' } },
    ];
    for (const state of bodies) {
      const body = { config: null, createdAt: 0, learnerId: 'l', offsets: [], state };
      const canonical = referenceCanonicalJson(body);
      // checksum exactly as the reference computes it
      const good = referenceEncodeSnapshot({ learnerId: 'l', createdAt: 0, offsets: [], state: { w: 1 }, config: null });
      const crc = referenceDecodeSnapshotChecksum(canonical);
      const text = good.replace(/crc32c:[0-9a-f]{8}/, `crc32c:${crc}`).replace(/"body":.*$/, `"body":${canonical}}`);
      const want = decoded(() => referenceDecodeSnapshot(text));
      expect(want).toMatch(/^error:CoreError:bad-snapshot:snapshot body\.state\.w/);
      expect(decoded(() => decodeSnapshot(text))).toBe(want);
    }
  });
});

/** The checksum digits of a canonical body, as the reference computes them. */
function referenceDecodeSnapshotChecksum(canonical: string): string {
  return crc32c(new TextEncoder().encode(canonical)).toString(16).padStart(8, '0');
}
