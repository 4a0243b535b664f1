import { murmur3BytesInt32, type SparseVector } from '@logit-stream/kernel';
import type { FeatureSpace } from '../features/index.js';
import type { DecodedEvent } from './types.js';
import { asciiString } from './ascii-string.js';
import { eiselLemire } from './eisel-lemire.js';
import { FeatureNameTable } from './feature-name-table.js';
import { isForbiddenKeyBytes } from './forbidden-key-bytes.js';
import { firstInvalidUtf8 } from './utf8-error.js';

/** What {@link JsonEventScanner} needs from its `EventDecoder`: the limits the slow path applies. */
export interface JsonEventScannerHost {
  readonly space: FeatureSpace;
  readonly maxFeatures: number;
  /** Longest id in UTF-16 code units, and the largest |ts| (the slow path's limits). */
  readonly maxIdLength: number;
  readonly maxTs: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Top-level keys read by the fast path, as bits of the "seen" mask (a repeated key bails out). */
const K_ID = 1;
const K_TS = 2;
const K_LABEL = 4;
const K_TRUSTED = 8;
const K_SOURCE = 16;
const K_FEATURES = 32;

/** Largest array index of a JavaScript object (2^32 − 2): such names enumerate first, ascending. */
const MAX_ARRAY_INDEX = 4294967294;
/** 2^53: integers below it are exact doubles. */
const TWO_53 = 9007199254740992;
/** Deepest nesting of a skipped value (an unknown top-level key's); deeper bails out. */
const MAX_SKIP_DEPTH = 64;
const TWO_32 = 4294967296;
const TWO_M32 = 1 / TWO_32;
/** 5^k and 2^k for k = 0…9 ({@link exactSignificand}). */
const POW5_SMALL = new Float64Array(10);
const POW2_SMALL = new Float64Array(10);
for (let k = 0; k <= 9; k++) {
  POW5_SMALL[k] = 5 ** k;
  POW2_SMALL[k] = 2 ** k;
}
/** 10^0 … 10^22: every one an exact double (Clinger's fast path). */
const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10[k] = p;


/**
 * The fast path of `EventDecoder.decode` for SPEC §2 JSON events: reads the UTF-8 bytes directly, with
 * no `TextDecoder` of the message, no `JSON.parse` and no per-event objects (only the id string is
 * made; rarely also a number's text, see below, or for a non-ASCII id a subarray view to decode it
 * from; measured 43 B per event with `benchEventEncodings`: the id and the boxed `ts`), and fills the reused {@link DecodedEvent} with exactly what the slow path
 * (`TextDecoder` → `JSON.parse` → `EventDecoder.decodeObject`) would give. It only ever accepts:
 * whenever anything is unusual, {@link JsonEventScanner.scan} returns false and the caller runs the
 * slow path, which then decides (and words) every rejection.
 *
 * Accepted: a top-level object (JSON whitespace anywhere, keys in any order, each at most once) with
 * `id` (a string of 1–maxIdLength UTF-16 units), optional `ts` (a number within ±maxTs, or null),
 * `label` and `sourceLabel` (a number in [0,1], or null; −0 stored as 0), `trusted` (true, false or
 * null), and `features`: an object of name → finite number, or an array of finite numbers (at most
 * maxFeatures; a dense space needs exactly dim values or names `"0".."dim−1"`, a hashed one at most dim
 * values). Other top-level keys are skipped after their value is checked to be valid JSON with no
 * forbidden key (`__proto__`, `constructor`, `prototype`) at any depth.
 *
 * Falls back (returns false) on: any backslash escape in a key, the id or a feature name (escapes are
 * fine in skipped string values); invalid UTF-8 in a string; control characters; a repeated top-level
 * key or feature name; forbidden keys anywhere; feature names that JavaScript enumerates first
 * (array indices such as `"3"`) when they are not first and ascending (object key order decides the
 * order of the features and of sums of colliding slots); a value of another type than listed;
 * numbers that convert to ±Infinity or that fail the range checks; skipped values nested deeper than
 * 64; any JSON grammar error, a byte order mark, trailing bytes; a `DecodedEvent` smaller than
 * maxFeatures.
 *
 * Numbers: a significand below 2^53 (its digits read as integers) with a decimal exponent of at most 22 in
 * magnitude is converted exactly by one multiplication or division by an exact power of ten
 * (Clinger 1990, the "fast path"). Beyond that (a full-precision double such as
 * `JSON.stringify(Math.random())` or Python's `repr` has 17 significant digits, and about a third of
 * those are at or above 2^53; values like 1e-30 are beyond 10^±22), a significand of at most 19
 * significant digits is read again as an exact 64-bit integer and converted by {@link eiselLemire}
 * (exactly rounded, no string). Only numbers of 20+ significant digits, an exponent of 6+ digits, or
 * the (proven impossible) undecided case go through `Number()` of the number's text (a string,
 * allocated only then: about 150–200 B and as much time as on the slow path), which rounds exactly
 * as `JSON.parse` does. A fractional `ts`, `label` or `sourceLabel` is boxed in its field of the
 * event (16 B).
 *
 * Paper: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990; D. Lemire,
 * "Number Parsing at a Gigabyte per Second", Software: Practice and Experience 2021.
 *
 * @param host - {@link JsonEventScannerHost}: the decoder's space and limits
 * @example
 * const scanner = new JsonEventScanner({ space, maxFeatures: 1000, maxIdLength: 256, maxTs: 8.64e15 });
 * scanner.scan(new TextEncoder().encode('{"id":"e-1","features":{"age":0.3},"label":1}'), ev) // true
 * scanner.scan(new TextEncoder().encode('{"id":"e\\u0031","features":{}}'), ev) // false: the slow path decides
 */
export class JsonEventScanner {
  private readonly space: FeatureSpace;
  private readonly hashed: boolean;
  private readonly dim: number;
  private readonly mask: number;
  private readonly seed: number;
  private readonly max: number;
  private readonly maxIdLength: number;
  private readonly maxTs: number;
  /** For a non-ASCII id (validated before); ignoreBOM keeps a leading U+FEFF, as JSON.parse does. */
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  /**
   * Per feature of the current event: slot and value, staged here and moved into `into.x` after the
   * scan by a small loop, so that no double crosses a call V8 might not inline in the large scan loop
   * (such a call boxes it: 16 B); for a hashed space also name start and length.
   */
  private readonly slots: Int32Array;
  private readonly vals: Float64Array;
  private readonly names: FeatureNameTable;
  /** Container kinds of a skipped value (1 object, 2 array), by depth. */
  private readonly stack = new Uint8Array(MAX_SKIP_DEPTH);
  /** The last number read by {@link number} (in a typed array: a double field of an object would box it). */
  private readonly out = new Float64Array(1);
  /** The exact significand of a number beyond Clinger's fast path, for {@link eiselLemire}: [low, high] 32 bits. */
  private readonly sig = new Uint32Array(2);
  /** Whether the last string read by {@link string} held a non-ASCII byte. */
  private wide = false;

