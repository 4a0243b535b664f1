import type { Score } from './types.js';
import { JS_NUMBER_MAX_BYTES, NUMBER_SCRATCH, writeNumberScratch } from './write-js-number.js';

const ascii = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
};
const K_ID = ascii('{"id":');
const K_TS = ascii(',"ts":');
const K_Z = ascii(',"z":');
const K_P = ascii(',"p":');
const K_PCAL = ascii(',"pCalibrated":');
const K_MV = ascii(',"modelVersion":');
const K_LABEL = ascii(',"label":');
const K_LEARNER = ascii(',"learnerId":');
/** The keys, braces and commas of a score without learnerId. */
const FIXED_BYTES = K_ID.length + K_TS.length + K_Z.length + K_P.length + K_PCAL.length + K_MV.length + K_LABEL.length + 1;
/** Bytes for one UTF-16 unit at most: `\u001f` or a lone surrogate `\udc00` (6); BMP characters ≤ 3, a pair 4 for 2. */
const MAX_BYTES_PER_UNIT = 6;
const HEX = ascii('0123456789abcdef');

/**
 * An upper bound of the bytes {@link encodeScoreInto} writes for a score with this id (and learner
 * id): the fixed text, six numbers of at most {@link JS_NUMBER_MAX_BYTES} bytes each, and six bytes
 * per UTF-16 unit of the strings (their longest escape) plus quotes. O(1): reads only the lengths.
 *
 * @param id - the score's id
 * @param learnerId - the learner id, or undefined
 * @returns bytes that always suffice
 * @example
 * scoreBytesBound('e-17', undefined) // 63 + 6 · 25 + 4 · 6 + 2 = 239
 */
export function scoreBytesBound(id: string, learnerId: string | undefined): number {
  const base = FIXED_BYTES + 6 * JS_NUMBER_MAX_BYTES + MAX_BYTES_PER_UNIT * id.length + 2;
  return learnerId === undefined ? base : base + K_LEARNER.length + MAX_BYTES_PER_UNIT * learnerId.length + 2;
}

let lastLearnerId: string | null = null;
/** `,"learnerId":"…"}` as UTF-8, for {@link lastLearnerId} (a learner writes all its scores with one id). */
let learnerMember = new Uint8Array(0);

/**
 * Writes the UTF-8 bytes of exactly `encodeScore(s, learnerId)` (SPEC §2 score record, JSON) into
 * `out` at `pos`, with no string made on the way: the numbers as {@link writeJsNumber} writes them (non-finite as
 * `null`, −0 as `-0`, as encodeScore writes them), the id escaped as `JSON.stringify` escapes it
 * (quotes, backslash, `\b \f \n \r \t`, other control characters and lone surrogates as lowercase
 * `\u00xx` / `\udxxx`), encoded as UTF-8 (an ASCII id without escapes is a plain byte loop). The
 * learner id's member is encoded once and copied while the id stays the same.
 *
 * @param s - the score
 * @param learnerId - the producing learner's id, or undefined (no `learnerId` member)
 * @param out - the bytes to write into
 * @param pos - where the first byte goes
 * @returns the position after the record's last byte, or −1 when fewer than
 *   {@link scoreBytesBound}`(s.id, learnerId)` bytes are free after `pos` (nothing is written; grow
 *   the buffer and call again). Bytes between the end and `pos + scoreBytesBound(…)` may have been
 *   overwritten (scratch of the number writer); nothing outside that range is touched.
 * @example
 * const b = new Uint8Array(256);
 * const end = encodeScoreInto({ id: 'e-17', ts: 1732300000000, z: 0.5, p: 0.6224593312018546, pCalibrated: 0.6, modelVersion: 3, label: 1 }, undefined, b, 0);
 * new TextDecoder().decode(b.subarray(0, end))
 * // '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1}'
 */
