import { CoreError } from '../errors/index.js';
import { FeatureSpace, INDEX_OUT_OF_RANGE } from '../features/index.js';
import { BINARY_EVENT_MAGIC } from './binary-event.js';
import { BinaryEventDecoder } from './binary-event-decoder.js';
import { countRawFeatures } from './count-raw-features.js';
import { locateJsonError } from './json-error.js';
import { JsonEventScanner } from './json-event-scanner.js';
import { DecodedEvent, type RejectCode, type Rejection } from './types.js';
import { firstInvalidUtf8 } from './utf8-error.js';

/** Options of {@link EventDecoder}. */
export interface EventDecoderOptions {
  /** The model's feature space (hashed or dense). */
  readonly space: FeatureSpace;
  /** Most features one event may carry (default 1000); more is rejected before any hashing. */
  readonly maxFeatures?: number;
  /** Largest message in bytes (default 65536); larger is rejected before decoding. */
  readonly maxBytes?: number;
  /**
   * Testing knob (default true): false turns off the byte-level fast path for JSON messages
   * ({@link JsonEventScanner}), so every JSON message goes through `TextDecoder` + `JSON.parse` +
   * {@link EventDecoder.decodeObject}. The results are identical either way; the property tests
   * compare the two, and the benchmark measures both.
   */
  readonly jsonFastPath?: boolean;
}

/** Messages of at least this many bytes get the pre-parse feature count (see {@link countRawFeatures}). */
export const RAW_COUNT_MIN_BYTES = 1024;

/** Longest accepted `id`, in UTF-16 code units (`String.length`). */
export const MAX_ID_LENGTH = 256;
/** Largest |ts| accepted: the range of a JavaScript `Date` (±8.64e15 ms, about ±273 000 years). */
export const MAX_TS = 8.64e15;

const hasOwn = Object.hasOwn;

/**
 * Decodes and validates SPEC §2 events into a reused {@link DecodedEvent}, mapping features into the
 * model's {@link FeatureSpace}. A message whose first byte is 0xB1 is a binary event (see
 * {@link BinaryEventDecoder}, docs/event-encoding.md): same result and codes, plus `bad-binary`. Never throws on bad input: every problem is a {@link Rejection} with a
 * stable code and a reason that says what was wrong and what to do, e.g.
 * `label 1.7 is outside [0,1] (event e-17)`.
 *
 * Checks, in this order (the first failure is reported):
 * 1. `empty` (no bytes / null), `too-large` (over `maxBytes`, checked before decoding),
 *    `too-many-features` when the raw text of `features` already holds more than `maxFeatures`
 *    entries (counted on the bytes by {@link countRawFeatures} before decoding and parsing, only for
 *    messages of at least {@link RAW_COUNT_MIN_BYTES} bytes that are long enough to hold that many;
 *    the later checks are then skipped),
 *    `bad-utf8` (names the byte offset), `bad-json` (names the character position and what was expected);
 * 2. `not-an-object`: the top level must be a JSON object;
 * 3. `forbidden-key`: `__proto__`, `constructor` or `prototype` as a key at any level (top level,
 *    inside `features`, inside any nested value);
 * 4. `bad-id`: `id` required, a string of 1–256 UTF-16 code units. A number is refused (send `"17"`):
 *    stringifying would conflate `1`, `1.0` and `1e0` and lose integers beyond 2^53;
 * 5. `ts`: optional epoch milliseconds or null; `non-finite` for a literal that overflows (1e999),
 *    `bad-ts` for a non-number or |ts| > 8.64e15;
 * 6. `label`: absent or null = score only; booleans and strings are refused (`bad-label`: send 1 or 0),
 *    `non-finite`, `label-range` outside [0,1]; −0 is stored as 0;
 * 7. `trusted`: optional boolean (null = absent), else `bad-trusted`;
 * 8. `sourceLabel`: optional number in [0,1] or null, else `bad-source-label` (`non-finite` for 1e999);
 * 9. `features`: required, an object of finite numbers (named) or an array of finite numbers (dense);
 *    `too-many-features` over `maxFeatures` (before hashing); `bad-features` for a wrong type or a
 *    non-number value (booleans and null included), `non-finite` for 1e999;
 *    `dimension-mismatch` for an array longer than a hashed space, an array whose length is not the
 *    dense dimension, or a name that is not a column index `"0".."dim−1"` of a dense space.
 * Other top-level keys are ignored (forward compatibility), but still scanned for forbidden keys.
 *
 * On acceptance `into` holds the event; its `x` has distinct indices (duplicates from hash
 * collisions summed by {@link FeatureSpace.canonicalize}). On rejection `into` is unspecified.
 * JSON messages are first tried by {@link JsonEventScanner}, a byte-level fast path that accepts the
 * common valid shape (plain strings without escapes, keys once each, numbers and the listed types)
 * straight from the UTF-8 bytes with the identical result, allocating only the id string (measured:
 * ~43 B per event, the id and `ts` boxed in its field, against ~1 350–1 800 B on the slow path for 20
 * named features; about half the time; see `benchEventEncodings`). Anything else, and every rejection,
 * takes the slow path below, unchanged: `TextDecoder.decode` + `JSON.parse` + {@link decodeObject},
 * which creates no objects, arrays or closures of its own beyond what those two make; V8 still boxes
 * each non-integer number read out of the parsed object (16 B) and a uint32 hash ≥ 2^31 returned by
 * `murmur3`. Feature names are walked once: counting, forbidden-key check, validation and hashing in
 * one pass.
 *
 * @param o - {@link EventDecoderOptions}
 * @throws CoreError `bad-option` for maxFeatures / maxBytes that are not positive integers, or a dense
 *   space wider than maxFeatures (no dense event could pass)
 * @example
 * const decoder = new EventDecoder({ space: new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) });
 * const ev = decoder.newEvent();
 * decoder.decode(new TextEncoder().encode('{"id":"e-1","features":{"age":0.3},"label":1}'), ev); // null
 * ev.label // 1
 * decoder.decodeObject({ id: 'e-17', features: [1], label: 1.7 }, ev)
 * // { code: 'label-range', reason: 'label 1.7 is outside [0,1] (event e-17)' }
 */
