import { CoreError } from '../errors/index.js';

/** First byte of every binary event (0xB1). UTF-8 JSON text never starts with it (a continuation byte). */
export const BINARY_EVENT_MAGIC = 0xb1;
/** The binary event format version this code writes and reads. */
export const BINARY_EVENT_VERSION = 1;
/** Bits of the flags byte (byte 2) of a binary event; bits 6 and 7 must be 0. */
export const BINARY_EVENT_FLAGS = {
  /** An f64 `ts` follows the id. */
  ts: 0x01,
  /** An f64 `label` follows (after ts); without it the event is score only. */
  label: 0x02,
  /** `trusted` is present; its value is {@link BINARY_EVENT_FLAGS.trustedValue}. */
  trusted: 0x04,
  /** `trusted: true` (only with {@link BINARY_EVENT_FLAGS.trusted}). */
  trustedValue: 0x08,
  /** An f64 `sourceLabel` follows (after label). */
  sourceLabel: 0x10,
  /** `features` is a plain array of f64 values (dense), else named (length-prefixed UTF-8 name + f64). */
  dense: 0x20,
} as const;

/** The largest id or feature name in UTF-8 bytes (a u16 length). */
export const BINARY_EVENT_MAX_STRING_BYTES = 0xffff;

/**
 * What {@link encodeBinaryEvent} encodes: a SPEC §2 event. An absent or null field is left out of the
 * message. `features` is dense when it is an array or a typed array, named otherwise (own enumerable
 * keys, in their enumeration order: the order `JSON.stringify` and `JSON.parse` give).
 */
export interface BinaryEventInput {
  readonly id: string;
  readonly ts?: number | null;
  readonly features: Readonly<Record<string, number>> | ArrayLike<number>;
  readonly label?: number | null;
  readonly trusted?: boolean | null;
  readonly sourceLabel?: number | null;
}

const hasOwn = Object.hasOwn;
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether `features` is written dense: an array or a typed array (not a DataView). */
function isDense(f: unknown): f is ArrayLike<number> {
  return Array.isArray(f) || (ArrayBuffer.isView(f) && !(f instanceof DataView));
}

/**
 * The exact size in bytes of the binary form of `e` (what {@link encodeBinaryEvent} returns), so a
 * batching producer can size its buffer.
 *
 * @param e - the event
 * @returns its encoded length in bytes
 * @throws CoreError `bad-event` for input that cannot be encoded (see {@link encodeBinaryEvent})
 * @example
 * binaryEventSize({ id: 'e-1', features: [0.5, 1] }) // 4 + 2 + 3 + 4 + 16 = 29
 */
export function binaryEventSize(e: BinaryEventInput): number {
  checkShape(e);
  let size = 4 + 2 + utf8Length(e.id, 'id') + 4;
  if (typeof e.ts === 'number') size += 8;
  if (typeof e.label === 'number') size += 8;
  if (typeof e.sourceLabel === 'number') size += 8;
  const f = e.features;
  if (isDense(f)) return size + 8 * f.length;
  const named = f as Readonly<Record<string, number>>;
  for (const k in named) {
    if (!hasOwn(named, k)) continue;
    size += 2 + utf8Length(k, 'feature name') + 8;
  }
  return size;
}

/**
 * Encodes a SPEC §2 event in the binary event format, version 1 (little-endian; see
 * docs/event-encoding.md): magic 0xB1, version, flags, a reserved 0 byte, the id (u16 length + UTF-8),
 * the f64 `ts`, `label`, `sourceLabel` that are present, the u32 feature count, then either
 * count × (u16 name length, UTF-8 name, f64 value) or count × f64. `EventDecoder.decode` reads it
 * beside JSON, per message, with the same validation and the same result as the JSON form.
 *
 * Only what cannot be represented is refused; the meaning is checked by the decoder, so NaN, a label of
 * 7 or 2000 features encode as they are (tests build bad events this way).
 *
 * @param e - the event
 * @returns a new array holding exactly the encoded event
 * @throws CoreError `bad-event` when `id` is not a string, `features` is neither an object nor an array,
 *   a value or `ts`/`label`/`sourceLabel` is not a number, `trusted` not a boolean, the id or a feature
 *   name is over 65535 UTF-8 bytes or holds a lone UTF-16 surrogate (UTF-8 has no form for it)
 * @example
 * const bytes = encodeBinaryEvent({ id: 'e-17', ts: 1732300000000, features: { age: 0.3 }, label: 1 });
 * bytes[0] // 0xb1 (BINARY_EVENT_MAGIC)
 * decoder.decode(bytes, ev) // null, ev.id === 'e-17', ev.label === 1
 */