export function encodeScoreInto(s: Score, learnerId: string | undefined, out: Uint8Array, pos: number): number {
  if (out.length - pos < scoreBytesBound(s.id, learnerId)) return -1;
  pos = putIdKey(out, pos);
  pos = writeJsonString(s.id, out, pos);
  pos = putTsKey(out, pos);
  // (each number goes through NUMBER_SCRATCH: as an argument V8 would box it, see writeNumberScratch)
  const ts = s.ts;
  if (ts === null) pos = putNull(out, pos);
  else {
    NUMBER_SCRATCH[0] = ts;
    pos = writeJsonNumber(out, pos);
  }
  pos = putZKey(out, pos);
  NUMBER_SCRATCH[0] = s.z;
  pos = writeJsonNumber(out, pos);
  pos = putPKey(out, pos);
  const pStart = pos;
  NUMBER_SCRATCH[0] = s.p;
  pos = writeJsonNumber(out, pos);
  const pEnd = pos;
  pos = putPCalibratedKey(out, pos);
  if (Object.is(s.pCalibrated, s.p)) {
    // Uncalibrated (the default): the same number, so the same text; copy p's bytes instead of writing it again.
    for (let k = pStart; k < pEnd; k++) out[pos++] = out[k];
  } else {
    NUMBER_SCRATCH[0] = s.pCalibrated;
    pos = writeJsonNumber(out, pos);
  }
  pos = putModelVersionKey(out, pos);
  NUMBER_SCRATCH[0] = s.modelVersion;
  pos = writeJsonNumber(out, pos);
  pos = putLabelKey(out, pos);
  const label = s.label;
  if (label === null) pos = putNull(out, pos);
  else {
    NUMBER_SCRATCH[0] = label;
    pos = writeJsonNumber(out, pos);
  }
  if (learnerId === undefined) {
    out[pos] = 0x7d; // '}'
    return pos + 1;
  }
  if (learnerId !== lastLearnerId) {
    const b = new Uint8Array(scoreBytesBound('', learnerId));
    let n = copy(K_LEARNER, b, 0);
    n = writeJsonString(learnerId, b, n);
    b[n++] = 0x7d;
    learnerMember = b.slice(0, n);
    lastLearnerId = learnerId;
  }
  return copy(learnerMember, out, pos);
}

/** `{"id":` (unrolled stores: no loop for the constant text). */
function putIdKey(out: Uint8Array, p: number): number {
  out[p] = 0x7b; // {
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x69; // i
  out[p + 3] = 0x64; // d
  out[p + 4] = 0x22; // "
  out[p + 5] = 0x3a; // :
  return p + 6;
}

/** `,"ts":` (unrolled stores: no loop for the constant text). */
function putTsKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x74; // t
  out[p + 3] = 0x73; // s
  out[p + 4] = 0x22; // "
  out[p + 5] = 0x3a; // :
  return p + 6;
}

/** `,"z":` (unrolled stores: no loop for the constant text). */
function putZKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x7a; // z
  out[p + 3] = 0x22; // "
  out[p + 4] = 0x3a; // :
  return p + 5;
}

/** `,"p":` (unrolled stores: no loop for the constant text). */
function putPKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x70; // p
  out[p + 3] = 0x22; // "
  out[p + 4] = 0x3a; // :
  return p + 5;
}

/** `,"pCalibrated":` (unrolled stores: no loop for the constant text). */
function putPCalibratedKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x70; // p
  out[p + 3] = 0x43; // C
  out[p + 4] = 0x61; // a
  out[p + 5] = 0x6c; // l
  out[p + 6] = 0x69; // i
  out[p + 7] = 0x62; // b
  out[p + 8] = 0x72; // r
  out[p + 9] = 0x61; // a
  out[p + 10] = 0x74; // t
  out[p + 11] = 0x65; // e
  out[p + 12] = 0x64; // d
  out[p + 13] = 0x22; // "
  out[p + 14] = 0x3a; // :
  return p + 15;
}

/** `,"modelVersion":` (unrolled stores: no loop for the constant text). */
function putModelVersionKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x6d; // m
  out[p + 3] = 0x6f; // o
  out[p + 4] = 0x64; // d
  out[p + 5] = 0x65; // e
  out[p + 6] = 0x6c; // l
  out[p + 7] = 0x56; // V
  out[p + 8] = 0x65; // e
  out[p + 9] = 0x72; // r
  out[p + 10] = 0x73; // s
  out[p + 11] = 0x69; // i
  out[p + 12] = 0x6f; // o
  out[p + 13] = 0x6e; // n
  out[p + 14] = 0x22; // "
  out[p + 15] = 0x3a; // :
  return p + 16;
}

