import type { NamedState, StateValue } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';

/**
 * Maximum nesting depth of a state (objects and arrays). Real states are a few levels deep; the limit
 * turns a cycle or a hostile input into a clear error instead of a stack overflow.
 */
export const MAX_STATE_DEPTH = 64;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Tag = '$f64' | '$i32' | '$u32' | '$num';

/** Options of {@link stateToJsonValue}. */
export interface StateToJsonOptions {
  /** Drop object properties whose value is `undefined` (as `JSON.stringify` does) instead of refusing them. */
  readonly skipUndefined?: boolean;
}

/**
 * Converts a {@link NamedState} into a plain JSON value that holds it exactly (the JSON form that
 * {@link encodeState} writes and snapshots embed):
 * - `Float64Array` / `Int32Array` / `Uint32Array` → `{"$f64": base64}` / `{"$i32": …}` / `{"$u32": …}`,
 *   the raw little-endian bytes (so NaN payloads, −0 and denormals survive bit for bit);
 * - numbers JSON cannot hold → `{"$num": "-0" | "NaN" | "Infinity" | "-Infinity"}`;
 * - an object key that starts with `$` is escaped by doubling the `$` (`"$x"` is written `"$$x"`), so
 *   no user key can be mistaken for a tag;
 * - strings, booleans, null, finite numbers, arrays and plain objects as themselves.
 *
 * @param s - the state (plain objects, arrays, numbers, booleans, strings, null and the three typed arrays)
 * @param options - {@link StateToJsonOptions}
 * @throws CoreError `bad-state` naming the path of a value that is not a StateValue (undefined,
 *   a function, another typed array, a class instance, a `__proto__` key) or of nesting beyond
 *   {@link MAX_STATE_DEPTH} (usually a cycle)
 * @example
 * stateToJsonValue({ w: new Float64Array([1]), b: -0 }) // { w: { $f64: 'AAAAAAAA8D8=' }, b: { $num: '-0' } }
 */
export function stateToJsonValue(s: NamedState, options: StateToJsonOptions = {}): Record<string, unknown> {
  return encodeObject(s, 'state', 0, options.skipUndefined === true);
}

/**
 * Encodes a {@link NamedState} as JSON text that {@link decodeState} turns back into an equal state,
 * bit for bit (typed arrays as tagged base64, −0/NaN/±Infinity tagged; see {@link stateToJsonValue}).
 *
 * @param s - the state
 * @returns JSON text (no whitespace)
 * @throws CoreError `bad-state` for a value that is not a StateValue (see {@link stateToJsonValue})
 * @example
 * const text = encodeState({ n: 3, w: new Float64Array([0.5, -0]) });
 * decodeState(text) // { n: 3, w: Float64Array [0.5, -0] }
 */
export function encodeState(s: NamedState): string {
  return JSON.stringify(stateToJsonValue(s));
}

/**
 * Decodes JSON text written by {@link encodeState}, validating it completely.
 *
 * @param json - the text
 * @returns the state: plain objects and arrays, typed arrays with their own buffers
 * @throws CoreError `bad-state` when the text is not JSON, the top level is not an object, a tag is
 *   malformed (unknown tag, bad base64, byte length not a multiple of the element size), a key is
 *   `__proto__`, or nesting exceeds {@link MAX_STATE_DEPTH}; the message names the path
 * @example
 * decodeState('{"b":{"$num":"-0"},"w":{"$f64":"AAAAAAAA8D8="}}') // { b: -0, w: Float64Array [1] }
 */
export function decodeState(json: string): NamedState {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new CoreError('bad-state', `state is not valid JSON (${(e as Error).message}); pass the text encodeState wrote`, {
      cause: e,
    });
  }
  return stateFromJsonValue(v);
}

/**
 * Inverse of {@link stateToJsonValue}: validates a parsed JSON value and rebuilds the state.
 *
 * @param v - a value from `JSON.parse`
 * @param path - name of the value in error messages (default `state`)
 * @throws CoreError `bad-state` (see {@link decodeState})
 * @example
 * stateFromJsonValue({ n: { $num: 'NaN' } }) // { n: NaN }
 */
export function stateFromJsonValue(v: unknown, path = 'state'): NamedState {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw bad(path, `is ${describe(v)}, not an object`);
  }
  const out = decodeValue(v, path, 0);
  if (typeof out !== 'object' || out === null || Array.isArray(out) || ArrayBuffer.isView(out)) {
    throw bad(path, 'is a tagged value, not an object of named values');
  }
  return out as NamedState;
}

// ---------------------------------------------------------------------------------------------- encode

function encodeObject(s: object, path: string, depth: number, skipUndefined: boolean): Record<string, unknown> {
  if (depth >= MAX_STATE_DEPTH) throw bad(path, `is nested deeper than ${MAX_STATE_DEPTH} levels (a cycle?)`);
  const proto = Object.getPrototypeOf(s);
  if (proto !== Object.prototype && proto !== null) {
    throw bad(path, `is a ${proto?.constructor?.name ?? 'non-plain'} instance; states hold only plain objects (call its toState())`);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(s)) {
    if (k === '__proto__') throw bad(path, 'has a "__proto__" key, which cannot be restored safely; rename it');
    const value = (s as Record<string, unknown>)[k];
    if (value === undefined && skipUndefined) continue;
    out[k.charCodeAt(0) === 36 ? '$' + k : k] = encodeValue(value, `${path}.${k}`, depth + 1, skipUndefined);
  }
  return out;
}

