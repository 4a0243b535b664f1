import { murmur3BytesInt32 } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import type { FeatureSpace } from '../features/index.js';
import { BINARY_EVENT_FLAGS, BINARY_EVENT_MAGIC, BINARY_EVENT_VERSION } from './binary-event.js';
import type { DecodedEvent, Rejection } from './types.js';
import { asciiString } from './ascii-string.js';
import { FeatureNameTable } from './feature-name-table.js';
import { isForbiddenKeyBytes } from './forbidden-key-bytes.js';
import { firstInvalidUtf8 } from './utf8-error.js';

/** What {@link BinaryEventDecoder} needs from its `EventDecoder`. */
export interface BinaryEventDecoderHost {
  readonly space: FeatureSpace;
  readonly maxFeatures: number;
  /** Longest id in UTF-16 code units, and the largest |ts| (the JSON path's limits). */
  readonly maxIdLength: number;
  readonly maxTs: number;
  /** The JSON path's validation of a parsed event (`EventDecoder.decodeObject`). */
  decodeObject(v: unknown, into: DecodedEvent): Rejection | null;
}

const F_TS = BINARY_EVENT_FLAGS.ts;
const F_LABEL = BINARY_EVENT_FLAGS.label;
const F_TRUSTED = BINARY_EVENT_FLAGS.trusted;
const F_TRUSTED_VALUE = BINARY_EVENT_FLAGS.trustedValue;
const F_SOURCE = BINARY_EVENT_FLAGS.sourceLabel;
const F_DENSE = BINARY_EVENT_FLAGS.dense;
/** Largest array index of a JavaScript object (2^32 − 2): such names enumerate first, ascending. */
const MAX_ARRAY_INDEX = 4294967294;


/**
 * Decodes binary events (format version 1, see {@link encodeBinaryEvent} and docs/event-encoding.md)
 * for `EventDecoder.decode`, which hands it every message whose first byte is 0xB1. Fills the same
 * reused {@link DecodedEvent} with the same result as the event's JSON form, and never throws on input.
 *
 * Two tiers of checks:
 * 1. the layout, walked over the whole message before anything is accepted: `bad-binary` for an
 *    unknown version, reserved flag bits or byte 3 set, the trusted value bit without the trusted bit,
 *    a message that ends inside a field (truncated) or goes on after the last feature; `bad-utf8` for
 *    an id or feature name that is not UTF-8 (naming the byte offset). The first one in byte order is
 *    reported.
 * 2. the meaning, exactly the JSON path's: when any value would be refused (id length, ts, label,
 *    sourceLabel, feature count, non-finite values, forbidden or non-column names, dense length), the
 *    event is rebuilt as a plain object and given to `EventDecoder.decodeObject`, so code, reason and
 *    precedence are the JSON path's own. A feature count over `maxFeatures` is rejected as
 *    `too-many-features` before any name is hashed or value read (the id, ts and label are still
 *    checked first, as in JSON).
 *
 * The accepted path allocates only the id string: names are hashed straight from the bytes
 * (MurmurHash3 of the UTF-8 name, as `FeatureSpace.indexOfName` hashes its UTF-8 encoding), a dense
 * space's names are parsed as column indices from the bytes, values are read by copying 8 bytes into
 * the message's `DataView` (one per ArrayBuffer: Kafka messages of one fetch share it). −0 reads as 0 (ts and features too), as `JSON.stringify` writes it. Features
 * keep the message's order; names that JavaScript enumerates first (array indices such as `"3"`) must
 * come first and ascending, as any encoder of a JS object writes them, and a name may appear only once
 * (else, rarely, the same object rebuild as for rejections gives the JSON result: last value wins).
 *
 * @example
 * // inside EventDecoder.decode: if (bytes[0] === BINARY_EVENT_MAGIC) return this.binary.decode(bytes, into);
 * const d = new BinaryEventDecoder({ space, maxFeatures: 1000, maxIdLength: MAX_ID_LENGTH, maxTs: MAX_TS,
 *   decodeObject: (v, e) => eventDecoder.decodeObject(v, e) });
 * d.decode(encodeBinaryEvent({ id: 'e-1', features: { a: 1 } }), ev) // null
 */
