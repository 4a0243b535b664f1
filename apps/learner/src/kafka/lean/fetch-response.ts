import type { Reader } from '@platformatic/kafka';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import type { AbortedTransactions, RecordsRange } from './record-batch-reader.js';

/** One partition of a Fetch v12 response; its records are `buffer[start, end)` (not copied). */
export interface FetchResponsePartition extends RecordsRange {
  readonly topic: string;
  readonly partition: number;
  /** The partition's error code (0: none), e.g. 6 NOT_LEADER_OR_FOLLOWER, 1 OFFSET_OUT_OF_RANGE. */
  readonly errorCode: number;
  readonly highWatermark: number;
  /** −1 when the broker does not know it. */
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** The replica to fetch from next (KIP-392), or −1. */
  readonly preferredReadReplica: number;
  /** Tagged field CurrentLeader (sent with NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH): the leader's id, or −1. */
  readonly currentLeaderId: number;
  /** The current leader's epoch, or −1. */
  readonly currentLeaderEpoch: number;
  /** Tagged field DivergingEpoch (the log diverged from lastFetchedEpoch): the epoch, or −1. */
  readonly divergingEpoch: number;
  /** The diverging epoch's end offset, or −1. */
  readonly divergingEndOffset: number;
}

/** A decoded Fetch v12 response, partitions flattened in response order. */
export interface FetchResponse {
  readonly throttleTimeMs: number;
  /** Top-level error code (0: none). */
  readonly errorCode: number;
  readonly sessionId: number;
  readonly partitions: FetchResponsePartition[];
}

const TWO_32 = 4294967296;
const SAFE_HIGH = 0x1fffff;

/** A read position in a response buffer; every read checks its bounds. */
class Cursor {
  p: number;
  constructor(
    readonly b: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.p = start;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.p + n > this.end) throw malformed(`${what} runs past the end of the ${this.end} bytes`);
  }

  int8(what: string): number {
    this.need(1, what);
    return this.b.readInt8(this.p++);
  }

  int16(what: string): number {
    this.need(2, what);
    const v = this.b.readInt16BE(this.p);
    this.p += 2;
    return v;
  }

  int32(what: string): number {
    this.need(4, what);
    const v = this.b.readInt32BE(this.p);
    this.p += 4;
    return v;
  }

  uint32(what: string): number {
    this.need(4, what);
    const v = this.b.readUInt32BE(this.p);
    this.p += 4;
    return v;
  }

  /** An int64 as a double; 2^53 or more (or below −2^53) throws. */
  int64(what: string): number {
    this.need(8, what);
    const hi = this.b.readInt32BE(this.p);
    if (hi > SAFE_HIGH || hi < -SAFE_HIGH - 1) {
      throw new KafkaAdapterError(
        'offset-too-large',
        `the Fetch response's ${what} is ${this.b.readBigInt64BE(this.p)}, 2^53 or more, beyond what the lean consumer computes exactly: read this topic with the kafkajs consumer`,
      );
    }
    const v = hi * TWO_32 + this.b.readUInt32BE(this.p + 4);
    this.p += 8;
    return v;
  }

  uvarint(what: string): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      this.need(1, what);
      const byte = this.b[this.p++];
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) return v;
      scale *= 128;
    }
    throw malformed(`${what} is a varint longer than 5 bytes`);
  }

  /** A compact string (length + 1; 0 = null, returned as ''). */
  compactString(what: string): string {
    const n = this.uvarint(what) - 1;
    if (n <= 0) return '';
    this.need(n, what);
    const s = this.b.toString('utf8', this.p, this.p + n);
    this.p += n;
    return s;
  }

  /** Skips a tagged-field section. */
  skipTags(what: string): void {
    const n = this.uvarint(what);
    for (let i = 0; i < n; i++) {
      this.uvarint(what);
      const size = this.uvarint(what);
      this.need(size, what);
      this.p += size;
    }
  }
}

function malformed(what: string): KafkaAdapterError {
  return new KafkaAdapterError(
    'bad-response',
    `the broker's Fetch v12 response is malformed: ${what}; the connection is out of step, close it and fetch again (if it persists, the broker is not speaking Kafka's Fetch v12 as Apache Kafka 2.7+ does)`,
    { retriable: true },
  );
}