export class EventDecoder {
  readonly space: FeatureSpace;
  readonly maxFeatures: number;
  readonly maxBytes: number;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  /** Reused work stack of the forbidden-key scan of nested values. */
  private readonly scan: object[] = [];
  /** Number of named features counted by the structure pass. */
  private namedCount = 0;
  /** First problem with a named feature found by the structure pass (F_OK: none), with its name and value. */
  private fErr = F_OK;
  private fErrName = '';
  private fErrValue: unknown = undefined;
  /** The binary-format decoder, made at the first binary message. */
  private binary: BinaryEventDecoder | null = null;
  /** The byte-level fast path for common, valid JSON events (null when `jsonFastPath: false`). */
  private readonly fast: JsonEventScanner | null;

  constructor(o: EventDecoderOptions) {
    const { space, maxFeatures = 1000, maxBytes = 65536, jsonFastPath = true } = o;
    if (!(space instanceof FeatureSpace)) throw new CoreError('bad-option', 'EventDecoder needs a FeatureSpace as options.space');
    if (!Number.isInteger(maxFeatures) || maxFeatures < 1) {
      throw new CoreError('bad-option', `maxFeatures ${maxFeatures} must be an integer ≥ 1 (most features one event may carry)`);
    }
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new CoreError('bad-option', `maxEventBytes ${maxBytes} must be an integer ≥ 1 (largest message in bytes)`);
    }
    if (space.kind === 'dense' && space.dim > maxFeatures) {
      throw new CoreError('bad-option', `dense features.dim ${space.dim} exceeds maxFeatures ${maxFeatures}; raise maxFeatures to at least ${space.dim}`);
    }
    this.space = space;
    this.maxFeatures = maxFeatures;
    this.maxBytes = maxBytes;
    this.fast = jsonFastPath ? new JsonEventScanner({ space, maxFeatures, maxIdLength: MAX_ID_LENGTH, maxTs: MAX_TS }) : null;
  }

  /**
   * A {@link DecodedEvent} large enough for this decoder; create one and reuse it for every event.
   * @example
   * const ev = decoder.newEvent(); // ev.x.capacity === decoder.maxFeatures
   */
  newEvent(): DecodedEvent {
    return new DecodedEvent(this.maxFeatures);
  }

  /**
   * Decodes one message: UTF-8 JSON bytes, or a binary event (first byte 0xB1, see
   * {@link encodeBinaryEvent} and {@link BinaryEventDecoder}: the same result and reject codes, plus
   * `bad-binary` for a broken layout). The format is told apart per message, with no option.
   *
   * @param bytes - the message value; null (a Kafka tombstone) is rejected as `empty`
   * @param into - the reused event to fill (from {@link EventDecoder.newEvent})
   * @returns null when accepted, else the {@link Rejection}
   * @throws CoreError `bad-option` only when `into` is too small for maxFeatures (a programming error)
   */
  decode(bytes: Uint8Array | null, into: DecodedEvent): Rejection | null {
    if (bytes === null || bytes.length === 0) {
      return reject('empty', 'message is empty (0 bytes); send one JSON event object per message');
    }
    if (bytes.length > this.maxBytes) {
      return reject(
        'too-large',
        `message is ${bytes.length} bytes, over the limit of ${this.maxBytes} (maxEventBytes); send fewer features or raise the limit`,
      );
    }
    if (bytes[0] === BINARY_EVENT_MAGIC) return this.decodeBinary(bytes, into);
    // The fast path only ever accepts; anything unusual (and every rejection) is the slow path's below.
    // It goes before the raw count: an event it accepts has at most maxFeatures entries, each written
    // once under the one plain "features" key, so the raw count could not have rejected it.
    if (this.fast !== null && this.fast.scan(bytes, into)) return null;
    // Fast reject before decoding and parsing, for messages long enough to hold more than maxFeatures
    // entries and to be worth it (shorter ones parse in microseconds and get the exact count and id).
    const max = this.maxFeatures;
    if (bytes.length >= RAW_COUNT_MIN_BYTES && bytes.length > 2 * max + 2 && countRawFeatures(bytes, max) > max) {
      return reject(
        'too-many-features',
        `features has more than ${max} entries (counted in the message text before parsing), over the limit of ${max} (maxFeatures); send fewer features or raise the limit`,
      );
    }
    let text: string;
    try {
      text = this.utf8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const hex = at >= 0 ? bytes[at].toString(16).padStart(2, '0') : '??';
      return reject('bad-utf8', `message is not valid UTF-8 at byte ${at} (0x${hex}); encode events as UTF-8 JSON`);
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      const loc = locateJsonError(text);
      const where = loc
        ? `at character ${loc.position}: expected ${loc.expected}, found ${loc.found}`
        : `(${(e as Error).message})`;
      return reject('bad-json', `message is not valid JSON ${where}; send one JSON event object per message`);
    }
    return this.decodeObject(v, into);
  }

  private decodeBinary(bytes: Uint8Array, into: DecodedEvent): Rejection | null {
    this.binary ??= new BinaryEventDecoder({
      space: this.space,
      maxFeatures: this.maxFeatures,
      maxIdLength: MAX_ID_LENGTH,
      maxTs: MAX_TS,
      decodeObject: (v, e) => this.decodeObject(v, e),
    });
    return this.binary.decode(bytes, into);
  }

  /**
   * Validates an already-parsed value (the CSV path and synthetic sources) exactly as {@link decode}
   * does after parsing. Besides JSON values it accepts a typed array (e.g. `Float64Array`) as dense
   * `features`. Only own enumerable properties are read; `v` must not have getters or cycles beyond
   * what the forbidden-key scan bounds (a cyclic value is rejected as `bad-json`).
   *
   * @param v - the event value
   * @param into - the reused event to fill
   * @returns null when accepted, else the {@link Rejection}
   * @example
   * decoder.decodeObject({ id: 'r-3', features: new Float64Array([0.1, 2]), label: 0 }, ev) // null (dense space of dim 2)
   */
  decodeObject(v: unknown, into: DecodedEvent): Rejection | null {
    if (into.x.capacity < this.maxFeatures) {
      throw new CoreError(
        'bad-option',
        `DecodedEvent capacity ${into.x.capacity} is below maxFeatures ${this.maxFeatures}; create events with decoder.newEvent()`,
      );
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) {
      return reject('not-an-object', `event is ${describe(v)}, not a JSON object; send {"id": …, "features": …}`);
    }
    const o = v as Record<string, unknown>;

    // structure pass: forbidden keys at any level, and the number of named features
    const bad = this.structure(o, into);
    if (bad !== null) return bad;

    // id
    if (!hasOwn(o, 'id') || o.id === undefined) {
      return reject('bad-id', 'event has no "id"; add "id": a string of 1–256 characters');
    }
    const id = o.id;
    if (typeof id !== 'string') {
      return reject(
        'bad-id',
        typeof id === 'number'
          ? `id ${String(id)} is a number; send it as a string ("${String(id)}")`
          : `id is ${describe(id)}; send a string of 1–256 characters`,
      );
    }
    if (id.length === 0) return reject('bad-id', 'id is an empty string; send a string of 1–256 characters');
    if (id.length > MAX_ID_LENGTH) {
      return reject('bad-id', `id is ${id.length} characters long, over the limit of ${MAX_ID_LENGTH}; send a shorter id (e.g. a hash)`);
    }
    into.id = id;

    // ts
    into.ts = null;
    if (hasOwn(o, 'ts')) {
      const ts = o.ts;
      if (typeof ts === 'number') {
        if (ts !== ts || ts === Infinity || ts === -Infinity) {
          return reject('non-finite', `ts is ${String(ts)} (not a finite number); send epoch milliseconds${ev(id)}`);
        }
        if (ts > MAX_TS || ts < -MAX_TS) {
          return reject('bad-ts', `ts ${String(ts)} is outside ±8.64e15 ms; send epoch milliseconds (e.g. Date.now())${ev(id)}`);
        }
        into.ts = ts;
      } else if (ts !== null && ts !== undefined) {
        return reject('bad-ts', `ts is ${describe(ts)}; send epoch milliseconds as a number, or null${ev(id)}`);
      }
    }

    // label
    into.label = null;
    if (hasOwn(o, 'label')) {
      const y = o.label;
      if (typeof y === 'number') {
        if (y !== y || y === Infinity || y === -Infinity) {
          return reject('non-finite', `label is ${String(y)} (not a finite number); send a number in [0,1] or null${ev(id)}`);
        }
        if (y < 0 || y > 1) return reject('label-range', `label ${String(y)} is outside [0,1]${ev(id)}`);
        into.label = y + 0; // −0 → 0
      } else if (y !== null && y !== undefined) {
        return reject(
          'bad-label',
          typeof y === 'boolean'
            ? `label ${String(y)} is a boolean; send ${y ? 1 : 0} (labels are numbers in [0,1], or null for score only)${ev(id)}`
            : `label is ${describe(y)}; send a number in [0,1], or null for score only${ev(id)}`,
        );
      }
    }

    // trusted
    into.trusted = false;
    if (hasOwn(o, 'trusted')) {
      const t = o.trusted;
      if (t === true || t === false) into.trusted = t;
      else if (t !== null && t !== undefined) {
        return reject('bad-trusted', `trusted is ${describe(t)}; send true, false, or leave it out${ev(id)}`);
      }
    }

    // sourceLabel
    into.sourceLabel = null;
    if (hasOwn(o, 'sourceLabel')) {
      const s = o.sourceLabel;
      if (typeof s === 'number') {
        if (s !== s || s === Infinity || s === -Infinity) {
          return reject('non-finite', `sourceLabel is ${String(s)} (not a finite number); send a number in [0,1] or null${ev(id)}`);
        }
        if (s < 0 || s > 1) {
          return reject('bad-source-label', `sourceLabel ${String(s)} is outside [0,1]; send what the noisy source said, in [0,1], or null${ev(id)}`);
        }
        into.sourceLabel = s + 0;
      } else if (s !== null && s !== undefined) {
        return reject('bad-source-label', `sourceLabel is ${describe(s)}; send a number in [0,1], or null${ev(id)}`);
      }
    }

    // features
    const f = hasOwn(o, 'features') ? o.features : undefined;
    if (f === undefined) {
      return reject('bad-features', `event has no "features"; add an object of named numbers or an array of numbers${ev(id)}`);
    }
    if (typeof f !== 'object' || f === null) {
      return reject('bad-features', `features is ${describe(f)}; send an object of named numbers or an array of numbers${ev(id)}`);
    }
    if (Array.isArray(f)) return this.dense(f, f.length, id, into);
    if (ArrayBuffer.isView(f)) {
      if (f instanceof DataView) return reject('bad-features', `features is a DataView; send a typed array or an array of numbers${ev(id)}`);
      return this.dense(f as unknown as ArrayLike<number>, (f as unknown as ArrayLike<number>).length, id, into);
    }
    return this.named(id, into);
  }

  // ------------------------------------------------------------------------------------------- passes

  /**
   * Forbidden keys anywhere (returned at once); for an object-valued `features`, also the one pass over
   * its names: counts them (`namedCount`), and while the count is within maxFeatures and no problem was
   * seen, validates each value and pushes its slot into `into.x`. The first feature problem is only
   * recorded (`fErr…`), so that forbidden keys and the id, ts and label checks are reported first.
   */
  private structure(o: Record<string, unknown>, into: DecodedEvent): Rejection | null {
    this.namedCount = 0;
    this.fErr = F_OK;
    into.x.clear();
    for (const k in o) {
      if (!hasOwn(o, k)) continue;
      if (isForbidden(k)) return forbidden(k, 'at the top level', o);
      const value = o[k];
      if (typeof value !== 'object' || value === null) continue;
      if (k === 'features' && !ArrayBuffer.isView(value)) {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const e = value[i];
            if (typeof e === 'object' && e !== null) {
              const found = this.findForbidden(e);
              if (found !== null) return found === CYCLE ? cyclic(o) : forbidden(found, `in features[${i}]`, o);
            }
          }
        } else {
          const r = this.namedPass(value as Record<string, unknown>, o, into);
          if (r !== null) return r;
        }
      } else {
        const found = this.findForbidden(value);
        if (found !== null) return found === CYCLE ? cyclic(o) : forbidden(found, `in "${clip(k, 40)}"`, o);
      }
    }
    return null;
  }

  private namedPass(f: Record<string, unknown>, o: Record<string, unknown>, into: DecodedEvent): Rejection | null {
    const space = this.space;
    const max = this.maxFeatures;
    const x = into.x;
    let count = 0;
    for (const name in f) {
      if (!hasOwn(f, name)) continue;
      if (isForbidden(name)) return forbidden(name, 'in features', o);
      count++;
      const value = f[name];
      if (typeof value === 'number') {
        if (this.fErr !== F_OK || count > max) continue; // past a problem or the limit: only scan and count
        if (value !== value || value === Infinity || value === -Infinity) {
          this.setErr(F_NON_FINITE, name, value);
          continue;
        }
        const slot = space.indexOfName(name);
        if (slot < 0) {
          this.setErr(slot === INDEX_OUT_OF_RANGE ? F_OUT_OF_RANGE : F_NOT_INDEX, name, value);
          continue;
        }
        x.push(slot, value);
      } else {
        if (typeof value === 'object' && value !== null) {
          const found = this.findForbidden(value);
          if (found !== null) return found === CYCLE ? cyclic(o) : forbidden(found, `in features.${clip(name, 40)}`, o);
        }
        if (this.fErr === F_OK) this.setErr(F_BAD_VALUE, name, value);
      }
    }
    this.namedCount = count;
    return null;
  }

  private setErr(kind: number, name: string, value: unknown): void {
    this.fErr = kind;
    this.fErrName = name;
    this.fErrValue = value;
  }

  /** Iterative scan of a nested value; returns the first forbidden key, CYCLE when too many nodes, or null. */
  private findForbidden(root: object): string | null {
    const st = this.scan;
    st.length = 0;
    st.push(root);
    // a JSON text of maxBytes bytes holds fewer than maxBytes containers; more means a cycle
    let budget = this.maxBytes;
    while (st.length > 0) {
      const x = st.pop() as object;
      if (--budget < 0) {
        st.length = 0;
        return CYCLE;
      }
      if (ArrayBuffer.isView(x)) continue;
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) {
          const e = x[i];
          if (typeof e === 'object' && e !== null) st.push(e);
        }
      } else {
        const r = x as Record<string, unknown>;
        for (const k in r) {
          if (!hasOwn(r, k)) continue;
          if (isForbidden(k)) {
            st.length = 0;
            return k;
          }
          const e = r[k];
          if (typeof e === 'object' && e !== null) st.push(e);
        }
      }
    }
    return null;
  }

  private dense(f: ArrayLike<number>, n: number, id: string, into: DecodedEvent): Rejection | null {
    if (n > this.maxFeatures) return tooMany(n, this.maxFeatures, id);
    const space = this.space;
    if (space.kind === 'dense') {
      if (n !== space.dim) {
        return reject(
          'dimension-mismatch',
          `features has ${n} values but the dense model has ${space.dim} columns; send exactly ${space.dim} numbers, or named indices "0".."${space.dim - 1}"${ev(id)}`,
        );
      }
    } else if (n > space.dim) {
      return reject(
        'dimension-mismatch',
        `features has ${n} values but the hashed space has only ${space.dim} slots; send named features or raise features.bits${ev(id)}`,
      );
    }
    const x = into.x;
    x.clear();
    for (let i = 0; i < n; i++) {
      const value = f[i];
      if (typeof value !== 'number') return badValue(`features[${i}]`, value, id);
      if (value !== value || value === Infinity || value === -Infinity) return nonFinite(`features[${i}]`, value, id);
      x.push(i, value);
    }
    return null;
  }

  /** Finishes an object-valued `features` after {@link structure} hashed it. */
  private named(id: string, into: DecodedEvent): Rejection | null {
    const n = this.namedCount;
    if (n > this.maxFeatures) return tooMany(n, this.maxFeatures, id);
    const space = this.space;
    if (this.fErr !== F_OK) {
      const name = `feature "${clip(this.fErrName, 64)}"`;
      const value = this.fErrValue;
      this.fErrValue = undefined; // do not retain the event
      switch (this.fErr) {
        case F_BAD_VALUE:
          return badValue(name, value, id);
        case F_NON_FINITE:
          return nonFinite(name, value as number, id);
        case F_OUT_OF_RANGE:
          return reject('dimension-mismatch', `${name} is beyond the dense model's ${space.dim} columns (0..${space.dim - 1})${ev(id)}`);
        default:
          return reject(
            'dimension-mismatch',
            `${name} is not a column of the dense model; use decimal indices "0".."${space.dim - 1}" as names or an array of ${space.dim} numbers${ev(id)}`,
          );
      }
    }
    if (space.kind === 'hashed') space.canonicalize(into.x);
    return null;
  }
}