export class BinaryEventDecoder {
  private readonly host: BinaryEventDecoderHost;
  private readonly space: FeatureSpace;
  private readonly hashed: boolean;
  private readonly dim: number;
  private readonly mask: number;
  private readonly seed: number;
  private readonly max: number;
  private readonly maxIdLength: number;
  private readonly maxTs: number;
  /** ignoreBOM: a leading U+FEFF of an id or a name is part of it (as in the JSON text), not a byte order mark to drop. */
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Per feature of the current event: slot; name start and length in {@link names} (duplicate-name check). */
  private readonly slots: Int32Array;
  private readonly names: FeatureNameTable;
  /** A view of the last message's ArrayBuffer (Kafka messages of one fetch share one: one view per fetch). */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(host: BinaryEventDecoderHost) {
    this.host = host;
    const space = host.space;
    this.space = space;
    this.hashed = space.kind === 'hashed';
    this.dim = space.dim;
    this.mask = space.dim - 1;
    this.seed = space.options.kind === 'hashed' ? (space.options.seed ?? 0) : 0;
    this.max = host.maxFeatures;
    this.maxIdLength = host.maxIdLength;
    this.maxTs = host.maxTs;
    const m = this.hashed ? this.max : 0;
    this.slots = new Int32Array(m);
    this.names = new FeatureNameTable(m);
  }