export function encodeBinaryEvent(e: BinaryEventInput): Uint8Array {
  const out = new Uint8Array(binaryEventSize(e));
  encodeBinaryEventInto(e, out, 0);
  return out;
}

/**
 * {@link encodeBinaryEvent} into a caller's buffer (e.g. one `Buffer` for a whole batch), at `offset`.
 * Allocates nothing per event.
 *
 * @param e - the event
 * @param out - the destination (a `Uint8Array` or a Node `Buffer`)
 * @param offset - where the event starts in `out`
 * @returns the number of bytes written (the event occupies `out[offset .. offset + returned)`)
 * @throws CoreError `bad-event` as {@link encodeBinaryEvent}; `buffer-too-small` when the event does
 *   not fit in `out` after `offset` (the message says how many bytes it needs; `out` may then hold a
 *   partial event after `offset`)
 * @example
 * const buf = new Uint8Array(4096);
 * let at = 0;
 * for (const e of events) at += encodeBinaryEventInto(e, buf, at);
 */
export function encodeBinaryEventInto(e: BinaryEventInput, out: Uint8Array, offset: number): number {
  checkShape(e);
  if (!Number.isInteger(offset) || offset < 0 || offset > out.length) {
    throw new CoreError('bad-option', `offset ${offset} must be an integer in [0, ${out.length}] (the destination's length)`);
  }
  const end = out.length;
  let flags = 0;
  if (typeof e.ts === 'number') flags |= BINARY_EVENT_FLAGS.ts;
  if (typeof e.label === 'number') flags |= BINARY_EVENT_FLAGS.label;
  if (typeof e.trusted === 'boolean') flags |= e.trusted ? BINARY_EVENT_FLAGS.trusted | BINARY_EVENT_FLAGS.trustedValue : BINARY_EVENT_FLAGS.trusted;
  if (typeof e.sourceLabel === 'number') flags |= BINARY_EVENT_FLAGS.sourceLabel;
  const f = e.features;
  const dense = isDense(f);
  if (dense) flags |= BINARY_EVENT_FLAGS.dense;

  if (offset + 6 > end) throw tooSmall(e, out, offset);
  out[offset] = BINARY_EVENT_MAGIC;
  out[offset + 1] = BINARY_EVENT_VERSION;
  out[offset + 2] = flags;
  out[offset + 3] = 0;
  let p = writeString(e.id, 'id', out, offset + 4, e, offset);
  if (typeof e.ts === 'number') p = writeF64(e.ts, out, p, e, offset);
  if (typeof e.label === 'number') p = writeF64(e.label, out, p, e, offset);
  if (typeof e.sourceLabel === 'number') p = writeF64(e.sourceLabel, out, p, e, offset);
  if (p + 4 > end) throw tooSmall(e, out, offset);
  const countAt = p;
  p += 4;
  let count = 0;
  if (dense) {
    const a = f as ArrayLike<number>;
    const n = a.length;
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (typeof v !== 'number') throw badEvent(`features[${i}] is ${typeof v}, not a number`);
      p = writeF64(v, out, p, e, offset);
    }
    count = n;
  } else {
    const named = f as Readonly<Record<string, number>>;
    for (const k in named) {
      if (!hasOwn(named, k)) continue;
      const v = named[k];
      if (typeof v !== 'number') throw badEvent(`feature "${clip(k)}" is ${v === null ? 'null' : typeof v}, not a number`);
      p = writeString(k, 'feature name', out, p, e, offset);
      p = writeF64(v, out, p, e, offset);
      count++;
    }
  }
  out[countAt] = count & 0xff;
  out[countAt + 1] = (count >>> 8) & 0xff;
  out[countAt + 2] = (count >>> 16) & 0xff;
  out[countAt + 3] = (count >>> 24) & 0xff;
  return p - offset;
}

// --------------------------------------------------------------------------------------------- parts