// ------------------------------------------------------------------------------------------- reasons

const CYCLE = '\u0000cycle';
const F_OK = 0;
const F_BAD_VALUE = 1;
const F_NON_FINITE = 2;
const F_NOT_INDEX = 3;
const F_OUT_OF_RANGE = 4;

function isForbidden(k: string): boolean {
  return k === '__proto__' || k === 'constructor' || k === 'prototype';
}

function reject(code: RejectCode, reason: string): Rejection {
  return { code, reason };
}

/** ` (event <id>)` for a message, or nothing when the id is not known yet. */
function ev(id: string): string {
  return ` (event ${clip(id, 64)})`;
}

/** The id suffix for reasons found before the id was validated (only when it looks valid). */
function evOf(o: Record<string, unknown>): string {
  const id = hasOwn(o, 'id') ? o.id : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH && !isForbidden(id) ? ev(id) : '';
}

function forbidden(key: string, where: string, o: Record<string, unknown>): Rejection {
  return reject(
    'forbidden-key',
    `key "${key}" ${where} is not allowed (__proto__, constructor and prototype are refused to prevent prototype pollution); rename it${evOf(o)}`,
  );
}

function cyclic(o: Record<string, unknown>): Rejection {
  return reject('bad-json', `event nests more objects than a JSON message of the size limit can hold (a cyclic value?); send plain JSON${evOf(o)}`);
}

function tooMany(n: number, max: number, id: string): Rejection {
  return reject('too-many-features', `features has ${n} entries, over the limit of ${max} (maxFeatures); send fewer features or raise the limit${ev(id)}`);
}

function badValue(what: string, value: unknown, id: string): Rejection {
  const hint = typeof value === 'boolean' ? `send ${value ? 1 : 0}` : value === null ? 'leave the feature out or send a number' : 'send a finite number';
  return reject('bad-features', `${what} is ${describe(value)}; ${hint}${ev(id)}`);
}

function nonFinite(what: string, value: number, id: string): Rejection {
  return reject('non-finite', `${what} is ${String(value)} (not a finite number); send a finite number${ev(id)}`);
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/** A short description of a value for reasons: `the string "x"`, `true (a boolean)`, `an array` … */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(clip(v, 40))}`;
    case 'number':
      return `the number ${String(v)}`;
    case 'boolean':
      return `${String(v)} (a boolean)`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}