/**
 * Decodes a Fetch v12 response body (after the response header) from `buffer[start, end)` — field
 * layout of apache/kafka's FetchResponse.json (flexible: compact strings and arrays, tagged fields).
 * The records of each partition are not copied: each partition's {@link RecordsRange} points into
 * `buffer`, ready for RecordBatchReader. Offsets and watermarks are doubles (2^53 or more throws).
 * Aborted transactions are kept in typed arrays (null when the broker sent none or a null array).
 *
 * @param buffer the response bytes
 * @param start where the body starts (throttle_time_ms)
 * @param end where it ends
 * @returns the response, partitions flattened in response order
 * @throws KafkaAdapterError `bad-response` when the bytes do not follow the layout, `offset-too-large`
 * @example
 * const r = parseFetchResponse(body, 0, body.length);
 * for (const p of r.partitions) if (p.errorCode === 0) reader.read(p, fetchOffset, out, 0);
 */
export function parseFetchResponse(buffer: Buffer, start: number, end: number): FetchResponse {
  const c = new Cursor(buffer, start, end);
  const throttleTimeMs = c.int32('throttle_time_ms');
  const errorCode = c.int16('error_code');
  const sessionId = c.int32('session_id');
  const partitions: FetchResponsePartition[] = [];
  const topics = c.uvarint('responses') - 1;
  for (let t = 0; t < topics; t++) {
    const topic = c.compactString('topic');
    const count = c.uvarint('partitions') - 1;
    for (let i = 0; i < count; i++) {
      const partition = c.int32('partition_index');
      const partitionError = c.int16('error_code');
      const highWatermark = c.int64('high_watermark');
      const lastStableOffset = c.int64('last_stable_offset');
      const logStartOffset = c.int64('log_start_offset');
      let abortedTransactions: AbortedTransactions | null = null;
      const aborted = c.uvarint('aborted_transactions') - 1;
      if (aborted > 0) {
        abortedTransactions = { count: aborted, producerIdHigh: new Int32Array(aborted), producerIdLow: new Int32Array(aborted), firstOffset: new Float64Array(aborted) };
        for (let a = 0; a < aborted; a++) {
          abortedTransactions.producerIdHigh[a] = c.int32('producer_id');
          abortedTransactions.producerIdLow[a] = c.int32('producer_id');
          abortedTransactions.firstOffset[a] = c.int64('first_offset');
          c.skipTags('aborted transaction tagged fields');
        }
      }
      const preferredReadReplica = c.int32('preferred_read_replica');
      const size = c.uvarint('records') - 1;
      const recordsStart = c.p;
      if (size > 0) {
        c.need(size, 'records');
        c.p += size;
      }
      const recordsEnd = size > 0 ? c.p : recordsStart;
      let currentLeaderId = -1;
      let currentLeaderEpoch = -1;
      let divergingEpoch = -1;
      let divergingEndOffset = -1;
      const tags = c.uvarint('partition tagged fields');
      for (let k = 0; k < tags; k++) {
        const tag = c.uvarint('tag');
        const tagSize = c.uvarint('tag size');
        c.need(tagSize, 'tagged field');
        const tagEnd = c.p + tagSize;
        if (tag === 0) {
          divergingEpoch = c.int32('diverging_epoch.epoch');
          divergingEndOffset = c.int64('diverging_epoch.end_offset');
        } else if (tag === 1) {
          currentLeaderId = c.int32('current_leader.leader_id');
          currentLeaderEpoch = c.int32('current_leader.leader_epoch');
        }
        c.p = tagEnd;
      }
      partitions.push({
        topic,
        partition,
        errorCode: partitionError,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        abortedTransactions,
        preferredReadReplica,
        buffer,
        start: recordsStart,
        end: recordsEnd,
        currentLeaderId,
        currentLeaderEpoch,
        divergingEpoch,
        divergingEndOffset,
      });
    }
    c.skipTags('topic tagged fields');
  }
  c.skipTags('response tagged fields');
  return { throttleTimeMs, errorCode, sessionId, partitions };
}

/**
 * A @platformatic/kafka `ResponseParser<FetchResponse>` for Fetch v12 (pass it to `Connection.send`): the response
 * arrives as a DynamicBuffer of socket chunks; a single chunk is used in place, several are copied
 * once into one contiguous Buffer (record batches may straddle chunks). The messages' key/value
 * views then point into that buffer, which stays valid after the parser returns (the connection
 * drops its references, it does not reuse the memory).
 *
 * @example
 * conn.send(1, 12, () => fetchV12.createRequest(...), fetchResponseParser, true, true, (err, r) => {});
 */
export const fetchResponseParser = (_correlationId: number, _apiKey: number, _apiVersion: number, reader: Reader): FetchResponse => {
  const db = reader.buffer;
  const start = reader.position;
  if (db.buffers.length === 1) {
    const only = db.buffers[0];
    return parseFetchResponse(only, start, db.length);
  }
  const whole = db.slice(start, db.length);
  return parseFetchResponse(whole, 0, whole.length);
};