  constructor(host: JsonEventScannerHost) {
    const space = host.space;
    this.space = space;
    this.hashed = space.kind === 'hashed';
    this.dim = space.dim;
    this.mask = space.dim - 1;
    this.seed = space.options.kind === 'hashed' ? (space.options.seed ?? 0) : 0;
    this.max = host.maxFeatures;
    this.maxIdLength = host.maxIdLength;
    this.maxTs = host.maxTs;
    this.slots = new Int32Array(this.max);
    this.vals = new Float64Array(this.max);
    const m = this.hashed ? this.max : 0;
    this.names = new FeatureNameTable(m);
  }

  /**
   * Tries the fast path on one JSON message (size limits already checked by the caller).
   *
   * @param b - the message bytes
   * @param into - the reused event; filled when the result is true, unspecified (partly written) when false
   * @returns true when the event is accepted exactly as the slow path would accept it; false: run the slow path
   */
  scan(b: Uint8Array, into: DecodedEvent): boolean {
    const x = into.x;
    if (x.capacity < this.max) return false; // the slow path throws its programming-error CoreError
    x.clear();
    const n = b.length;
    let p = ws(b, 0, n);
    if (p >= n || b[p] !== LBRACE) return false;
    p = ws(b, p + 1, n);
    if (p >= n || b[p] === RBRACE) return false; // {} has no id
    let seen = 0;
    let idAt = 0;
    let idEnd = 0;
    let idWide = false;
    let ts: number | null = null;
    let label: number | null = null;
    let trusted = false;
    let source: number | null = null;
    for (;;) {
      if (b[p] !== QUOTE) return false;
      const ks = p + 1;
      p = this.string(b, ks, n, false);
      if (p < 0) return false;
      const ke = p - 1;
      const key = this.wide ? 0 : keyOf(b, ks, ke - ks);
      if (key !== 0) {
        if ((seen & key) !== 0) return false;
        seen |= key;
      } else if (isForbiddenKeyBytes(b, ks, ke - ks)) return false;
      p = ws(b, p, n);
      if (p >= n || b[p] !== COLON) return false;
      p = ws(b, p + 1, n);
      if (p >= n) return false;
      const c = b[p];
      switch (key) {
        case K_ID:
          if (c !== QUOTE) return false;
          idAt = p + 1;
          p = this.string(b, idAt, n, false);
          if (p < 0) return false;
          idEnd = p - 1;
          idWide = this.wide;
          break;
        case K_TS:
          if (c === 0x6e) {
            p = literal(b, p, n, NULL);
            ts = null;
          } else {
            p = this.number(b, p, n);
            const v = this.out[0];
            if (!(v >= -this.maxTs && v <= this.maxTs)) return false;
            ts = v;
          }
          break;
        case K_LABEL:
          if (c === 0x6e) {
            p = literal(b, p, n, NULL);
            label = null;
          } else {
            p = this.number(b, p, n);
            const v = this.out[0];
            if (!(v >= 0 && v <= 1)) return false;
            label = v + 0; // −0 → 0
          }
          break;
        case K_TRUSTED:
          if (c === 0x74) {
            p = literal(b, p, n, TRUE);
            trusted = true;
          } else if (c === 0x66) {
            p = literal(b, p, n, FALSE);
            trusted = false;
          } else {
            p = literal(b, p, n, NULL);
            trusted = false;
          }
          break;
        case K_SOURCE:
          if (c === 0x6e) {
            p = literal(b, p, n, NULL);
            source = null;
          } else {
            p = this.number(b, p, n);
            const v = this.out[0];
            if (!(v >= 0 && v <= 1)) return false;
            source = v + 0;
          }
          break;
        case K_FEATURES:
          if (c === LBRACE) p = this.named(b, p + 1, n, into);
          else if (c === LBRACKET) p = this.array(b, p + 1, n, into);
          else return false;
          break;
        default:
          p = this.skip(b, p, n);
      }
      if (p < 0) return false;
      p = ws(b, p, n);
      if (p >= n) return false;
      if (b[p] === COMMA) {
        p = ws(b, p + 1, n);
        if (p >= n) return false;
        continue;
      }
      if (b[p] !== RBRACE) return false;
      break;
    }
    if (ws(b, p + 1, n) !== n) return false;
    if ((seen & (K_ID | K_FEATURES)) !== (K_ID | K_FEATURES)) return false;
    const idLen = idEnd - idAt;
    if (idLen === 0) return false;
    let id: string;
    if (idWide) {
      if (idLen > 3 * this.maxIdLength) return false; // ≥ 1 UTF-16 unit per 3 bytes: surely too long
      id = this.utf8.decode(b.subarray(idAt, idEnd));
    } else {
      if (idLen > this.maxIdLength) return false;
      id = asciiString(b, idAt, idEnd);
    }
    if (id.length > this.maxIdLength) return false;
    into.id = id;
    into.ts = ts;
    into.label = label;
    into.trusted = trusted;
    into.sourceLabel = source;
    return true;
  }

