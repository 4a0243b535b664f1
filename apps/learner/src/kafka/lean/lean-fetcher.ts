import { fetchV12, type Connection } from '@platformatic/kafka';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { reasonOf } from '../reason-of.js';
import { kafkaErrorName, sendRequest } from './lean-brokers.js';
import { fetchResponseParser, type FetchResponse } from './fetch-response.js';
import { LeanMessage, RecordBatchReader } from './record-batch-reader.js';

const API_FETCH = 1;
const FETCH_VERSION = 12;
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;

/** One partition to fetch, from `offset` (a safe integer: the next offset to read). */
export interface LeanFetchPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The leader epoch the caller knows (the broker answers FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH when it differs); −1 (default): not checked. */
  readonly currentLeaderEpoch?: number;
}

/** What {@link fetchOnce} asks one broker for. */
export interface LeanFetchRequest {
  /** The partitions (each led by the broker of the connection). */
  readonly partitions: readonly LeanFetchPartition[];
  /** How long the broker may wait for `minBytes` (default 500 ms). Keep it below the connection's request timeout. */
  readonly maxWaitMs?: number;
  /** The broker answers once this many bytes are there (default 1). */
  readonly minBytes?: number;
  /** At most this many bytes in the response (default 10 MiB; the first batch comes whole even if larger). */
  readonly maxBytes?: number;
  /** At most this many bytes per partition (default 1 MiB). */
  readonly maxBytesPerPartition?: number;
  /** read_committed (default true): no records of open or aborted transactions; false: read_uncommitted. */
  readonly readCommitted?: boolean;
  /** Verify every batch's CRC-32C (default true, Kafka's `check.crcs`). */
  readonly checkCrcs?: boolean;
  /**
   * The message array to fill for a partition, re-using its {@link LeanMessage}s (overwritten in
   * place; the array keeps them all, and the answer's `messages` is that array, or the part of it
   * that was filled); default a fresh array. Only for a caller that is done with every message of
   * that array: nothing may still read them.
   */
  readonly reuse?: (topic: string, partition: number) => LeanMessage[];
}

/** One partition of a {@link fetchOnce} answer; an InputBatch (topic, partition, messages, highWatermark) with the fetch's bookkeeping. */
export interface LeanFetchPartitionResult {
  readonly topic: string;
  readonly partition: number;
  /** The records from the requested offset on, in offset order (aborted ones, markers and those below the offset dropped). */
  readonly messages: LeanMessage[];
  /** The partition's high watermark as a decimal string (for lag), '-1' when the broker sent none. */
  readonly highWatermark: string;
  /** The partition's error code, 0 when none: 1 OFFSET_OUT_OF_RANGE, 3 UNKNOWN_TOPIC_OR_PARTITION, 6 NOT_LEADER_OR_FOLLOWER, 74 FENCED_LEADER_EPOCH … (no messages then). */
  readonly errorCode: number;
  /** The error code's name ('NONE' for 0), for messages and logs. */
  readonly errorName: string;
  /** Where the next fetch of the partition starts (past the last whole batch, markers included); the requested offset when nothing whole came. */
  readonly nextOffset: number;
  /** The offset the fetch asked for. */
  readonly fetchOffset: number;
  /** Whether the partition's data ended in a batch cut at the byte limit (it comes again from `nextOffset`). */
  readonly truncated: boolean;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** The replica the broker prefers for the next fetch (KIP-392), −1: the leader. */
  readonly preferredReadReplica: number;
  /** With NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH, the leader the broker knows (−1: not sent). */
  readonly currentLeaderId: number;
  readonly currentLeaderEpoch: number;
  /** The leader epoch of the last batch read (−1: none), for a later OffsetForLeaderEpoch check. */
  readonly lastEpoch: number;
}

/** One reader per CRC setting; `read` is synchronous, so sharing them is safe. */
const checkingReader = new RecordBatchReader({ checkCrcs: true });
const trustingReader = new RecordBatchReader({ checkCrcs: false });


const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;


/**
 * Sends one Fetch v12 request (no fetch session: session id 0, epoch −1) over `conn` — a
 * @platformatic/kafka Connection to the leader of every partition asked for — and decodes the
 * answer with {@link RecordBatchReader} (CRC-32C checked, gzip, read_committed filtering as the Java
 * consumer). Returns one result per partition of the response (a sessionless fetch answers every
 * partition asked for), in response order.
 *
 * Partition errors (NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION,
 * FENCED_LEADER_EPOCH …) are returned in `errorCode`, not thrown, so the caller can refresh its
 * metadata or reset the offset. A failed request (network error, timeout, a top-level error code,
 * a malformed response) rejects with KafkaAdapterError `fetch-failed` (retriable); on a network
 * error or timeout the connection's socket is destroyed first (a late answer would put it out of
 * step), so the caller's registry opens a new one. Corrupt data rejects with `corrupt-batch`;
 * snappy/lz4/zstd batches with `unsupported-compression`; offsets ≥ 2^53 with `offset-too-large`.
 *
 * A partition whose first batch exceeds `maxBytesPerPartition` but is not the first partition with
 * data may come back empty and `truncated` (or empty): fetch it alone, or with a larger limit.
 *
 * @param conn an open connection to the partitions' leader (its request timeout above `maxWaitMs`)
 * @param request the partitions and the fetch limits
 * @returns per partition: messages, next offset, high watermark, error code
 * @example
 * const conn = await brokers.node(leaderId);
 * const [r] = await fetchOnce(conn, { partitions: [{ topic: 'events', partition: 0, offset: 42 }] });
 * if (r.errorCode === 0) { handle({ topic: r.topic, partition: r.partition, messages: r.messages, highWatermark: r.highWatermark }); next = r.nextOffset; }
 */
