import type { NamedState, StateValue } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import { canonicalJson } from './canonical-json.js';
import { writeStateObject, writeStateValue } from './canonical-state-writer.js';
import { crc32c } from './crc32c.js';
import { crc32cWithRuns } from './crc32c-runs.js';
import { JsonBytesWriter } from './json-bytes-writer.js';
import { stateFromJsonValue, stateToJsonValue } from './state-codec.js';

/** The `format` field of every snapshot envelope. */
export const SNAPSHOT_FORMAT = 'logit-stream/snapshot';
/** The snapshot version this build writes and the newest it reads. */
export const SNAPSHOT_VERSION = 1;

/** The next offset to consume from one input partition (Kafka offsets are decimal strings). */
export interface SnapshotOffset {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to read, a decimal string of a non-negative integer (e.g. `"1042"`). */
  readonly next: string;
}

/** What a model snapshot holds. */
export interface SnapshotPayload {
  /** Which learner wrote it (the snapshot topic's key). */
  readonly learnerId: string;
  /** Epoch milliseconds when it was taken. */
  readonly createdAt: number;
  /** The next offset of each input partition the state has consumed. */
  readonly offsets: readonly SnapshotOffset[];
  /** The learned state (weights, optimiser, calibrator, metrics …), restored bit for bit. */
  readonly state: NamedState;
  /**
   * The configuration it was trained with: any plain JSON-like value (objects, arrays, numbers incl.
   * −0/NaN/±Infinity, strings, booleans, null, typed arrays); `undefined` properties are dropped.
   */
  readonly config: unknown;
}

/**
 * Writes a model snapshot: a versioned, checksummed JSON envelope
 * `{"format":"logit-stream/snapshot","version":1,"checksum":"crc32c:<8 hex>","body":{…}}`.
 * The body is `{learnerId, createdAt, offsets, state, config}` with state and config in the exact
 * tagged encoding of {@link stateToJsonValue}, written in canonical form ({@link canonicalJson}); the
 * checksum is CRC-32C of the UTF-8 of that canonical body. CRC-32C detects accidental corruption
 * (truncation, flipped bytes, a damaged base64 array), which is what a snapshot needs; it is not a
 * signature and does not defend against deliberate forgery.
 *
 * @param payload - {@link SnapshotPayload}
 * @returns the snapshot text
 * @throws CoreError `bad-snapshot` when the payload itself is invalid (names the field)
 * @example
 * const text = encodeSnapshot({ learnerId: 'l-0', createdAt: 0, offsets: [{ topic: 'events', partition: 0, next: '42' }],
 *   state: { w: new Float64Array([0.5]) }, config: { bits: 18 } });
 * decodeSnapshot(text).offsets[0].next // '42'
 */
export function encodeSnapshot(payload: SnapshotPayload): string {
  return utf8Decoder.decode(encodeSnapshotBytes(payload));
}

const utf8Decoder = new TextDecoder('utf-8');
const HEAD = `{"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION},"checksum":"crc32c:`;
const BODY = '","body":';
const HEX = '0123456789abcdef';

/**
 * {@link encodeSnapshot} as UTF-8 bytes: the same envelope, byte for byte (`new TextDecoder().decode`
 * of the result is the text), built in one buffer without intermediate strings. The body is written
 * straight from the state (typed arrays base64'd in place) and checksummed over those bytes, long
 * runs of `A` (zero weights) taken whole; a payload the fast writer does not take is encoded the
 * plain way (the same bytes, or the same error).
 *
 * Writing 3 MB into freshly allocated memory costs about as much again in page faults as the writing
 * itself, so a caller that snapshots repeatedly can pass the previous result's memory back as
 * `scratch` (see the example).
 *
 * @param payload - {@link SnapshotPayload}
 * @param scratch - memory to write into (its previous contents are gone; a view whose `byteOffset` is
 *   not a multiple of 4 is not used); when the envelope outgrows it, or without it, the result is in
 *   new memory
 * @returns the envelope's UTF-8 bytes: a view (of `scratch` or of new memory) whose `buffer` may be
 *   longer than the view
 * @throws CoreError `bad-snapshot` as {@link encodeSnapshot}
 * @example
 * const bytes = encodeSnapshotBytes({ learnerId: 'l-0', createdAt: 0, offsets: [], state: { w: new Float64Array(4) }, config: null });
 * new TextDecoder().decode(bytes) === encodeSnapshot({ learnerId: 'l-0', createdAt: 0, offsets: [], state: { w: new Float64Array(4) }, config: null }) // true
 * // the next snapshot reuses the memory (once `bytes` has been consumed, e.g. compressed)
 * const again = encodeSnapshotBytes(payload, new Uint8Array(bytes.buffer, bytes.byteOffset));
 */