  /** Features as an object, from just past `{`: into `into.x` in JavaScript's key order; index past `}` or −1. */
  private named(b: Uint8Array, p: number, n: number, into: DecodedEvent): number {
    const x = into.x;
    x.clear();
    p = ws(b, p, n);
    if (p >= n) return -1;
    if (b[p] === RBRACE) return p + 1;
    const hashed = this.hashed;
    const seed = this.seed;
    const mask = this.mask;
    const dim = this.dim;
    const max = this.max;
    const slots = this.slots;
    const vals = this.vals;
    const nameAt = this.names.nameAt;
    const nameLen = this.names.nameLen;
    let count = 0;
    let sawName = false; // a name that is not an array index
    let lastIndex = -1;
    for (;;) {
      if (b[p] !== QUOTE) return -1;
      const s = p + 1;
      p = this.string(b, s, n, false);
      if (p < 0) return -1;
      const e = p - 1;
      const len = e - s;
      p = ws(b, p, n);
      if (p >= n || b[p] !== COLON) return -1;
      p = ws(b, p + 1, n);
      if (p >= n) return -1;
      p = this.number(b, p, n);
      if (p < 0) return -1;
      const v = this.out[0];
      if (v - v !== 0) return -1; // ±Infinity (1e999)
      if (count === max) return -1; // more than maxFeatures
      // array-index names ("0", "17"; no leading zero, ≤ 2^32 − 2): JavaScript enumerates them first, ascending
      let index = -1;
      const c0 = b[s];
      if (len > 0 && len <= 10 && c0 >= ZERO && c0 <= NINE && (c0 !== ZERO || len === 1)) {
        let iv = 0;
        let i = s;
        for (; i < e; i++) {
          const d = b[i] - ZERO;
          if (d < 0 || d > 9) break;
          iv = iv * 10 + d;
        }
        if (i === e && iv <= MAX_ARRAY_INDEX) index = iv;
      }
      if (index >= 0) {
        if (sawName || index <= lastIndex) return -1;
        lastIndex = index;
      } else sawName = true;
      let slot: number;
      if (hashed) {
        if (isForbiddenKeyBytes(b, s, len)) return -1;
        slot = murmur3BytesInt32(b, s, e, seed) & mask;
        nameAt[count] = s;
        nameLen[count] = len;
      } else {
        if (index < 0 || index >= dim) return -1; // not a column index of the dense space
        slot = index;
      }
      slots[count] = slot;
      vals[count] = v;
      count++;
      p = ws(b, p, n);
      if (p >= n) return -1;
      const c = b[p];
      if (c === COMMA) {
        p = ws(b, p + 1, n);
        if (p >= n) return -1;
        continue;
      }
      if (c !== RBRACE) return -1;
      break;
    }
    pushAll(x, slots, vals, count);
    if (hashed) {
      this.space.canonicalize(x);
      if (x.nnz < count && this.names.hasDuplicate(b, slots, count)) return -1; // JSON.parse keeps the last value
    }
    return p + 1;
  }