  /**
   * Decodes one binary event (its first byte is 0xB1; size limits are checked by the caller).
   *
   * @param b - the message
   * @param into - the reused event
   * @returns null when accepted, else the {@link Rejection}
   * @throws CoreError `bad-option` only when `into` is too small for maxFeatures (a programming error)
   */
  decode(b: Uint8Array, into: DecodedEvent): Rejection | null {
    const x = into.x;
    if (x.capacity < this.max) {
      throw new CoreError('bad-option', `DecodedEvent capacity ${x.capacity} is below maxFeatures ${this.max}; create events with decoder.newEvent()`);
    }
    const n = b.length;
    if (n < 4 || b[0] !== BINARY_EVENT_MAGIC) return truncated(n, 0, 4, 'the 4-byte header');
    let view = this.view;
    if (view.buffer !== b.buffer) this.view = view = new DataView(b.buffer);
    const base = b.byteOffset;
    const version = b[1];
    if (version !== BINARY_EVENT_VERSION) {
      return bad(
        `binary event version ${version} (byte 1) is not supported: this decoder reads version ${BINARY_EVENT_VERSION}; encode with encodeBinaryEvent of this version, or send JSON`,
      );
    }
    const flags = b[2];
    if ((flags & 0xc0) !== 0) return bad(`binary event flags 0x${hex(flags)} (byte 2) set the reserved bits 6–7; they must be 0 in version 1`);
    if ((flags & (F_TRUSTED | F_TRUSTED_VALUE)) === F_TRUSTED_VALUE) {
      return bad(`binary event flags 0x${hex(flags)} (byte 2) set bit 3 (trusted value) without bit 2 (trusted present); set both for trusted: true, or neither`);
    }
    if (b[3] !== 0) return bad(`binary event byte 3 (reserved) is 0x${hex(b[3])}; it must be 0 in version 1`);

    // id
    let p = 4;
    if (p + 2 > n) return truncated(n, p, 2, 'the id length');
    const idLen = b[p] | (b[p + 1] << 8);
    p += 2;
    if (p + idLen > n) return truncated(n, p, idLen, `the ${idLen}-byte id`);
    const idAt = p;
    p += idLen;
    let high = 0;
    for (let i = idAt; i < p; i++) high |= b[i];
    if ((high & 0x80) !== 0) {
      const at = firstInvalidUtf8(b, idAt, p);
      if (at >= 0) return badUtf8('the id', at, b);
    }
    const idAscii = (high & 0x80) === 0;

    // ts, label, sourceLabel: any value the JSON path refuses sends the event to the slow path
    let ok = idLen > 0 && idLen <= 3 * this.maxIdLength; // ≤ 3 UTF-8 bytes per UTF-16 code unit
    let ts = 0;
    let label = 0;
    let source = 0;
    if ((flags & F_TS) !== 0) {
      if (p + 8 > n) return truncated(n, p, 8, 'ts (f64)');
      ts = view.getFloat64(base + p, true);
      p += 8;
      if (!(ts >= -this.maxTs && ts <= this.maxTs)) ok = false; // NaN and ±Infinity too
    }
    if ((flags & F_LABEL) !== 0) {
      if (p + 8 > n) return truncated(n, p, 8, 'label (f64)');
      label = view.getFloat64(base + p, true);
      p += 8;
      if (!(label >= 0 && label <= 1)) ok = false;
    }
    if ((flags & F_SOURCE) !== 0) {
      if (p + 8 > n) return truncated(n, p, 8, 'sourceLabel (f64)');
      source = view.getFloat64(base + p, true);
      p += 8;
      if (!(source >= 0 && source <= 1)) ok = false;
    }
    if (p + 4 > n) return truncated(n, p, 4, 'the feature count (u32)');
    const count = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    p += 4;
    if (count > this.max) ok = false; // nothing hashed or read below
    const featuresAt = p;

    x.clear();
    if ((flags & F_DENSE) !== 0) {
      const size = count * 8;
      if (n - p < size) return truncated(n, p, size, `${count} dense values (f64)`);
      if (n - p > size) return trailing(n, p + size);
      if (ok && (this.hashed ? count > this.dim : count !== this.dim)) ok = false;
      if (ok) {
        for (let i = 0; i < count; i++) {
          const v = view.getFloat64(base + p + 8 * i, true);
          if (v - v !== 0) {
            ok = false; // NaN or ±Infinity
            break;
          }
          x.push(i, v + 0); // −0 → 0
        }
      }
    } else {
      const hashed = this.hashed;
      const seed = this.seed;
      const mask = this.mask;
      const dim = this.dim;
      const slots = this.slots;
      const nameAt = this.names.nameAt;
      const nameLen = this.names.nameLen;
      let sawName = false; // a name that is not an array index
      let lastIndex = -1;
      for (let k = 0; k < count; k++) {
        if (p + 2 > n) return truncated(n, p, 2, `the name length of feature ${k}`);
        const len = b[p] | (b[p + 1] << 8);
        p += 2;
        if (p + len + 8 > n) return truncated(n, p, len + 8, `feature ${k} (a ${len}-byte name and an f64 value)`);
        const s = p;
        const e = p + len;
        p = e + 8;
        let hi = 0;
        for (let i = s; i < e; i++) hi |= b[i];
        if ((hi & 0x80) !== 0) {
          const at = firstInvalidUtf8(b, s, e);
          if (at >= 0) return badUtf8(`feature name ${k}`, at, b);
        }
        if (!ok) continue; // only the layout from here on
        const v = view.getFloat64(base + e, true);
        if (v - v !== 0) {
          ok = false;
          continue;
        }
        // array-index names ("0", "17"; no leading zero, ≤ 2^32 − 2): JavaScript enumerates them first, ascending
        let index = -1;
        const c0 = b[s];
        if (len > 0 && len <= 10 && c0 >= 0x30 && c0 <= 0x39 && (c0 !== 0x30 || len === 1)) {
          let iv = 0;
          let i = s;
          for (; i < e; i++) {
            const d = b[i] - 0x30;
            if (d < 0 || d > 9) break;
            iv = iv * 10 + d;
          }
          if (i === e && iv <= MAX_ARRAY_INDEX) index = iv;
        }
        if (index >= 0) {
          if (sawName || index <= lastIndex) {
            ok = false;
            continue;
          }
          lastIndex = index;
        } else sawName = true;
        let slot: number;
        if (hashed) {
          if ((len === 9 || len === 11) && isForbiddenKeyBytes(b, s, len)) {
            ok = false;
            continue;
          }
          slot = murmur3BytesInt32(b, s, e, seed) & mask;
          slots[k] = slot;
          nameAt[k] = s;
          nameLen[k] = len;
        } else {
          if (index < 0 || index >= dim) {
            ok = false; // not a column index (forbidden names included)
            continue;
          }
          slot = index;
        }
        x.push(slot, v + 0); // −0 → 0
      }
      if (p !== n) return trailing(n, p);
      if (ok && hashed) {
        this.space.canonicalize(x);
        if (x.nnz < count && this.names.hasDuplicate(b, this.slots, count)) ok = false;
      }
    }
    if (ok) {
      const id = this.decodeString(b, idAt, idLen, idAscii);
      if (id.length <= this.maxIdLength) {
        into.id = id;
        into.ts = (flags & F_TS) !== 0 ? ts + 0 : null;
        into.label = (flags & F_LABEL) !== 0 ? label + 0 : null;
        into.trusted = (flags & F_TRUSTED_VALUE) !== 0;
        into.sourceLabel = (flags & F_SOURCE) !== 0 ? source + 0 : null;
        return null;
      }
    }
    return this.slow(b, flags, idAt, idLen, idAscii, ts, label, source, count, featuresAt, into);
  }

