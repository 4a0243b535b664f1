import { gzipSync } from 'node:zlib';
import { crc32cOf } from './native-crc32c.js';

/** Bytes of a v2 record batch header (baseOffset … records count), before its first record. */
export const RECORD_BATCH_HEADER_BYTES = 61;
/** Offset of the CRC in a v2 record batch; the CRC covers the bytes from attributes (CRC offset + 4) to the end. */
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const GZIP = 1;

/** Bytes of the zigzag varint of a non-negative int32 `n` (Kafka's `varint`). */
function varintBytes(n: number): number {
  return n < 64 ? 1 : n < 8192 ? 2 : n < 1048576 ? 3 : n < 134217728 ? 4 : 5;
}

/**
 * Encodes Kafka record batches (magic v2, as the Produce API carries them) into one reused,
 * growing Buffer: varints written in place, strings UTF-8-encoded straight into the batch, the CRC-32C
 * computed over the finished batch (natively where `@node-rs/crc32` loads, see native-crc32c.ts). No per-record allocation: the caller's keys, values and headers
 * are copied in, nothing else is created. The buffer is 4-byte aligned (allocUnsafeSlow), so the CRC
 * runs its four-lane word loop. One batch is open at a time; batches follow each other in
 * the buffer (`start`/`end` of each are the caller's to keep) until {@link RecordBatchWriter.reset}.
 *
 * Batch layout (Kafka's DefaultRecordBatch): baseOffset int64 (0), batchLength int32, partitionLeaderEpoch
 * int32 (−1), magic int8 (2), crc uint32, attributes int16 (0, or 1 for gzip; CreateTime, not
 * transactional), lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
 * producerEpoch int16, baseSequence int32, record count int32, then each record: length varint,
 * attributes int8, timestampDelta varlong, offsetDelta varint, key (varint length, −1 = null), value,
 * header count varint, headers (varint-length key and value). Every timestamp is the batch's.
 *
 * @example
 * const w = new RecordBatchWriter();
 * const start = w.beginBatch(4000, 0, 0, Date.now());
 * w.appendRecord(Buffer.from('e-17'), '{"id":"e-17","p":0.8}', undefined);
 * const end = w.endBatch(false);
 * w.buffer.subarray(start, end); // one batch of one record, ready for a Produce request
 */
export class RecordBatchWriter {
  /** The bytes written so far are `buffer[0, length)`; the Buffer is replaced when it grows. */
  buffer: Buffer;
  /** Bytes written (the end of the last batch, or of the open one). */
  length = 0;
  #batchStart = -1;
  #count = 0;
  readonly #initial: number;