function checkShape(e: BinaryEventInput): void {
  if (typeof e !== 'object' || e === null) throw badEvent(`the event is ${e === null ? 'null' : typeof e}, not an object`);
  if (typeof e.id !== 'string') throw badEvent(`id is ${e.id === null ? 'null' : typeof e.id}, not a string`);
  const f = e.features as unknown;
  if (typeof f !== 'object' || f === null || f instanceof DataView) {
    throw badEvent(`features is ${f === null ? 'null' : f instanceof DataView ? 'a DataView' : typeof f}; give an object of named numbers or an array of numbers`);
  }
  checkNumber(e.ts, 'ts');
  checkNumber(e.label, 'label');
  checkNumber(e.sourceLabel, 'sourceLabel');
  const t = e.trusted;
  if (t !== undefined && t !== null && typeof t !== 'boolean') throw badEvent(`trusted is ${typeof t}; give true, false, or null / leave it out`);
}

function checkNumber(v: unknown, what: string): void {
  if (v !== undefined && v !== null && typeof v !== 'number') throw badEvent(`${what} is ${typeof v}; give a number, or null / leave it out`);
}

/** UTF-8 length of `s`, refusing lone surrogates and strings over the u16 limit. */
function utf8Length(s: string, what: string): number {
  let n = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) throw loneSurrogate(s, what, i);
      n += 4;
      i++;
    } else n += 3;
  }
  if (n > BINARY_EVENT_MAX_STRING_BYTES) throw tooLong(s, what, n);
  return n;
}

/** Writes the u16 length and the UTF-8 bytes of `s` at `p`; returns the position after it. */
function writeString(s: string, what: string, out: Uint8Array, p: number, e: BinaryEventInput, offset: number): number {
  const end = out.length;
  const start = p + 2;
  if (start > end) throw tooSmall(e, out, offset);
  let q = start;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (q >= end) throw tooSmall(e, out, offset);
      out[q++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) throw loneSurrogate(s, what, i);
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
    }
    const nb = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (q + nb > end) throw tooSmall(e, out, offset);
    if (nb === 2) {
      out[q++] = 0xc0 | (c >> 6);
    } else if (nb === 3) {
      out[q++] = 0xe0 | (c >> 12);
      out[q++] = 0x80 | ((c >> 6) & 0x3f);
    } else {
      out[q++] = 0xf0 | (c >> 18);
      out[q++] = 0x80 | ((c >> 12) & 0x3f);
      out[q++] = 0x80 | ((c >> 6) & 0x3f);
    }
    out[q++] = 0x80 | (c & 0x3f);
  }
  const n = q - start;
  if (n > BINARY_EVENT_MAX_STRING_BYTES) throw tooLong(s, what, n);
  out[p] = n & 0xff;
  out[p + 1] = n >>> 8;
  return q;
}

function writeF64(v: number, out: Uint8Array, p: number, e: BinaryEventInput, offset: number): number {
  if (p + 8 > out.length) throw tooSmall(e, out, offset);
  F64[0] = v;
  if (LITTLE_ENDIAN) for (let k = 0; k < 8; k++) out[p + k] = F64_BYTES[k];
  else for (let k = 0; k < 8; k++) out[p + k] = F64_BYTES[7 - k];
  return p + 8;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function badEvent(what: string): CoreError {
  return new CoreError('bad-event', `cannot encode the binary event: ${what}`);
}

function loneSurrogate(s: string, what: string, i: number): CoreError {
  return badEvent(`${what} "${clip(s)}" holds a lone UTF-16 surrogate at index ${i}, which UTF-8 cannot encode; remove it or pair it`);
}

function tooLong(s: string, what: string, n: number): CoreError {
  return badEvent(`${what} "${clip(s)}" is ${n} UTF-8 bytes, over the format's limit of ${BINARY_EVENT_MAX_STRING_BYTES}; shorten it`);
}

function tooSmall(e: BinaryEventInput, out: Uint8Array, offset: number): CoreError {
  const need = binaryEventSize(e);
  return new CoreError(
    'buffer-too-small',
    `the binary event needs ${need} bytes but the destination has ${out.length - offset} after offset ${offset}; flush the batch or use a larger buffer (binaryEventSize gives the size)`,
  );
}