  /** Features as an array, from just past `[`: element i → slot i; index past `]` or −1. */
  private array(b: Uint8Array, p: number, n: number, into: DecodedEvent): number {
    p = ws(b, p, n);
    if (p >= n) return -1;
    let count = 0;
    const vals = this.vals;
    if (b[p] !== RBRACKET) {
      const max = this.max;
      for (;;) {
        p = this.number(b, p, n);
        if (p < 0) return -1;
        const v = this.out[0];
        if (v - v !== 0) return -1;
        if (count === max) return -1;
        vals[count] = v;
        count++;
        p = ws(b, p, n);
        if (p >= n) return -1;
        const c = b[p];
        if (c === COMMA) {
          p = ws(b, p + 1, n);
          if (p >= n) return -1;
          continue;
        }
        if (c !== RBRACKET) return -1;
        break;
      }
    }
    if (this.hashed ? count > this.dim : count !== this.dim) return -1; // dimension-mismatch
    into.x.fillDense(vals, count);
    return p + 1;
  }

  /**
   * A JSON number at `p` (grammar checked: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`) into `this.out[0]`;
   * returns the index past it or −1. What follows is checked by the caller.
   */
  private number(b: Uint8Array, p: number, n: number): number {
    const start = p;
    if (p >= n) return -1;
    // sign without a branch (random signs would mispredict one): m is 1 for '-', else 0
    const m = ((b[p] ^ MINUS) - 1) >>> 31;
    p += m;
    // the significand's digits (leading zeros of a fraction included) as hi · 10^nd + lo: lo an int32
    // of at most 9 digits, hi a double that is exact while the whole stays below 2^53 (checked at the end)
    let hi = 0;
    let lo = 0;
    let nd = 0;
    let c1 = 0; // the last two 9-digit chunks added to hi (c1 before c2): with lo, the exact significand when hi < 10^18
    let c2 = 0;
    let frac = 0; // digits after the point
    let c = p < n ? b[p] : 0;
    if (c < ZERO || c > NINE) return -1;
    // one loop for "0" and "[1-9]\d*" (the same trip count for 0.x and 1.x: no mispredicted branch); "0d…" bails
    const i0 = p;
    do {
      if (nd < 9) {
        lo = lo * 10 + (c - ZERO);
        nd++;
      } else {
        hi = hi * 1e9 + lo;
        c1 = c2;
        c2 = lo;
        lo = c - ZERO;
        nd = 1;
      }
      p++;
    } while (p < n && (c = b[p]) >= ZERO && c <= NINE);
    if (b[i0] === ZERO && p - i0 > 1) return -1; // a leading zero: not JSON
    if (p < n && b[p] === DOT) {
      p++;
      if (p >= n || (c = b[p]) < ZERO || c > NINE) return -1;
      do {
        if (nd < 9) {
          lo = lo * 10 + (c - ZERO);
          nd++;
        } else {
          hi = hi * 1e9 + lo;
          c1 = c2;
          c2 = lo;
          lo = c - ZERO;
          nd = 1;
        }
        frac++;
        p++;
      } while (p < n && (c = b[p]) >= ZERO && c <= NINE);
    }
    let e10 = 0;
    let hugeExponent = false; // ≥ 100000: its digits were not all added (e10 stops growing), so no fast path
    if (p < n && ((c = b[p]) === 0x65 || c === 0x45)) {
      p++;
      let eneg = false;
      if (p < n && ((c = b[p]) === MINUS || c === PLUS)) {
        eneg = c === MINUS;
        p++;
      }
      if (p >= n || (c = b[p]) < ZERO || c > NINE) return -1;
      do {
        if (e10 < 100000) e10 = e10 * 10 + (c - ZERO);
        p++;
      } while (p < n && (c = b[p]) >= ZERO && c <= NINE);
      hugeExponent = e10 >= 100000;
      if (eneg) e10 = -e10;
    }
    e10 -= frac;
    // hi · 10^nd is exact when below 2^53, and then the sum is rounded once: a result below 2^53 means
    // the true significand is below 2^53 and w is it exactly (rounding is monotonic, 2^53 is a double)
    const w = hi === 0 ? lo : hi * POW10[nd] + lo;
    let v: number;
    if (w === 0) v = 0;
    else if (w < TWO_53 && e10 >= -22 && e10 <= 22 && !hugeExponent) v = e10 >= 0 ? w * POW10[e10] : w / POW10[-e10];
    else if (!hugeExponent && hi < 1e18 && exactSignificand(c1, c2, lo, nd, this.sig) && eiselLemire(this.sig, e10, this.out)) {
      // beyond Clinger's fast path, a significand below 2^64: exactly rounded by Eisel–Lemire
      this.out[0] = this.out[0] * (1 - 2 * m);
      return p;
    } else {
      // a significand ≥ 2^64 (20+ digits) or an exponent of 6+ digits: the exactly rounded conversion of the number's text
      this.out[0] = Number(asciiString(b, start, p));
      return p;
    }
    this.out[0] = v * (1 - 2 * m); // exact; −0 for "-0"
    return p;
  }

