import type { OutputRecord } from '../io/types.js';

/**
 * The bytes that carry one `send`'s records from the learner's thread to the producer thread of
 * createThreadedSink, in an ArrayBuffer that is transferred there and back (so postMessage copies
 * nothing, and nothing is allocated per record on the learner's thread). Not a SharedArrayBuffer:
 * V8 copies into one about 3× slower (its copies into shared memory are element-wise atomic).
 *
 *     per record: u8 topic index · i32 key length (−1: null) · key bytes (UTF-8)
 *                 · i32 value length · value bytes (UTF-8 for a string)
 *                 · i32 headers length (−1: none) · headers as a JSON object (UTF-8)
 *
 * Integers are little-endian. The topic names travel beside the bytes, once per send.
 */

/** Most distinct topics in one send (the index is one byte). */
export const SINK_WIRE_MAX_TOPICS = 255;

/** A packed send: the bytes (`length` of `buffer` used) and the topic names its indices refer to. */
export interface PackedRecords {
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly topics: readonly string[];
  readonly count: number;
}

/**
 * An upper bound on the bytes {@link packRecords} writes for these records (UTF-8 takes at most 3
 * bytes per UTF-16 unit).
 *
 * @param records the records of one send
 * @example
 * packedBound([{ topic: 's', key: 'a', value: Buffer.from('{}') }]); // 13 + 3 + 2 = 18
 */
export function packedBound(records: readonly OutputRecord[]): number {
  let n = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const k = r.key;
    const v = r.value;
    n += 13 + (k === null ? 0 : typeof k === 'string' ? 3 * k.length : k.length) + (typeof v === 'string' ? 3 * v.length : v.length);
    if (r.headers !== undefined) n += 3 * JSON.stringify(r.headers).length;
  }
  return n;
}

/**
 * Writes the records into `buffer` (at least {@link packedBound} bytes) in the format above.
 *
 * @param records the records of one send
 * @param buffer where to write (reused across sends by the caller)
 * @returns the packed send
 * @throws RangeError when the records name more than {@link SINK_WIRE_MAX_TOPICS} topics
 * @example
 * const buf = new ArrayBuffer(packedBound(records));
 * const packed = packRecords(records, buf);
 */
export function packRecords(records: readonly OutputRecord[], buffer: ArrayBuffer): PackedRecords {
  const b = Buffer.from(buffer);
  const topics: string[] = [];
  let last = '';
  let lastIndex = -1;
  let p = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let t = lastIndex;
    if (r.topic !== last || t < 0) {
      t = topics.indexOf(r.topic);
      if (t < 0) {
        if (topics.length === SINK_WIRE_MAX_TOPICS) throw new RangeError(`one send names more than ${SINK_WIRE_MAX_TOPICS} topics; split it`);
        t = topics.push(r.topic) - 1;
      }
      last = r.topic;
      lastIndex = t;
    }
    b[p] = t;
    p = writeBytes(b, p + 1, r.key);
    p = writeBytes(b, p, r.value);
    p = r.headers === undefined ? (b.writeInt32LE(-1, p), p + 4) : writeBytes(b, p, JSON.stringify(r.headers));
  }
  return { buffer, length: p, topics, count: records.length };
}

function writeBytes(b: Buffer, p: number, x: string | Buffer | null): number {
  if (x === null) {
    b.writeInt32LE(-1, p);
    return p + 4;
  }
  const n = typeof x === 'string' ? writeString(b, p + 4, x) : (b.set(x, p + 4), x.length);
  b.writeInt32LE(n, p);
  return p + 4 + n;
}

/** UTF-8 of `s` at `p`: for a short string a plain loop while it is ASCII (ids are; 4× faster than Buffer#write), else Buffer#write. */
function writeString(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n > 48) return b.write(s, p, 'utf8');
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) return b.write(s, p, 'utf8');
    b[p + k] = c;
  }
  return n;
}

/**
 * Reads the records {@link packRecords} wrote. Keys and values are Buffer views into the packed
 * bytes (valid until the buffer is handed back to the sender, once the send has settled).
 *
 * @param packed a packed send
 * @returns its records, in order
 * @example
 * const records = unpackRecords(packRecords(records, buf));
 */
export function unpackRecords(packed: Pick<PackedRecords, 'buffer' | 'length' | 'topics' | 'count'>): OutputRecord[] {
  const b = Buffer.from(packed.buffer, 0, packed.length);
  const out: OutputRecord[] = new Array<OutputRecord>(packed.count);
  let p = 0;
  for (let i = 0; i < packed.count; i++) {
    const topic = packed.topics[b[p]];
    p += 1;
    const kl = b.readInt32LE(p);
    p += 4;
    const key = kl < 0 ? null : b.subarray(p, p + kl);
    if (kl > 0) p += kl;
    const vl = b.readInt32LE(p);
    p += 4;
    const value = b.subarray(p, p + vl);
    p += vl;
    const hl = b.readInt32LE(p);
    p += 4;
    if (hl < 0) out[i] = { topic, key, value };
    else {
      out[i] = { topic, key, value, headers: JSON.parse(b.toString('utf8', p, p + hl)) as Record<string, string> };
      p += hl;
    }
  }
  return out;
}