function encodeValue(v: unknown, path: string, depth: number, skipUndefined: boolean): unknown {
  switch (typeof v) {
    case 'number':
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      return { $num: Object.is(v, -0) ? '-0' : String(v) };
    case 'string':
    case 'boolean':
      return v;
    case 'object': {
      if (v === null) return null;
      if (v instanceof Float64Array) return { $f64: encodeBase64(bytesOf(v, 8)) };
      if (v instanceof Int32Array) return { $i32: encodeBase64(bytesOf(v, 4)) };
      if (v instanceof Uint32Array) return { $u32: encodeBase64(bytesOf(v, 4)) };
      if (ArrayBuffer.isView(v)) {
        throw bad(path, `is a ${v.constructor.name}; states hold only Float64Array, Int32Array and Uint32Array`);
      }
      if (Array.isArray(v)) {
        if (depth >= MAX_STATE_DEPTH) throw bad(path, `is nested deeper than ${MAX_STATE_DEPTH} levels (a cycle?)`);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = encodeValue(v[i], `${path}[${i}]`, depth + 1, skipUndefined);
        return out;
      }
      return encodeObject(v, path, depth, skipUndefined);
    }
    default:
      throw bad(path, `is ${describe(v)}; states hold numbers, booleans, strings, null, arrays, plain objects and typed arrays`);
  }
}

/**
 * The little-endian bytes of a typed array as the tagged encoding holds them: a view of its memory
 * on a little-endian machine, a converted copy on a big-endian one.
 *
 * @param a - the array
 * @param size - its element size in bytes
 * @example
 * bytesOf(new Float64Array([1]), 8) // Uint8Array [0, 0, 0, 0, 0, 0, 240, 63]
 */
export function bytesOf(a: Float64Array | Int32Array | Uint32Array, size: 4 | 8): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float64Array) dv.setFloat64(i * 8, a[i], true);
    else if (a instanceof Int32Array) dv.setInt32(i * 4, a[i], true);
    else dv.setUint32(i * 4, a[i], true);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- decode

function decodeValue(v: unknown, path: string, depth: number): StateValue {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'object': {
      if (v === null) return null;
      if (depth >= MAX_STATE_DEPTH) throw bad(path, `is nested deeper than ${MAX_STATE_DEPTH} levels`);
      if (Array.isArray(v)) {
        const out = new Array<StateValue>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = decodeValue(v[i], `${path}[${i}]`, depth + 1);
        return out;
      }
      const keys = Object.keys(v);
      if (keys.length === 1 && isTag(keys[0])) return decodeTag(keys[0], (v as Record<string, unknown>)[keys[0]], path);
      const out: Record<string, StateValue> = {};
      for (const k of keys) {
        if (k === '__proto__') throw bad(path, 'has a "__proto__" key; the state is corrupt or hostile');
        let name = k;
        if (k.charCodeAt(0) === 36) {
          if (k.charCodeAt(1) !== 36) throw bad(path, `has key ${JSON.stringify(k)}: a tag must be the only key of its object`);
          name = k.slice(1);
        }
        out[name] = decodeValue((v as Record<string, unknown>)[k], `${path}.${name}`, depth + 1);
      }
      return out;
    }
    default:
      throw bad(path, `is ${describe(v)}`);
  }
}

function isTag(k: string): k is Tag {
  return k === '$f64' || k === '$i32' || k === '$u32' || k === '$num';
}

function decodeTag(tag: Tag, data: unknown, path: string): StateValue {
  if (typeof data !== 'string') throw bad(path, `tag ${tag} holds ${describe(data)}, not a string`);
  if (tag === '$num') {
    switch (data) {
      case '-0':
        return -0;
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
      default:
        throw bad(path, `tag $num holds ${JSON.stringify(data.slice(0, 40))}; expected "-0", "NaN", "Infinity" or "-Infinity"`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(data);
  } catch (e) {
    throw new CoreError('bad-state', `${path} (${tag}): ${(e as Error).message}`, { cause: e });
  }
  const size = tag === '$f64' ? 8 : 4;
  if (bytes.length % size !== 0) {
    throw bad(path, `tag ${tag} holds ${bytes.length} bytes, not a multiple of ${size}; the data is truncated or corrupt`);
  }
  const n = bytes.length / size;
  if (LITTLE_ENDIAN) {
    if (tag === '$f64') return new Float64Array(bytes.buffer, 0, n);
    if (tag === '$i32') return new Int32Array(bytes.buffer, 0, n);
    return new Uint32Array(bytes.buffer, 0, n);
  }
  const dv = new DataView(bytes.buffer);
  if (tag === '$f64') {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = dv.getFloat64(i * 8, true);
    return a;
  }
  const a = tag === '$i32' ? new Int32Array(n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = tag === '$i32' ? dv.getInt32(i * 4, true) : dv.getUint32(i * 4, true);
  return a;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'undefined') return 'undefined';
  return `a ${typeof v}`;
}

function bad(path: string, what: string): CoreError {
  return new CoreError('bad-state', `${path} ${what}`);
}
