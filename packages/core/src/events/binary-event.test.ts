import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import {
  BINARY_EVENT_FLAGS,
  BINARY_EVENT_MAGIC,
  BINARY_EVENT_VERSION,
  binaryEventSize,
  encodeBinaryEvent,
  encodeBinaryEventInto,
  type BinaryEventInput,
} from './binary-event.js';

/** Little-endian bytes of a double, from a DataView (an independent reference for the encoder's copy). */
function f64(v: number): number[] {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, v, true);
  return Array.from(new Uint8Array(d.buffer));
}
const u16 = (v: number) => [v & 0xff, v >>> 8];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));

function thrown(f: () => unknown): CoreError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return e as CoreError;
  }
  throw new Error('expected a CoreError');
}

describe('encodeBinaryEvent', () => {
  it('writes the version-1 layout byte for byte: header, id, ts, label, sourceLabel, count, named features', () => {
    const got = encodeBinaryEvent({ id: 'é-1', ts: 1732300000000, features: { age: 0.3, 'word:€': -1 }, label: 0.85, trusted: true, sourceLabel: 0 });
    const flags = BINARY_EVENT_FLAGS.ts | BINARY_EVENT_FLAGS.label | BINARY_EVENT_FLAGS.trusted | BINARY_EVENT_FLAGS.trustedValue | BINARY_EVENT_FLAGS.sourceLabel;
    expect(flags).toBe(0b0001_1111);
    const want = [
      0xb1, 1, flags, 0,
      ...u16(4), ...utf8('é-1'),
      ...f64(1732300000000), ...f64(0.85), ...f64(0),
      ...u32(2),
      ...u16(3), ...utf8('age'), ...f64(0.3),
      ...u16(8), ...utf8('word:€'), ...f64(-1),
    ];
    expect(Array.from(got)).toEqual(want);
    expect(binaryEventSize({ id: 'é-1', ts: 1732300000000, features: { age: 0.3, 'word:€': -1 }, label: 0.85, trusted: true, sourceLabel: 0 })).toBe(want.length);
  });

  it('leaves out absent and null fields; dense arrays and typed arrays set bit 5 and write only values', () => {
    expect(Array.from(encodeBinaryEvent({ id: 'a', features: [0.5, -0], label: null, ts: null, trusted: null, sourceLabel: null }))).toEqual([
      BINARY_EVENT_MAGIC, BINARY_EVENT_VERSION, BINARY_EVENT_FLAGS.dense, 0, ...u16(1), 0x61, ...u32(2), ...f64(0.5), ...f64(-0),
    ]);
    expect(Array.from(encodeBinaryEvent({ id: 'a', features: new Float64Array([0.5, -0]) }))).toEqual(
      Array.from(encodeBinaryEvent({ id: 'a', features: [0.5, -0] })),
    );
    // trusted: false is present with the value bit clear; an empty object is 0 named features
    expect(Array.from(encodeBinaryEvent({ id: 'a', features: {}, trusted: false }))).toEqual([0xb1, 1, BINARY_EVENT_FLAGS.trusted, 0, ...u16(1), 0x61, ...u32(0)]);
  });

  it('writes named features in the object enumeration order (array-index names first, ascending), as JSON.stringify does', () => {
    const f: Record<string, number> = { b: 1, 10: 2, a: 3, 2: 4 };
    expect(Object.keys(JSON.parse(JSON.stringify(f)) as object)).toEqual(['2', '10', 'b', 'a']);
    const bytes = encodeBinaryEvent({ id: 'x', features: f });
    const names: string[] = [];
    let p = 4 + 2 + 1 + 4;
    for (let k = 0; k < 4; k++) {
      const len = bytes[p] | (bytes[p + 1] << 8);
      names.push(new TextDecoder().decode(bytes.subarray(p + 2, p + 2 + len)));
      p += 2 + len + 8;
    }
    expect(names).toEqual(['2', '10', 'b', 'a']);
    expect(p).toBe(bytes.length);
  });

  it('encodes values it does not judge (NaN, a label of 7, Infinity) as they are: the decoder validates', () => {
    const b = encodeBinaryEvent({ id: 'a', ts: Infinity, features: [NaN], label: 7 });
    expect(Array.from(b.subarray(7, 15))).toEqual(f64(Infinity));
    expect(Array.from(b.subarray(15, 23))).toEqual(f64(7));
    expect(Number.isNaN(new DataView(b.buffer).getFloat64(27, true))).toBe(true);
  });

  it('encodeBinaryEventInto writes at an offset, returns the length, and batches back to back', () => {
    const events: BinaryEventInput[] = [
      { id: 'e-1', features: { a: 1 }, label: 1 },
      { id: 'e-2', ts: 5, features: [1, 2, 3] },
      { id: 'e-3', features: { 'ü': 0.25 }, trusted: true, sourceLabel: 1, label: 0 },
    ];
    const buf = new Uint8Array(200).fill(0xee);
    let at = 3;
    for (const e of events) {
      const n = encodeBinaryEventInto(e, buf, at);
      expect(n).toBe(binaryEventSize(e));
      expect(Array.from(buf.subarray(at, at + n))).toEqual(Array.from(encodeBinaryEvent(e)));
      at += n;
    }
    expect(Array.from(buf.subarray(0, 3))).toEqual([0xee, 0xee, 0xee]);
    expect(buf[at]).toBe(0xee); // nothing written past the last event
  });

  it('refuses a destination too small, saying how many bytes the event needs', () => {
    const e = { id: 'e-1', features: { abc: 1 } };
    const need = binaryEventSize(e);
    for (const room of [0, 3, 6, need - 9, need - 1]) {
      const err = thrown(() => encodeBinaryEventInto(e, new Uint8Array(room + 2), 2));
      expect(err.code).toBe('buffer-too-small');
      expect(err.message).toContain(`needs ${need} bytes but the destination has ${room} after offset 2`);
    }
    expect(encodeBinaryEventInto(e, new Uint8Array(need + 2), 2)).toBe(need);
    expect(thrown(() => encodeBinaryEventInto(e, new Uint8Array(4), 5)).code).toBe('bad-option');
  });

  it('refuses what the format cannot hold: long or non-UTF-8 strings, non-number values, wrong types', () => {
    expect(thrown(() => encodeBinaryEvent({ id: 'x'.repeat(65536), features: {} })).message).toContain('id "xxxx');
    expect(thrown(() => encodeBinaryEvent({ id: 'x'.repeat(65536), features: {} })).message).toContain('65536 UTF-8 bytes, over the format\'s limit of 65535');
    expect(encodeBinaryEvent({ id: 'x'.repeat(65535), features: {} }).length).toBe(4 + 2 + 65535 + 4);
    expect(thrown(() => encodeBinaryEvent({ id: '€'.repeat(21846), features: {} })).code).toBe('bad-event'); // 65538 bytes
    expect(thrown(() => encodeBinaryEvent({ id: 'a', features: { ['n'.repeat(70000)]: 1 } })).message).toContain('feature name');
    expect(thrown(() => encodeBinaryEvent({ id: 'a\ud800', features: {} })).message).toContain('lone UTF-16 surrogate at index 1');
    expect(thrown(() => encodeBinaryEvent({ id: 'a', features: { ['\udc00x']: 1 } })).message).toContain('lone UTF-16 surrogate at index 0');
    expect(encodeBinaryEvent({ id: '😀', features: {} }).subarray(4, 10)).toEqual(new Uint8Array([4, 0, 0xf0, 0x9f, 0x98, 0x80]));
    const bad = (e: unknown) => thrown(() => encodeBinaryEvent(e as BinaryEventInput));
    expect(bad({ id: 1, features: {} }).message).toContain('id is number, not a string');
    expect(bad({ id: 'a' }).message).toContain('features is undefined');
    expect(bad({ id: 'a', features: { x: '1' } }).message).toContain('feature "x" is string, not a number');
    expect(bad({ id: 'a', features: { x: null } }).message).toContain('feature "x" is null');
    expect(bad({ id: 'a', features: [1, true] }).message).toContain('features[1] is boolean');
    expect(bad({ id: 'a', features: [], label: true }).message).toContain('label is boolean');
    expect(bad({ id: 'a', features: [], trusted: 1 }).message).toContain('trusted is number');
    expect(bad({ id: 'a', features: new DataView(new ArrayBuffer(8)) }).message).toContain('DataView');
    expect(bad(null).code).toBe('bad-event');
  });
});
