import { gunzipSync } from 'node:zlib';
import type { InputMessage } from '../../io/types.js';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { crc32cOf } from '../native-crc32c.js';

/** Bytes of a v2 record batch header, from baseOffset to the record count (its records follow). */
const HEADER_BYTES = 61;
/** baseOffset int64 + batchLength int32: the batch length counts the bytes after these. */
const LOG_OVERHEAD = 12;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;
const GZIP = 1;
const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const TWO_32 = 4294967296;
/** The largest upper half of an int64 whose value stays below 2^53 (exact as a double). */
const SAFE_HIGH = 0x1fffff;

/** What a message's key and value are views of before the reader has set them. */
const NO_BYTES = Buffer.alloc(0);

/**
 * A mutable {@link InputMessage} that {@link RecordBatchReader} fills in place, so a caller that
 * keeps its message array from fetch to fetch re-uses the objects (see {@link RecordBatchReader.read}).
 * It holds where its key and value lie in the fetched bytes, not views of them: `key` and `value`
 * make a fresh `subarray` view on each read (the same bytes every time), so a view lives only as
 * long as whoever asked for it keeps it, not as long as the message; a message that is kept (as a
 * re-used one is, from fetch to fetch) then holds no young objects for V8 to promote.
 *
 * @example
 * const m = new LeanMessage(); // topic '', partition 0, offset '0' (offsetValue 0), key/value null, timestamp 0
 */
export class LeanMessage implements InputMessage {
  topic = '';
  partition = 0;
  /** The offset as a number (a safe integer): what the pipeline reads, so the decimal string is made only when asked for. */
  offsetValue = 0;
  /** `offset`'s string once made (null: not yet, for this offsetValue). */
  private offsetText: string | null = '0';
  timestamp = 0;
  /** The bytes the key and value lie in (the fetch response's, or a gzip batch's inflated records). */
  bytes: Buffer = NO_BYTES;
  /** Where the key starts in {@link LeanMessage.bytes}, and its length (−1: null). */
  keyAt = 0;
  keyLength = -1;
  /** Where the value starts in {@link LeanMessage.bytes}, and its length (−1: null). */
  valueAt = 0;
  valueLength = -1;

  /** The offset as Kafka's decimal string (made on first use). */
  get offset(): string {
    return (this.offsetText ??= String(this.offsetValue));
  }

  /** The key, a view of {@link LeanMessage.bytes} made on each read, or null. */
  get key(): Buffer | null {
    return this.keyLength < 0 ? null : this.bytes.subarray(this.keyAt, this.keyAt + this.keyLength);
  }

  /** The value, a view of {@link LeanMessage.bytes} made on each read, or null (a tombstone). */
  get value(): Buffer | null {
    return this.valueLength < 0 ? null : this.bytes.subarray(this.valueAt, this.valueAt + this.valueLength);
  }

  /** Sets the offset (a safe integer); its string is made only if `offset` is read. */
  setOffset(offset: number): void {
    this.offsetValue = offset;
    this.offsetText = null;
  }

  /** Lets go of the fetched bytes (key and value read as null from here on), so a kept message holds nothing of them. */
  release(): void {
    this.bytes = NO_BYTES;
    this.keyLength = -1;
    this.valueLength = -1;
  }

  /**
   * Points key and value into `bytes`.
   *
   * @param bytes what both lie in
   * @param keyAt where the key starts; keyLength its length, −1 for null
   * @param valueAt where the value starts; valueLength its length, −1 for null
   */
  setRecord(bytes: Buffer, keyAt: number, keyLength: number, valueAt: number, valueLength: number): void {
    this.bytes = bytes;
    this.keyAt = keyAt;
    this.keyLength = keyLength;
    this.valueAt = valueAt;
    this.valueLength = valueLength;
  }
}

/**
 * The aborted transactions of one partition of a Fetch response (read_committed), as parallel typed
 * arrays: the producer id in two int32 halves and the transaction's first offset. Any order.
 *
 * @example
 * const a: AbortedTransactions = { count: 1, producerIdHigh: Int32Array.of(0), producerIdLow: Int32Array.of(4000), firstOffset: Float64Array.of(17) };
 */
export interface AbortedTransactions {
  /** Entries in use (the arrays may be longer). */
  count: number;
  producerIdHigh: Int32Array;
  producerIdLow: Int32Array;
  /** The offset of the transaction's first record (below 2^53). */
  firstOffset: Float64Array;
}