export function encodeSnapshotBytes(payload: SnapshotPayload, scratch?: Uint8Array): Uint8Array {
  validateHeader(payload as unknown as Record<string, unknown>, 'payload');
  const w = new JsonBytesWriter(scratch ?? 1 << 16);
  w.ascii(HEAD);
  const crcAt = w.pos;
  w.ascii('00000000');
  w.ascii(BODY);
  const bodyAt = w.pos;
  try {
    w.ascii('{"config":');
    if (payload.config === undefined) w.ascii('null');
    else writeStateValue(w, payload.config, 1, true);
    w.ascii(',"createdAt":');
    w.number(payload.createdAt);
    w.ascii(',"learnerId":');
    w.string(payload.learnerId);
    w.ascii(',"offsets":');
    w.canonical(payload.offsets.map((o) => ({ topic: o.topic, partition: o.partition, next: o.next })));
    w.ascii(',"state":');
    writeStateObject(w, payload.state, 0, false);
    w.byte(125);
  } catch {
    // Not a state the fast writer takes (or a bug in it): the plain way gives the exact bytes or error.
    return new TextEncoder().encode(encodeSnapshotText(payload));
  }
  const bodyEnd = w.pos;
  const runs = w.runs.map((x) => x - bodyAt);
  const crc = crc32cWithRuns(w.bytes().subarray(bodyAt, bodyEnd), runs);
  w.byte(125);
  const out = w.bytes();
  for (let i = 0; i < 8; i++) out[crcAt + i] = HEX.charCodeAt((crc >>> (28 - 4 * i)) & 15);
  return out;
}

/** The envelope built the plain way: tagged value, canonical text, checksum of its UTF-8. */
function encodeSnapshotText(payload: SnapshotPayload): string {
  validateHeader(payload as unknown as Record<string, unknown>, 'payload');
  let state: unknown;
  let config: unknown;
  try {
    state = stateToJsonValue(payload.state);
    config =
      payload.config === undefined ? null : stateToJsonValue({ config: payload.config as StateValue }, { skipUndefined: true }).config;
  } catch (e) {
    throw new CoreError('bad-snapshot', `cannot write snapshot: ${(e as Error).message}`, { cause: e });
  }
  const body = canonicalJson({
    learnerId: payload.learnerId,
    createdAt: payload.createdAt,
    offsets: payload.offsets.map((o) => ({ topic: o.topic, partition: o.partition, next: o.next })),
    state,
    config,
  });
  return `{"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION},"checksum":"${checksumOf(body)}","body":${body}}`;
}

/** The buffer decodeSnapshot re-serialises bodies into, kept for the next call (no fresh pages to fault in). */
let canonicalMemory: Uint8Array | undefined;

/**
 * Reads a snapshot written by {@link encodeSnapshot}, refusing anything it cannot trust. The checksum
 * is taken over the body re-serialised canonically into a buffer that is kept for the next call (as
 * large as the largest body read so far: about 3 MB after a 2^18-slot model).
 *
 * @param text - the snapshot text
 * @returns the payload, state and config restored exactly
 * @throws CoreError `bad-snapshot` when the text is not JSON, the format is not `logit-stream/snapshot`,
 *   the version is not 1 (a newer version says so and names it), the checksum does not match the body,
 *   or the body is malformed (the message names the field)
 * @example
 * decodeSnapshot('{"format":"logit-stream/snapshot","version":2}') // throws: snapshot version 2 is newer …
 */