  /**
   * A string's content from `p` (just past the opening quote) to its closing quote; returns the index
   * past the quote or −1. Sets `this.wide` when it holds non-ASCII bytes (then validated as UTF-8).
   * Escapes bail out unless `escapes` (skipped values: then only their grammar is checked).
   */
  private string(b: Uint8Array, p: number, n: number, escapes: boolean): number {
    const s = p;
    let high = 0;
    for (; p < n; p++) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c < 0x20) return -1;
      if (c === BACKSLASH) {
        if (!escapes || p + 1 >= n) return -1;
        const e = b[++p];
        if (e === 0x75) {
          if (p + 4 >= n) return -1;
          for (let k = 1; k <= 4; k++) if (!isHex(b[p + k])) return -1;
          p += 4;
        } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) {
          return -1;
        }
        continue;
      }
      high |= c;
    }
    if (p >= n) return -1;
    const wide = (high & 0x80) !== 0;
    if (wide && firstInvalidUtf8(b, s, p) >= 0) return -1;
    this.wide = wide;
    return p + 1;
  }

  /** Skips one JSON value at `p` (an unknown top-level key's), checking its grammar and that no key is forbidden; index past it or −1. */
  private skip(b: Uint8Array, p: number, n: number): number {
    const stack = this.stack;
    let depth = 0;
    for (;;) {
      // a value at p
      if (p >= n) return -1;
      let c = b[p];
      if (c === QUOTE) p = this.string(b, p + 1, n, true);
      else if (c === LBRACE || c === LBRACKET) {
        if (depth === MAX_SKIP_DEPTH) return -1;
        p = ws(b, p + 1, n);
        if (p >= n) return -1;
        if (b[p] === (c === LBRACE ? RBRACE : RBRACKET)) p++; // empty container: a complete value
        else {
          stack[depth++] = c === LBRACE ? 1 : 2;
          if (c === LBRACE) {
            p = this.memberKey(b, p, n);
            if (p < 0) return -1;
          }
          continue;
        }
      } else if (c === 0x74) p = literal(b, p, n, TRUE);
      else if (c === 0x66) p = literal(b, p, n, FALSE);
      else if (c === 0x6e) p = literal(b, p, n, NULL);
      else p = this.number(b, p, n);
      if (p < 0) return -1;
      // after a complete value: close containers or go to the next member/element
      for (;;) {
        if (depth === 0) return p;
        p = ws(b, p, n);
        if (p >= n) return -1;
        c = b[p];
        const kind = stack[depth - 1];
        if (c === COMMA) {
          p = ws(b, p + 1, n);
          if (p >= n) return -1;
          if (kind === 1) {
            p = this.memberKey(b, p, n);
            if (p < 0) return -1;
          }
          break;
        }
        if (c !== (kind === 1 ? RBRACE : RBRACKET)) return -1;
        depth--;
        p++;
      }
    }
  }

  /** `"key" :` of a skipped object's member at `p`, leaving `p` at its value; −1 on a forbidden or escaped key. */
  private memberKey(b: Uint8Array, p: number, n: number): number {
    if (b[p] !== QUOTE) return -1;
    const s = p + 1;
    p = this.string(b, s, n, false);
    if (p < 0 || isForbiddenKeyBytes(b, s, p - 1 - s)) return -1;
    p = ws(b, p, n);
    if (p >= n || b[p] !== COLON) return -1;
    return ws(b, p + 1, n);
  }

}