/**
 * The record bytes of one partition of a Fetch response: `buffer[start, end)` holds zero or more
 * v2 record batches, the last possibly cut short.
 *
 * @example
 * const range: RecordsRange = { topic: 'events', partition: 0, buffer: bytes, start: 0, end: bytes.length, abortedTransactions: null };
 */
export interface RecordsRange {
  readonly topic: string;
  readonly partition: number;
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
  /** The response's aborted transactions (read_committed), or null (none, or read_uncommitted: nothing is dropped). */
  readonly abortedTransactions: AbortedTransactions | null;
}

/** Set by {@link readVarint} and {@link readVarlong}: the position after the varint read (module state, no allocation). */
let after = 0;

/** Reads Kafka's zigzag varint (int32) at `p`; the position after it goes to `after`. */
function readVarint(b: Buffer, p: number): number {
  let byte = b[p++];
  let z = byte & 0x7f;
  if (byte >= 0x80) {
    byte = b[p++];
    z |= (byte & 0x7f) << 7;
    if (byte >= 0x80) {
      byte = b[p++];
      z |= (byte & 0x7f) << 14;
      if (byte >= 0x80) {
        byte = b[p++];
        z |= (byte & 0x7f) << 21;
        if (byte >= 0x80) {
          byte = b[p++];
          z |= (byte & 0x0f) << 28;
          // more than 5 bytes (or a byte past the end, read as undefined): the record-end check fails
          if (byte >= 0x80) p = -1;
        }
      }
    }
  }
  after = p;
  return (z >>> 1) ^ -(z & 1);
}

/** Reads Kafka's zigzag varlong at `p` as a double (exact below 2^53); the position after it goes to `after`. */
function readVarlong(b: Buffer, p: number): number {
  let byte = b[p++];
  if (byte < 0x80) {
    after = p;
    return (byte >>> 1) ^ -(byte & 1);
  }
  let v = byte & 0x7f;
  let scale = 128;
  for (let i = 1; i < 10; i++) {
    byte = b[p++];
    v += (byte & 0x7f) * scale;
    if (!(byte >= 0x80)) {
      after = p;
      return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    }
    scale *= 128;
  }
  after = -1;
  return 0;
}

/** The int64 at `p` as a double, or NaN when it is 2^53 or more, or below −2^53. */
function readInt64(b: Buffer, p: number): number {
  const hi = b.readInt32BE(p);
  if (hi > SAFE_HIGH || hi < -SAFE_HIGH - 1) return NaN;
  return hi * TWO_32 + b.readUInt32BE(p + 4);
}

/**
 * Decodes the magic-2 record batches of one partition of a Fetch response into {@link LeanMessage}s,
 * as the Java consumer's CompletedFetch does, with no allocation per record beyond the message (when
 * the caller does not re-use one): key and value are read as views only when asked for, and the
 * offset's decimal string too:
 *
 * - every batch's CRC-32C is checked (Kafka's `check.crcs` default); a mismatch throws naming the
 *   topic, partition and base offset;
 * - gzip batches are inflated with node:zlib (key/value are then views of the inflated bytes);
 *   snappy, lz4 and zstd throw naming the codec;
 * - control batches (transaction markers) are skipped; a trailing batch cut short (the broker stops
 *   at the fetch's byte limit) is left for the next fetch, and {@link RecordBatchReader.truncated} says so;
 * - read_committed: the response's aborted transactions are applied as Java's client does — before
 *   each batch with a producer id, the aborted transactions whose first offset is at or below the
 *   batch's last offset mark their producer as aborted; a transactional batch of an aborted producer
 *   is dropped; that producer's ABORT marker (a control batch) clears it;
 * - records below the fetch offset (a compressed batch comes whole) are dropped;
 * - offsets are computed as doubles (base offset from two uint32 halves) and handed out as
 *   `String(offset)`; an offset of 2^53 or more throws;
 * - timestamp: the batch's first timestamp + the record's delta (CreateTime), or the batch's max
 *   timestamp for every record (LogAppendTime, attributes bit 3). Headers are skipped.
 *
 * After {@link RecordBatchReader.read}, {@link RecordBatchReader.nextOffset} is where the next fetch of
 * the partition must start: one past the last offset of the last whole batch (control, aborted and
 * compacted-away records included), or the fetch offset when no whole batch came.
 *
 * @example
 * const reader = new RecordBatchReader();
 * const out: LeanMessage[] = [];
 * const n = reader.read({ topic: 'events', partition: 0, buffer: bytes, start: 0, end: bytes.length, abortedTransactions: null }, 0, out, 0);
 * // out[0 … n) are the messages; fetch next from reader.nextOffset
 */