  /** @param initialBytes initial capacity (default 256 KiB; it doubles as needed) */
  constructor(initialBytes = 262_144) {
    this.#initial = Math.max(1024, initialBytes);
    this.buffer = Buffer.allocUnsafeSlow(this.#initial);
  }

  /**
   * Forgets every batch written. The buffer is kept for reuse, unless one oversized record (a large
   * model snapshot) grew it beyond 4× its initial size and 4 MiB: then a fresh buffer of the initial
   * size replaces it, so that one large record does not hold its memory for the life of the process.
   * (Views of the old buffer, e.g. a request being retried, stay valid: it is replaced, not reused.)
   */
  reset(): void {
    if (this.buffer.length > Math.max(4 * this.#initial, 4 * 1024 * 1024)) this.buffer = Buffer.allocUnsafeSlow(this.#initial);
    this.length = 0;
    this.#batchStart = -1;
    this.#count = 0;
  }

  /** Makes room for `more` bytes after `length`, keeping what is written. */
  #ensure(more: number): void {
    const need = this.length + more;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /**
   * Opens a batch at the end of the buffer.
   *
   * @param producerIdHigh the upper 32 bits of the idempotent producer id (InitProducerId)
   * @param producerIdLow the lower 32 bits of the producer id
   * @param producerEpoch the producer epoch
   * @param baseSequence the sequence number of the batch's first record (records sent before on its partition)
   * @param timestampMs CreateTime of every record of the batch, epoch milliseconds
   * @returns the batch's start offset in {@link RecordBatchWriter.buffer}
   */
  beginBatch(producerIdHigh: number, producerIdLow: number, producerEpoch: number, baseSequence: number, timestampMs: number): number {
    this.#ensure(RECORD_BATCH_HEADER_BYTES);
    const b = this.buffer;
    const s = this.length;
    b.writeInt32BE(0, s);
    b.writeInt32BE(0, s + 4); // baseOffset
    b.writeInt32BE(-1, s + 12); // partitionLeaderEpoch
    b[s + 16] = 2; // magic
    b.writeInt16BE(0, s + ATTRIBUTES_AT);
    const hi = Math.floor(timestampMs / 4294967296);
    const lo = timestampMs >>> 0;
    b.writeInt32BE(hi, s + 27);
    b.writeUInt32BE(lo, s + 31);
    b.writeInt32BE(hi, s + 35);
    b.writeUInt32BE(lo, s + 39);
    b.writeInt32BE(producerIdHigh | 0, s + 43);
    b.writeInt32BE(producerIdLow | 0, s + 47);
    b.writeInt16BE(producerEpoch, s + 51);
    b.writeInt32BE(baseSequence | 0, s + 53);
    this.#batchStart = s;
    this.#count = 0;
    this.length = s + RECORD_BATCH_HEADER_BYTES;
    return s;
  }

  /**
   * Appends one record to the open batch (its offsetDelta is its index in the batch).
   *
   * @param key the key (null: none); a string is written as UTF-8
   * @param value the value; a string is written as UTF-8
   * @param headers header names and values (UTF-8), or undefined
   */
  appendRecord(key: string | Buffer | null, value: string | Buffer, headers: Readonly<Record<string, string>> | undefined): void {
    const delta = this.#count;
    // An upper bound of the record's bytes (UTF-8 takes at most 3 bytes per UTF-16 unit), so the
    // writes below never run past the buffer, and an estimate of its body length for the length prefix.
    const keyUnits = key === null ? 0 : key.length;
    const valueUnits = value.length;
    // A Buffer's length is already its byte count; only strings need the 3-bytes-per-unit bound.
    let bound = 32 + (typeof key === 'string' ? 3 * keyUnits : keyUnits) + (typeof value === 'string' ? 3 * valueUnits : valueUnits);
    let estimate = 8 + keyUnits + valueUnits;
    if (headers !== undefined) {
      for (const h in headers) {
        const units = h.length + headers[h].length;
        bound += 10 + 3 * units;
        estimate += 2 + units;
      }
    }
    this.#ensure(bound);
    const b = this.buffer;
    const start = this.length;
    const reserved = varintBytes(estimate);
    let p = start + reserved;
    b[p++] = 0; // attributes
    b[p++] = 0; // timestampDelta (zigzag varlong 0)
    p = writeVarint(b, p, delta);
    p = key === null ? writeVarint(b, p, -1) : writeField(b, p, key);
    p = writeField(b, p, value);
    if (headers === undefined) {
      b[p++] = 0;
    } else {
      let n = 0;
      for (const _ in headers) n++;
      p = writeVarint(b, p, n);
      for (const h in headers) {
        p = writeField(b, p, h);
        p = writeField(b, p, headers[h]);
      }
    }
    let bodyLength = p - start - reserved;
    const actual = varintBytes(bodyLength);
    if (actual !== reserved) {
      b.copyWithin(start + actual, start + reserved, p);
      p += actual - reserved;
      bodyLength = p - start - actual;
    }
    writeVarint(b, start, bodyLength);
    this.length = p;
    this.#count = delta + 1;
  }

  /**
   * Closes the open batch: its length, last offset delta, record count and CRC-32C; with `gzip`, its
   * records are gzip-compressed first (attributes bit 0).
   *
   * @param gzip whether to compress the records
   * @returns the batch's end offset in {@link RecordBatchWriter.buffer}
   * @throws Error when no batch is open or it has no record
   */
  endBatch(gzip: boolean): number {
    const s = this.#batchStart;
    if (s < 0 || this.#count === 0) throw new Error('RecordBatchWriter.endBatch: no open batch with records; call beginBatch and appendRecord first');
    if (gzip) {
      const packed = gzipSync(this.buffer.subarray(s + RECORD_BATCH_HEADER_BYTES, this.length));
      this.length = s + RECORD_BATCH_HEADER_BYTES;
      this.#ensure(packed.length);
      packed.copy(this.buffer, this.length);
      this.length += packed.length;
      this.buffer.writeInt16BE(GZIP, s + ATTRIBUTES_AT);
    }
    const b = this.buffer;
    const end = this.length;
    b.writeInt32BE(end - s - 12, s + 8);
    b.writeInt32BE(this.#count - 1, s + 23);
    b.writeInt32BE(this.#count, s + 57);
    b.writeUInt32BE(crc32cOf(b.subarray(s + ATTRIBUTES_AT, end)), s + CRC_AT);
    this.#batchStart = -1;
    return end;
  }
}

/** Writes the zigzag varint of an int32 at `p`; returns the position after it. */
function writeVarint(b: Buffer, p: number, v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  while (z >= 0x80) {
    b[p++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  b[p++] = z;
  return p;
}

/** Node's Buffer#utf8Write (what Buffer#write calls for UTF-8, without its argument checks). */
interface Utf8Writable {
  utf8Write(s: string, offset: number, length: number): number;
}

/** Writes a varint length and the bytes of `f` (a string as UTF-8) at `p`; returns the position after it. */
function writeField(b: Buffer, p: number, f: string | Buffer): number {
  if (typeof f !== 'string') {
    const n = f.length;
    p = writeVarint(b, p, n);
    if (n <= 32) {
      for (let i = 0; i < n; i++) b[p + i] = f[i];
    } else {
      b.set(f, p);
    }
    return p + n;
  }
  // Reserve the length's varint for the UTF-16 length (exact for ASCII); move the bytes when the
  // UTF-8 length needs a longer varint.
  const reserved = varintBytes(f.length);
  const n = f.length === 0 ? 0 : (b as unknown as Utf8Writable).utf8Write(f, p + reserved, b.length - p - reserved);
  const actual = varintBytes(n);
  if (actual !== reserved) b.copyWithin(p + actual, p + reserved, p + reserved + n);
  writeVarint(b, p, n);
  return p + actual + n;
}