  /**
   * The rare and the rejected events: rebuilt as the object `JSON.parse` would give for the event's JSON
   * form and validated by the JSON path, which so decides code, reason and precedence (and, for a
   * repeated name, that the last value wins). The layout was checked before: every read is in bounds.
   */
  private slow(
    b: Uint8Array,
    flags: number,
    idAt: number,
    idLen: number,
    idAscii: boolean,
    ts: number,
    label: number,
    source: number,
    count: number,
    p: number,
    into: DecodedEvent,
  ): Rejection | null {
    const view = this.view; // set to b's buffer by decode
    const base = b.byteOffset;
    const o: Record<string, unknown> = { id: this.decodeString(b, idAt, idLen, idAscii) };
    if ((flags & F_TS) !== 0) o.ts = ts + 0;
    if ((flags & F_LABEL) !== 0) o.label = label;
    if ((flags & F_TRUSTED) !== 0) o.trusted = (flags & F_TRUSTED_VALUE) !== 0;
    if ((flags & F_SOURCE) !== 0) o.sourceLabel = source;
    if (count > this.max) {
      // holes: decodeObject reports too-many-features without reading a feature; the layout check
      // bounded count by the message size (≥ 8 bytes per feature)
      o.features = new Array<number>(count);
    } else if ((flags & F_DENSE) !== 0) {
      const a = new Array<number>(count);
      for (let i = 0; i < count; i++) a[i] = view.getFloat64(base + p + 8 * i, true) + 0;
      o.features = a;
    } else {
      const f = Object.create(null) as Record<string, number>; // "__proto__" stays an own key, as in JSON.parse
      for (let k = 0; k < count; k++) {
        const len = b[p] | (b[p + 1] << 8);
        const name = this.utf8.decode(b.subarray(p + 2, p + 2 + len));
        f[name] = view.getFloat64(base + p + 2 + len, true) + 0;
        p += 2 + len + 8;
      }
      o.features = f;
    }
    return this.host.decodeObject(o, into);
  }

  /** The UTF-8 (already validated) string at `b[at..at+len)`; ASCII without a view or a decoder. */
  private decodeString(b: Uint8Array, at: number, len: number, ascii: boolean): string {
    return ascii ? asciiString(b, at, at + len) : this.utf8.decode(b.subarray(at, at + len));
  }
}

// ------------------------------------------------------------------------------------------- helpers

function hex(v: number): string {
  return v.toString(16).padStart(2, '0');
}

function bad(reason: string): Rejection {
  return { code: 'bad-binary', reason };
}

function truncated(n: number, at: number, need: number, what: string): Rejection {
  return bad(
    `binary event ends at byte ${n}, inside ${what}, which needs bytes ${at}..${at + need - 1}; the message is truncated (or a length or count is wrong): send the whole encoded event`,
  );
}

function trailing(n: number, at: number): Rejection {
  return bad(
    `binary event goes on for ${n - at} bytes after its last feature (from byte ${at} of ${n}); a length or the feature count is wrong, or two events were concatenated: send one encoded event per message`,
  );
}

function badUtf8(what: string, at: number, b: Uint8Array): Rejection {
  return { code: 'bad-utf8', reason: `${what} is not valid UTF-8 at byte ${at} (0x${hex(b[at])}); encode ids and feature names as UTF-8` };
}