export class RecordBatchReader {
  /** Where the next fetch of the partition last read must start. */
  nextOffset = 0;
  /** Whether the last read ended with an incomplete batch (the next fetch starts at it). */
  truncated = false;
  /** The partition leader epoch of the last whole batch read (−1: none), for the next fetch's lastFetchedEpoch. */
  lastEpoch = -1;
  /** Whole batches seen by the last read (data, control and aborted ones). */
  batches = 0;
  readonly #checkCrcs: boolean;
  /** Producers whose transaction is aborted at the current position (int64 ids as int32 halves). */
  #abortedHigh = new Int32Array(8);
  #abortedLow = new Int32Array(8);
  #abortedCount = 0;
  /** Which of the response's aborted transactions were already applied. */
  #consumed = new Uint8Array(8);

  /** @param options `checkCrcs` (default true: verify every batch's CRC-32C, as Kafka's `check.crcs`) */
  constructor(options: { readonly checkCrcs?: boolean } = {}) {
    this.#checkCrcs = options.checkCrcs ?? true;
  }

  /**
   * Decodes `range` into `out[count …]`: an existing element is overwritten (it must be a
   * {@link LeanMessage}), a missing one is created and pushed. The array is not shortened: use the
   * returned count.
   *
   * @param range the partition's record bytes and aborted transactions
   * @param fetchOffset the offset the fetch asked for (records below it are dropped); a safe integer
   * @param out where the messages go
   * @param count how many elements of `out` are already in use (the messages start there)
   * @returns `count` plus the number of messages decoded
   * @throws KafkaAdapterError `corrupt-batch` (CRC mismatch, malformed batch), `unsupported-compression`
   *   (snappy, lz4, zstd), `unsupported-format` (message format v0/v1), `offset-too-large` (≥ 2^53)
   */
  read(range: RecordsRange, fetchOffset: number, out: LeanMessage[], count: number): number {
    const { topic, partition, buffer: b, end } = range;
    const aborted = range.abortedTransactions;
    this.#startAborted(aborted);
    let next = fetchOffset;
    let p = range.start;
    let batches = 0;
    this.truncated = false;
    while (p < end) {
      if (end - p < LOG_OVERHEAD) {
        this.truncated = true;
        break;
      }
      const batchEnd = p + LOG_OVERHEAD + b.readInt32BE(p + 8);
      if (batchEnd > end) {
        this.truncated = true;
        break;
      }
      const baseOffset = readInt64(b, p);
      if (Number.isNaN(baseOffset)) throw tooLarge(topic, partition, `${b.readBigInt64BE(p)}`);
      if (batchEnd < p + HEADER_BYTES) throw corrupt(topic, partition, baseOffset, `its length ${batchEnd - p} is below the ${HEADER_BYTES}-byte header`);
      const magic = b[p + MAGIC_AT];
      if (magic !== 2) {
        throw new KafkaAdapterError(
          'unsupported-format',
          `the record batch at offset ${baseOffset} of ${topic}-${partition} has message format v${magic}; the lean consumer reads only v2 (Kafka 0.11 and newer): convert the topic's old segments (or read it with the kafkajs consumer)`,
        );
      }
      if (this.#checkCrcs) {
        const stored = b.readUInt32BE(p + CRC_AT);
        const computed = crc32cOf(b.subarray(p + ATTRIBUTES_AT, batchEnd));
        if (stored !== computed) {
          throw corrupt(
            topic,
            partition,
            baseOffset,
            `its CRC-32C is 0x${computed.toString(16).padStart(8, '0')} but the batch says 0x${stored.toString(16).padStart(8, '0')}; fetch again from offset ${baseOffset} (if it persists, the broker's log segment is damaged: inspect it with kafka-dump-log.sh)`,
          );
        }
      }
      const attributes = b.readUInt16BE(p + ATTRIBUTES_AT);
      const lastOffset = baseOffset + b.readInt32BE(p + 23);
      if (lastOffset > Number.MAX_SAFE_INTEGER) throw tooLarge(topic, partition, `${b.readBigInt64BE(p) + BigInt(b.readInt32BE(p + 23))}`);
      batches++;
      const batchStart = p;
      p = batchEnd;
      if (lastOffset + 1 > next) next = lastOffset + 1;
      this.lastEpoch = b.readInt32BE(batchStart + 12);

      const producerHigh = b.readInt32BE(batchStart + 43);
      const producerLow = b.readInt32BE(batchStart + 47);
      const isControl = (attributes & CONTROL_BIT) !== 0;
      if (aborted !== null && producerHigh >= 0) {
        // hasProducerId (−1 = none): apply the aborted transactions begun at or before this batch's end
        this.#consumeAbortedUpTo(aborted, lastOffset);
        if (isControl) {
          if (isAbortMarker(b, batchStart, batchEnd, attributes)) this.#removeAborted(producerHigh, producerLow);
        } else if ((attributes & TRANSACTIONAL_BIT) !== 0 && this.#isAborted(producerHigh, producerLow)) {
          continue;
        }
      }
      if (isControl) continue;

      let rb = b;
      let rp = batchStart + HEADER_BYTES;
      let rEnd = batchEnd;
      const codec = attributes & COMPRESSION_MASK;
      if (codec !== 0) {
        if (codec !== GZIP) {
          throw new KafkaAdapterError(
            'unsupported-compression',
            `the record batch at offset ${baseOffset} of ${topic}-${partition} is compressed with ${CODEC_NAMES[codec] ?? `codec ${codec}`}, which the lean consumer cannot decompress (it reads gzip and uncompressed batches): have the producers of ${topic} use compression.type=gzip or none`,
          );
        }
        try {
          rb = gunzipSync(b.subarray(rp, batchEnd));
        } catch (e) {
          throw corrupt(topic, partition, baseOffset, `its gzip data does not inflate (${(e as Error).message})`, e);
        }
        rp = 0;
        rEnd = rb.length;
      }
      const records = b.readInt32BE(batchStart + 57);
      const logAppendTime = (attributes & TIMESTAMP_TYPE_BIT) !== 0;
      const firstTimestamp = logAppendTime ? readInt64(b, batchStart + 35) : readInt64(b, batchStart + 27);

      for (let i = 0; i < records; i++) {
        const length = readVarint(rb, rp);
        rp = after;
        const recordEnd = rp + length;
        if (length < 6 || recordEnd > rEnd || rp < 0) throw corrupt(topic, partition, baseOffset, `record ${i} has length ${length}, beyond the batch`);
        rp++; // attributes (unused)
        const timestampDelta = readVarlong(rb, rp);
        rp = after;
        const offsetDelta = readVarint(rb, rp);
        rp = after;
        const keyLength = readVarint(rb, rp);
        rp = after;
        const keyAt = rp;
        if (keyLength >= 0) {
          if (keyLength > recordEnd - rp) throw corrupt(topic, partition, baseOffset, `record ${i}'s key runs past the record`);
          rp += keyLength;
        }
        const valueLength = readVarint(rb, rp);
        rp = after;
        const valueAt = rp;
        if (valueLength >= 0) {
          if (valueLength > recordEnd - rp) throw corrupt(topic, partition, baseOffset, `record ${i}'s value runs past the record`);
          rp += valueLength;
        }
        const headers = readVarint(rb, rp);
        rp = after;
        for (let h = 0; h < headers && rp >= 0 && rp < recordEnd; h++) {
          const hk = readVarint(rb, rp);
          rp = after + (hk > 0 ? hk : 0);
          const hv = readVarint(rb, rp);
          rp = after + (hv > 0 ? hv : 0);
        }
        if (rp !== recordEnd) throw corrupt(topic, partition, baseOffset, `record ${i} does not end where its length says`);
        const offset = baseOffset + offsetDelta;
        if (offset < fetchOffset) continue;
        if (offset > lastOffset || offsetDelta < 0) throw corrupt(topic, partition, baseOffset, `record ${i} has offset delta ${offsetDelta}, outside the batch's 0 … ${lastOffset - baseOffset}`);
        let m = out[count];
        if (m === undefined) {
          m = new LeanMessage();
          out.push(m);
        }
        m.topic = topic;
        m.partition = partition;
        m.setOffset(offset);
        m.setRecord(rb, keyAt, keyLength < 0 ? -1 : keyLength, valueAt, valueLength < 0 ? -1 : valueLength);
        m.timestamp = logAppendTime ? firstTimestamp : firstTimestamp + timestampDelta;
        count++;
      }
      if (rp !== rEnd) throw corrupt(topic, partition, baseOffset, `its ${records} records end ${rEnd - rp} bytes before the batch does`);
    }
    this.nextOffset = next;
    this.batches = batches;
    return count;
  }

