import { JsonBytesWriter } from './json-bytes-writer.js';
import { MAX_STATE_DEPTH, bytesOf } from './state-codec.js';

/** Thrown by the writers below at anything the tagged encoding refuses; the caller redoes the work the slow way for the message. */
export const NOT_A_STATE: unique symbol = Symbol('not a state');

/**
 * Writes a state object straight to canonical JSON bytes: what `canonicalJson(stateToJsonValue(s))`
 * gives, byte for byte, without building the tagged value or its base64 strings (typed arrays are
 * base64'd into the output). It checks what {@link stateToJsonValue} checks (plain objects, the three
 * typed arrays, no `__proto__` key, no undefined unless skipped, depth) but throws only
 * {@link NOT_A_STATE}, without a message: the caller runs {@link stateToJsonValue} for the error
 * that names the path.
 *
 * @param w - the output
 * @param s - the state (an object)
 * @param depth - its nesting depth (0 at the top, as in stateToJsonValue)
 * @param skipUndefined - drop undefined properties instead of refusing them
 * @throws {@link NOT_A_STATE}
 * @example
 * const w = new JsonBytesWriter();
 * writeStateObject(w, { w: new Float64Array([1]), b: -0 }, 0, false);
 * new TextDecoder().decode(w.bytes()) // '{"b":{"$num":"-0"},"w":{"$f64":"AAAAAAAA8D8="}}'
 */
export function writeStateObject(w: JsonBytesWriter, s: object, depth: number, skipUndefined: boolean): void {
  if (depth >= MAX_STATE_DEPTH) throw NOT_A_STATE;
  const proto = Object.getPrototypeOf(s);
  if (proto !== Object.prototype && proto !== null) throw NOT_A_STATE;
  // '$'-escaping keeps the order of keys ('$$x' sorts against any key as '$x' does), so sort the originals
  const keys = Object.keys(s).sort();
  w.byte(123);
  let first = true;
  for (const k of keys) {
    if (k === '__proto__') throw NOT_A_STATE;
    const value = (s as Record<string, unknown>)[k];
    if (value === undefined) {
      if (skipUndefined) continue;
      throw NOT_A_STATE;
    }
    if (!first) w.byte(44);
    first = false;
    w.string(k.charCodeAt(0) === 36 ? '$' + k : k);
    w.byte(58);
    writeStateValue(w, value, depth + 1, skipUndefined);
  }
  w.byte(125);
}

/**
 * Writes one state value as {@link writeStateObject} does (numbers JSON cannot hold and typed arrays
 * tagged).
 *
 * @param w - the output
 * @param v - the value
 * @param depth - its nesting depth
 * @param skipUndefined - drop undefined object properties instead of refusing them
 * @throws {@link NOT_A_STATE}
 * @example
 * const w = new JsonBytesWriter();
 * writeStateValue(w, NaN, 1, false);
 * new TextDecoder().decode(w.bytes()) // '{"$num":"NaN"}'
 */
export function writeStateValue(w: JsonBytesWriter, v: unknown, depth: number, skipUndefined: boolean): void {
  switch (typeof v) {
    case 'number':
      if (Number.isFinite(v) && !Object.is(v, -0)) w.number(v);
      else w.ascii(Object.is(v, -0) ? '{"$num":"-0"}' : `{"$num":"${String(v)}"}`);
      return;
    case 'string':
      w.string(v);
      return;
    case 'boolean':
      w.ascii(v ? 'true' : 'false');
      return;
    case 'object': {
      if (v === null) {
        w.ascii('null');
        return;
      }
      if (v instanceof Float64Array) return typed(w, '{"$f64":"', bytesOf(v, 8));
      if (v instanceof Int32Array) return typed(w, '{"$i32":"', bytesOf(v, 4));
      if (v instanceof Uint32Array) return typed(w, '{"$u32":"', bytesOf(v, 4));
      if (ArrayBuffer.isView(v)) throw NOT_A_STATE;
      if (Array.isArray(v)) {
        if (depth >= MAX_STATE_DEPTH) throw NOT_A_STATE;
        w.byte(91);
        for (let i = 0; i < v.length; i++) {
          if (i > 0) w.byte(44);
          writeStateValue(w, v[i], depth + 1, skipUndefined);
        }
        w.byte(93);
        return;
      }
      writeStateObject(w, v, depth, skipUndefined);
      return;
    }
    default:
      throw NOT_A_STATE;
  }
}

function typed(w: JsonBytesWriter, open: string, bytes: Uint8Array): void {
  w.ascii(open);
  w.base64(bytes);
  w.ascii('"}');
}