/** `,"label":` (unrolled stores: no loop for the constant text). */
function putLabelKey(out: Uint8Array, p: number): number {
  out[p] = 0x2c; // ,
  out[p + 1] = 0x22; // "
  out[p + 2] = 0x6c; // l
  out[p + 3] = 0x61; // a
  out[p + 4] = 0x62; // b
  out[p + 5] = 0x65; // e
  out[p + 6] = 0x6c; // l
  out[p + 7] = 0x22; // "
  out[p + 8] = 0x3a; // :
  return p + 9;
}

function copy(src: Uint8Array, out: Uint8Array, pos: number): number {
  const n = src.length;
  for (let i = 0; i < n; i++) out[pos + i] = src[i];
  return pos + n;
}

/** `null`. */
function putNull(out: Uint8Array, pos: number): number {
  out[pos] = 0x6e;
  out[pos + 1] = 0x75;
  out[pos + 2] = 0x6c;
  out[pos + 3] = 0x6c;
  return pos + 4;
}

/** NUMBER_SCRATCH[0] as encodeScore writes a number: `null` when not finite, `-0` for −0, else String(x). */
function writeJsonNumber(out: Uint8Array, pos: number): number {
  const x = NUMBER_SCRATCH[0];
  if (x - x !== 0) return putNull(out, pos); // (x − x is NaN exactly for NaN and ±Infinity)
  if (x === 0 && 1 / x < 0) {
    out[pos] = 0x2d; // -0
    out[pos + 1] = 0x30;
    return pos + 2;
  }
  return writeNumberScratch(out, pos);
}

/** `JSON.stringify(str)` as UTF-8: ASCII without escapes byte by byte, the rest by {@link writeJsonStringSlow}. */
function writeJsonString(str: string, out: Uint8Array, pos: number): number {
  out[pos++] = 0x22;
  const n = str.length;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) return writeJsonStringSlow(str, i, out, pos);
    out[pos++] = c;
  }
  out[pos] = 0x22;
  return pos + 1;
}

/** The rest of a JSON string from unit `i` on: escapes, UTF-8 of 2–4 bytes, lone surrogates as `\udxxx`. */
function writeJsonStringSlow(str: string, i: number, out: Uint8Array, pos: number): number {
  const n = str.length;
  for (; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) out[pos++] = c;
      else {
        out[pos++] = 0x5c; // '\'
        if (c === 0x22 || c === 0x5c) out[pos++] = c;
        else if (c === 0x08) out[pos++] = 0x62; // b
        else if (c === 0x09) out[pos++] = 0x74; // t
        else if (c === 0x0a) out[pos++] = 0x6e; // n
        else if (c === 0x0c) out[pos++] = 0x66; // f
        else if (c === 0x0d) out[pos++] = 0x72; // r
        else pos = writeUnicodeEscape(c, out, pos);
      }
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    } else {
      const d = i + 1 < n ? str.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[pos++] = 0xf0 | (cp >> 18);
        out[pos++] = 0x80 | ((cp >> 12) & 0x3f);
        out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
        out[pos++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        out[pos++] = 0x5c;
        pos = writeUnicodeEscape(c, out, pos); // a lone surrogate, as JSON.stringify writes it
      }
    }
  }
  out[pos] = 0x22;
  return pos + 1;
}

/** `u` and four lowercase hex digits of `c` (after the backslash). */
function writeUnicodeEscape(c: number, out: Uint8Array, pos: number): number {
  out[pos] = 0x75; // u
  out[pos + 1] = HEX[c >> 12];
  out[pos + 2] = HEX[(c >> 8) & 15];
  out[pos + 3] = HEX[(c >> 4) & 15];
  out[pos + 4] = HEX[c & 15];
  return pos + 5;
}