export function decodeSnapshot(text: string): SnapshotPayload {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(`snapshot is not valid JSON (${(e as Error).message}); it is truncated or corrupt`, e);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('snapshot is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== SNAPSHOT_FORMAT) {
    throw bad(`snapshot format is ${show(d.format)}, expected "${SNAPSHOT_FORMAT}"; this is not a logit-stream snapshot`);
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    throw bad(`snapshot version ${show(d.version)} is not a positive integer; the snapshot is corrupt`);
  }
  if (d.version > SNAPSHOT_VERSION) {
    throw bad(
      `snapshot version ${d.version} is newer than this build reads (${SNAPSHOT_VERSION}); upgrade logit-stream or start without the snapshot`,
    );
  }
  if (typeof d.checksum !== 'string' || !/^crc32c:[0-9a-f]{8}$/.test(d.checksum)) {
    throw bad(`snapshot checksum ${show(d.checksum)} is not "crc32c:" and 8 lowercase hex digits; the snapshot is corrupt`);
  }
  if (typeof d.body !== 'object' || d.body === null || Array.isArray(d.body)) throw bad('snapshot body is missing or not an object');
  const canonical = new JsonBytesWriter(canonicalMemory ?? 1 << 16);
  canonical.canonical(d.body);
  const actual = 'crc32c:' + crc32cWithRuns(canonical.bytes(), canonical.runs).toString(16).padStart(8, '0');
  canonicalMemory = canonical.memory();
  if (actual !== d.checksum) {
    throw bad(`snapshot checksum mismatch: the envelope says ${d.checksum}, the body gives ${actual}; the snapshot is corrupt, use an older one`);
  }
  const b = d.body as Record<string, unknown>;
  validateHeader(b, 'body');
  let state: NamedState;
  let config: unknown;
  try {
    state = stateFromJsonValue(b.state, 'body.state');
    config = stateFromJsonValue({ config: b.config }, 'body').config;
  } catch (e) {
    throw bad(`snapshot ${(e as Error).message}`, e);
  }
  return { learnerId: b.learnerId as string, createdAt: b.createdAt as number, offsets: b.offsets as SnapshotOffset[], state, config };
}

function validateHeader(b: Record<string, unknown>, where: string): void {
  if (typeof b.learnerId !== 'string' || b.learnerId.length === 0) {
    throw bad(`snapshot ${where}.learnerId ${show(b.learnerId)} must be a non-empty string`);
  }
  if (typeof b.createdAt !== 'number' || !Number.isFinite(b.createdAt)) {
    throw bad(`snapshot ${where}.createdAt ${show(b.createdAt)} must be a finite number (epoch ms)`);
  }
  if (!Array.isArray(b.offsets)) throw bad(`snapshot ${where}.offsets ${show(b.offsets)} must be an array`);
  b.offsets.forEach((o: unknown, i: number) => {
    const p = `snapshot ${where}.offsets[${i}]`;
    if (typeof o !== 'object' || o === null) throw bad(`${p} ${show(o)} must be an object {topic, partition, next}`);
    const r = o as Record<string, unknown>;
    if (typeof r.topic !== 'string' || r.topic.length === 0) throw bad(`${p}.topic ${show(r.topic)} must be a non-empty string`);
    if (typeof r.partition !== 'number' || !Number.isInteger(r.partition) || r.partition < 0) {
      throw bad(`${p}.partition ${show(r.partition)} must be an integer ≥ 0`);
    }
    if (typeof r.next !== 'string' || !/^(0|[1-9][0-9]*)$/.test(r.next)) {
      throw bad(`${p}.next ${show(r.next)} must be a decimal string of an offset ≥ 0 (e.g. "42")`);
    }
  });
  if (typeof b.state !== 'object' || b.state === null || Array.isArray(b.state)) {
    throw bad(`snapshot ${where}.state must be an object`);
  }
}

function checksumOf(body: string): string {
  return 'crc32c:' + crc32c(new TextEncoder().encode(body)).toString(16).padStart(8, '0');
}

function show(v: unknown): string {
  if (v === undefined) return '(missing)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function bad(message: string, cause?: unknown): CoreError {
  return new CoreError('bad-snapshot', message, cause === undefined ? undefined : { cause });
}