export async function fetchOnce(conn: Connection, request: LeanFetchRequest): Promise<LeanFetchPartitionResult[]> {
  const { partitions } = request;
  if (partitions.length === 0) return [];
  const maxWaitMs = request.maxWaitMs ?? 500;
  const minBytes = request.minBytes ?? 1;
  const maxBytes = request.maxBytes ?? 10_485_760;
  const perPartition = request.maxBytesPerPartition ?? 1_048_576;
  const readCommitted = request.readCommitted ?? true;

  const asked = new Map<string, number>();
  const topics = new Map<string, fetchV12.FetchRequestPartition[]>();
  for (const p of partitions) {
    if (!Number.isSafeInteger(p.offset) || p.offset < 0) {
      throw new KafkaAdapterError('bad-offset', `fetch offset ${p.offset} of ${p.topic}-${p.partition} is not a whole number in [0, 2^53): pass the next offset to read`);
    }
    asked.set(keyOf(p.topic, p.partition), p.offset);
    let list = topics.get(p.topic);
    if (list === undefined) topics.set(p.topic, (list = []));
    list.push({ partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch ?? -1, fetchOffset: BigInt(p.offset), lastFetchedEpoch: -1, partitionMaxBytes: perPartition });
  }
  const payload = fetchV12.createRequest(
    maxWaitMs,
    minBytes,
    maxBytes,
    readCommitted ? READ_COMMITTED : READ_UNCOMMITTED,
    0,
    -1,
    [...topics].map(([topicId, ps]) => ({ topicId, partitions: ps })),
    [],
    '',
  );
  const what = (): string => `${[...topics.keys()].join(', ')} (${partitions.length} partition${partitions.length === 1 ? '' : 's'})`;

  let response: FetchResponse;
  try {
    response = await sendRequest(conn, API_FETCH, FETCH_VERSION, payload, fetchResponseParser);
  } catch (error) {
    if (error instanceof KafkaAdapterError) throw error; // our parser's own errors: bad-response, offset-too-large
    throw new KafkaAdapterError(
      'fetch-failed',
      `fetching ${what()} from ${conn.host ?? '?'}:${conn.port ?? '?'} failed: ${reasonOf(error)}; the connection was closed: look the leaders up again and fetch again`,
      { cause: error, retriable: true },
    );
  }
  if (response.errorCode !== 0) {
    throw new KafkaAdapterError(
      'fetch-failed',
      `the broker refused the whole fetch of ${what()}: ${kafkaErrorName(response.errorCode)}; fetch again (a sessionless fetch should not see this: if it persists, check the broker's logs)`,
      { retriable: true },
    );
  }

  const reader = (request.checkCrcs ?? true) ? checkingReader : trustingReader;
  const results: LeanFetchPartitionResult[] = [];
  for (const p of response.partitions) {
    const fetchOffset = asked.get(keyOf(p.topic, p.partition));
    if (fetchOffset === undefined) continue; // not asked for (cannot happen without fetch sessions)
    const pool = request.reuse?.(p.topic, p.partition);
    let messages: LeanMessage[] = pool ?? [];
    let count = 0;
    let nextOffset = fetchOffset;
    let truncated = false;
    let lastEpoch = -1;
    if (p.errorCode === 0 && p.end > p.start) {
      count = reader.read(p, fetchOffset, messages, 0);
      nextOffset = reader.nextOffset;
      truncated = reader.truncated;
      lastEpoch = reader.batches > 0 ? reader.lastEpoch : -1;
    }
    // a re-used array keeps its objects beyond count for later fetches; the answer gets the first count
    if (messages.length > count) messages = messages.slice(0, count);
    results.push({
      topic: p.topic,
      partition: p.partition,
      messages,
      highWatermark: String(p.highWatermark),
      errorCode: p.errorCode,
      errorName: p.errorCode === 0 ? 'NONE' : kafkaErrorName(p.errorCode),
      nextOffset,
      fetchOffset,
      truncated,
      lastStableOffset: p.lastStableOffset,
      logStartOffset: p.logStartOffset,
      preferredReadReplica: p.preferredReadReplica,
      currentLeaderId: p.currentLeaderId,
      currentLeaderEpoch: p.currentLeaderEpoch,
      lastEpoch,
    });
  }
  return results;
}