// ------------------------------------------------------------------------------------------- helpers

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** Appends the staged (slot, value) pairs to `x` (a loop small enough for V8 to inline `push`). */
function pushAll(x: SparseVector, slots: Int32Array, vals: Float64Array, count: number): void {
  for (let k = 0; k < count; k++) x.push(slots[k], vals[k]);
}

/** First index ≥ p that is not JSON whitespace (space, tab, LF, CR), or n. */
function ws(b: Uint8Array, p: number, n: number): number {
  while (p < n) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p;
    p++;
  }
  return n;
}

/**
 * The significand (c1 · 10^9 + c2) · 10^nd + lo of a number's digits read in 9-digit chunks (c1, c2 < 10^9
 * the last two whole chunks, nothing before them; lo < 10^nd the last 1–9 digits) as an exact integer in
 * `w` ([low, high] 32 bits), when it is below 2^64; false when not. Exact double arithmetic: 10^k is
 * 5^k · 2^k with 5^k < 2^21, so every product below stays under 2^53.
 */
function exactSignificand(c1: number, c2: number, lo: number, nd: number, w: Uint32Array): boolean {
  // a = c1 · 10^9 + c2 = (c1 · 5^9) · 2^9 + c2: x = c1 · 5^9 < 2^51, split at bit 23 into words
  const x = c1 * 1953125;
  let aHi = Math.floor(x * 1.1920928955078125e-7); // x / 2^23
  let aLo = (x - aHi * 8388608) * 512 + c2; // < 2^32 + 2^30
  if (aLo >= TWO_32) {
    aLo -= TWO_32;
    aHi += 1;
  }
  // a · 10^nd + lo = (a · 5^nd) · 2^nd + lo: aLo · 5^nd < 2^53, aHi · 5^nd < 2^49
  const p5 = POW5_SMALL[nd];
  let pLo = aLo * p5;
  const k = Math.floor(pLo * TWO_M32);
  pLo -= k * TWO_32;
  const pHi = aHi * p5 + k;
  const scale = POW2_SMALL[nd];
  let wLo = pLo * scale + lo; // < 2^41 + 2^30
  const k2 = Math.floor(wLo * TWO_M32);
  wLo -= k2 * TWO_32;
  const wHi = pHi * scale + k2;
  if (wHi >= TWO_32) return false;
  w[0] = wLo;
  w[1] = wHi;
  return true;
}

/** The literal `word` at p: index past it, or −1. */
function literal(b: Uint8Array, p: number, n: number, word: readonly number[]): number {
  const m = word.length;
  if (p + m > n) return -1;
  for (let k = 0; k < m; k++) if (b[p + k] !== word[k]) return -1;
  return p + m;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The K_… bit of a top-level key spelt `b[s..s+len)` (ASCII, no escapes), or 0 for any other key. */
function keyOf(b: Uint8Array, s: number, len: number): number {
  switch (len) {
    case 2:
      if (b[s] === 0x69 && b[s + 1] === 0x64) return K_ID;
      return b[s] === 0x74 && b[s + 1] === 0x73 ? K_TS : 0;
    case 5:
      return equalsAscii(b, s, 'label') ? K_LABEL : 0;
    case 7:
      return equalsAscii(b, s, 'trusted') ? K_TRUSTED : 0;
    case 8:
      return equalsAscii(b, s, 'features') ? K_FEATURES : 0;
    case 11:
      return equalsAscii(b, s, 'sourceLabel') ? K_SOURCE : 0;
    default:
      return 0;
  }
}

function equalsAscii(b: Uint8Array, s: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word.charCodeAt(k)) return false;
  return true;
}