  /** Clears the aborted-producer set and sizes the consumed flags for a new partition's read. */
  #startAborted(aborted: AbortedTransactions | null): void {
    this.#abortedCount = 0;
    if (aborted === null) return;
    if (this.#consumed.length < aborted.count) this.#consumed = new Uint8Array(aborted.count);
    this.#consumed.fill(0, 0, aborted.count);
  }

  /** Marks the producers of the not yet applied aborted transactions with firstOffset ≤ `offset` as aborted. */
  #consumeAbortedUpTo(aborted: AbortedTransactions, offset: number): void {
    const consumed = this.#consumed;
    for (let i = 0; i < aborted.count; i++) {
      if (consumed[i] === 0 && aborted.firstOffset[i] <= offset) {
        consumed[i] = 1;
        this.#addAborted(aborted.producerIdHigh[i], aborted.producerIdLow[i]);
      }
    }
  }

  #isAborted(high: number, low: number): boolean {
    for (let i = 0; i < this.#abortedCount; i++) if (this.#abortedHigh[i] === high && this.#abortedLow[i] === low) return true;
    return false;
  }

  #addAborted(high: number, low: number): void {
    if (this.#isAborted(high, low)) return;
    if (this.#abortedCount === this.#abortedHigh.length) {
      const h = new Int32Array(this.#abortedCount * 2);
      const l = new Int32Array(this.#abortedCount * 2);
      h.set(this.#abortedHigh);
      l.set(this.#abortedLow);
      this.#abortedHigh = h;
      this.#abortedLow = l;
    }
    this.#abortedHigh[this.#abortedCount] = high;
    this.#abortedLow[this.#abortedCount] = low;
    this.#abortedCount++;
  }

  #removeAborted(high: number, low: number): void {
    for (let i = 0; i < this.#abortedCount; i++) {
      if (this.#abortedHigh[i] === high && this.#abortedLow[i] === low) {
        const last = --this.#abortedCount;
        this.#abortedHigh[i] = this.#abortedHigh[last];
        this.#abortedLow[i] = this.#abortedLow[last];
        return;
      }
    }
  }
}

/**
 * Whether the control batch at `s` is an ABORT marker: its first record's key is (version int16,
 * type int16) with type 0 = ABORT, 1 = COMMIT (Kafka's ControlRecordType).
 */
function isAbortMarker(b: Buffer, s: number, end: number, attributes: number): boolean {
  if (b.readInt32BE(s + 57) < 1) return false;
  let rb = b;
  let p = s + HEADER_BYTES;
  let rEnd = end;
  if ((attributes & COMPRESSION_MASK) === GZIP) {
    rb = gunzipSync(b.subarray(p, end)); // markers are written uncompressed; a gzip one is tolerated
    p = 0;
    rEnd = rb.length;
  } else if ((attributes & COMPRESSION_MASK) !== 0) {
    return false;
  }
  readVarint(rb, p); // length
  p = after + 1; // attributes
  readVarlong(rb, p);
  p = after;
  readVarint(rb, p); // offset delta
  p = after;
  const keyLength = readVarint(rb, p);
  p = after;
  if (p < 0 || keyLength < 4 || p + 4 > rEnd) return false;
  return rb.readInt16BE(p + 2) === 0;
}

function corrupt(topic: string, partition: number, baseOffset: number, what: string, cause?: unknown): KafkaAdapterError {
  return new KafkaAdapterError(
    'corrupt-batch',
    `the record batch at offset ${baseOffset} of ${topic}-${partition} is corrupt: ${what}`,
    cause === undefined ? { retriable: true } : { retriable: true, cause },
  );
}

function tooLarge(topic: string, partition: number, offset: string): KafkaAdapterError {
  return new KafkaAdapterError(
    'offset-too-large',
    `offset ${offset} of ${topic}-${partition} is 2^53 or more, beyond what the lean consumer computes exactly: read this partition with the kafkajs consumer`,
  );
}
