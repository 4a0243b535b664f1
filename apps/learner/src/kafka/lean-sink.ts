import {
  Connection,
  initProducerIdV4,
  metadataV12,
  produceV9,
  type ResponseParser,
  type Writer,
} from '@platformatic/kafka';
import type { OutputRecord, ResultSink } from '../io/types.js';
import { chunkRecords, SINK_MAX_REQUEST_BYTES } from './chunk-records.js';
import { explainConnectError } from './explain-connect-error.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { isOpen, kafkaErrorName, leanConnectionOptions, lenientParser, parseBrokerAddress, SASL_NAMES, sendRequest } from './lean/lean-brokers.js';
import { isAuthFailure, reasonOf } from './reason-of.js';
import { javaPartition } from './java-partition.js';
import { createProduceRequest, PRODUCE_API_VERSION, type ProduceBatchRef } from './produce-request.js';
import { RecordBatchWriter } from './record-batch-writer.js';
import { createSerialQueue } from './serial-queue.js';
import type { PlatformaticSinkOptions } from './platformatic-sink.js';

/** Settings of {@link createLeanSink}: the same as those of createPlatformaticSink. */
export type LeanSinkOptions = PlatformaticSinkOptions;

/** A {@link ResultSink} that encodes its record batches itself; see {@link createLeanSink}. */
export interface LeanSink extends ResultSink {
  /** Connects now and initialises the idempotent producer id (else the first `send` does). */
  connect(): Promise<void>;
}

const API_PRODUCE = 0;
const API_METADATA = 3;
const API_INIT_PRODUCER_ID = 22;
const RETRY_DELAY_MS = 250;
/** A failed produce request is retried after 250 ms, doubling up to this (a leader election takes seconds). */
const RETRY_MAX_DELAY_MS = 2000;
/** Known topics' metadata is fetched again after this long (the Java client's metadata.max.age.ms). */
const METADATA_MAX_AGE_MS = 300_000;

/** Broker answers worth retrying with the same batch (after a metadata refresh): leadership moves, replicas catching up, timeouts. */
const RETRIABLE_CODES = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  7, // REQUEST_TIMED_OUT
  9, // REPLICA_NOT_AVAILABLE
  13, // NETWORK_EXCEPTION
  19, // NOT_ENOUGH_REPLICAS
  20, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
]);
const DUPLICATE_SEQUENCE_NUMBER = 46;
/** The broker lost track of this producer's sequences: a new producer id is needed, the send fails (retriable). */
const PRODUCER_STATE_CODES = new Set([
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER
  47, // INVALID_PRODUCER_EPOCH
  59, // UNKNOWN_PRODUCER_ID
]);
/** Metadata answers for a topic that will not change by retrying. */
const FINAL_TOPIC_CODES = new Set([
  17, // INVALID_TOPIC_EXCEPTION
  29, // TOPIC_AUTHORIZATION_FAILED
]);

type ProduceResponse = ReturnType<typeof produceV9.parseResponse>;
type MetadataResponse = ReturnType<typeof metadataV12.parseResponse>;




const parseProduce = lenientParser<ProduceResponse>(produceV9.parseResponse);
const parseMetadata = lenientParser<MetadataResponse>(metadataV12.parseResponse);
const parseInitProducerId = lenientParser(initProducerIdV4.parseResponse);

/** What the sink knows of one topic. */
interface TopicState {
  readonly name: string;
  /** Partition count from the metadata (0: not known, or the topic does not exist). */
  partitions: number;
  /** The leader's node id per partition (−1: none). */
  leaders: Int32Array;
  /** The next sequence number per partition (records acknowledged there under this producer id). */
  sequences: Int32Array;
  /** The metadata's error code for the topic (0: none). */
  error: number;
  /** Chunk-local: slot of each partition, valid where slotGen equals the chunk's generation. */
  slotOf: Int32Array;
  slotGen: Int32Array;
}

const ACKED = 1;
const PENDING = 0;

/** One partition's batch of the chunk being sent. */
interface Slot extends ProduceBatchRef {
  t: TopicState;
  topic: string;
  partition: number;
  count: number;
  first: number;
  start: number;
  end: number;
  state: number;
  /** The round in which the broker answered for this batch (with an error, or an acknowledgement). */
  answeredIn: number;
}

/** The reasons a round of requests did not acknowledge every batch. */
interface RoundOutcome {
  final: string[];
  producerState: string[];
  retriable: string[];
  cause: unknown;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A result sink that writes Kafka record batches (magic v2) itself, into one reused, growing Buffer
 * (RecordBatchWriter: varints in place, strings UTF-8-encoded straight into the batch, CRC-32C over
 * the finished batch), frames them as Produce v9 requests and sends them over @platformatic/kafka's
 * network layer (its `Connection`: framing, correlation ids, TLS, SASL) and its metadata and
 * InitProducerId APIs. The same guarantees as createPlatformaticSink, at a fraction of its CPU cost
 * per record:
 *
 * - acks = all, idempotent: a producer id and epoch from InitProducerId, per-partition sequence
 *   numbers (each batch's base sequence counts the records acknowledged before on its partition,
 *   wrapping as Kafka's int32 sequences do), one request in flight per broker and `send`s run one at a
 *   time in call order (a serial queue), so retries neither duplicate nor reorder.
 * - Each `send` goes out in requests of at most `maxRequestBytes` (chunkRecords; a larger single
 *   record goes alone), in call order, and resolves only once the broker acknowledged every record.
 *   A retried request re-sends the identical batches (same sequences); DUPLICATE_SEQUENCE_NUMBER
 *   counts as acknowledged.
 * - Keyed records go to Java's partition of their key (murmur2 modulo the topic's partition count, as
 *   kafkajs's DefaultPartitioner and the Java client), unkeyed ones round-robin. CreateTime = now.
 * - Retriable broker answers (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, REQUEST_TIMED_OUT,
 *   NOT_ENOUGH_REPLICAS(_AFTER_APPEND), UNKNOWN_TOPIC_OR_PARTITION …), network errors and timeouts:
 *   metadata refreshed, connection re-opened, the same batches sent again up to `retries` times
 *   (250 ms apart, doubling to 2 s: about 6 s with the default 5), then `send` rejects with KafkaAdapterError `send-failed` (retriable). A final answer
 *   (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_RECORD, CORRUPT_MESSAGE, an authorisation
 *   failure …) rejects at once with `send-refused` (not retriable) naming the broker's error. After
 *   any failed send (and OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_EPOCH,
 *   which fail it as `send-failed`) the next send first gets a new producer id with fresh sequences,
 *   so records the broker did append before the failure cannot make it drop later ones as duplicates.
 * - `connect` connects and initialises the producer id (else the first `send` does), rejecting with
 *   `connect-failed` (or `auth-failed`, `tls-failed`; see explainConnectError). `close` waits for the
 *   sends in flight, then closes the connections; a `send` after it rejects with `closed`.
 *
 * Not transactional, and gzip is the only compression (as the other sinks). Needs Apache Kafka 3.1
 * or newer (Metadata v12, InitProducerId v4, Produce v9 are sent without an ApiVersions check); use
 * `KAFKA_PRODUCER_CLIENT=platformatic` or `kafkajs` with older brokers. TLS sends the broker's host
 * name as SNI. A broker failover longer than the retries (about 6 s) fails the send; the learner's
 * retrying sink then sends it again under a new producer id (duplicates, never losses).
 *
 * @param o settings (connection, compression, acknowledgement timeout, request bound, retries)
 * @example
 * const sink = createLeanSink({ config: resolveKafkaConfig({ brokers: '127.0.0.1:9092' }) });
 * await sink.send([{ topic: 'scores', key: 'e-17', value: '{"id":"e-17","p":0.8}' }]);
 * await sink.close();
 */
export function createLeanSink(o: LeanSinkOptions): LeanSink {
  const c = o.config;
  const timeout = o.ackTimeoutMs ?? 30000;
  const maxRequestBytes = o.maxRequestBytes ?? SINK_MAX_REQUEST_BYTES;
  const gzip = o.compression === 'gzip';
  const retries = Math.max(2, o.retries ?? 5);
  const connectionOptions = leanConnectionOptions(c, Math.max(c.requestTimeoutMs, timeout + 5000), 1);
  const bootstrap = c.brokers.map(parseBrokerAddress);

  const queue = createSerialQueue();
  const writer = new RecordBatchWriter();
  const topics = new Map<string, TopicState>();
  const nodes = new Map<number, { host: string; port: number }>();
  const connections = new Map<string, { conn: Connection; ready: Promise<Connection> }>();
  let metadataAt = 0;
  let closed = false;
  let producerIdHigh = 0;
  let producerIdLow = 0;
  let producerEpoch = 0;
  let hasProducerId = false;
  let initializing: Promise<void> | null = null;
  let roundRobin = 0;
  let generation = 0;
  const slots: Slot[] = [];
  let slotCount = 0;
  let recordSlot = new Int32Array(1024);
  let order = new Int32Array(1024);
  let keyScratch = Buffer.allocUnsafeSlow(1024);
  const keyViews: (Buffer | undefined)[] = new Array<Buffer | undefined>(257).fill(undefined);

  // --- connections -------------------------------------------------------------------------------

  const connectTo = (host: string, port: number): Promise<Connection> => {
    const key = `${host}:${port}`;
    const known = connections.get(key);
    if (known !== undefined) {
      if (isOpen(known.conn)) return known.ready;
      connections.delete(key);
    }
    const conn = new Connection(c.clientId, connectionOptions);
    const forget = (): void => {
      if (connections.get(key)?.conn === conn) connections.delete(key);
    };
    conn.on('error', forget); // a socket error closes it; without a listener the emit would throw
    conn.on('close', forget);
    const ready = (conn.connect(host, port) as Promise<void>).then(
      () => conn,
      (e: unknown) => {
        forget();
        throw e;
      },
    );
    connections.set(key, { conn, ready });
    return ready;
  };

  // After a failure the connection is not trusted any more (a late answer would desynchronise it):
  // destroy the socket rather than flush it, so an unreachable peer cannot hold the process open.
  const drop = (conn: Connection): void => {
    for (const [key, entry] of connections) if (entry.conn === conn) connections.delete(key);
    try {
      conn.socket?.destroy();
    } catch {
      // not connected yet: nothing to destroy
    }
    conn.close().catch(() => {});
  };

  /** A connection to any broker (an open one, else the bootstrap brokers, then the known ones, in order). */
  const anyConnection = async (): Promise<Connection> => {
    for (const entry of connections.values()) if (entry.conn.isConnected()) return entry.conn;
    let last: unknown = new Error('no broker to connect to');
    for (const b of [...bootstrap, ...nodes.values()]) {
      try {
        return await connectTo(b.host, b.port);
      } catch (e) {
        last = e;
      }
    }
    throw last;
  };

  const request = <T>(conn: Connection, apiKey: number, version: number, payload: Writer, parse: ResponseParser<T>): Promise<T> =>
    sendRequest(conn, apiKey, version, payload, parse).catch((e: unknown) => {
      // A failed or timed-out request leaves the connection in an unknown state: open a new one.
      drop(conn);
      throw e;
    });

  // --- metadata ----------------------------------------------------------------------------------

  const topicState = (name: string): TopicState => {
    let t = topics.get(name);
    if (t === undefined) {
      t = { name, partitions: 0, leaders: new Int32Array(0), sequences: new Int32Array(0), error: 0, slotOf: new Int32Array(0), slotGen: new Int32Array(0) };
      topics.set(name, t);
    }
    return t;
  };

  const refreshMetadata = async (names: readonly string[]): Promise<void> => {
    const conn = await anyConnection();
    const m = await request(conn, API_METADATA, 12, metadataV12.createRequest([...names], false, false), parseMetadata);
    for (const b of m.brokers) nodes.set(b.nodeId, { host: b.host, port: b.port });
    for (const mt of m.topics) {
      if (typeof mt.name !== 'string') continue;
      const t = topicState(mt.name);
      t.error = mt.errorCode;
      if (mt.errorCode !== 0) continue;
      let n = 0;
      for (const p of mt.partitions) n = Math.max(n, p.partitionIndex + 1);
      if (n > t.leaders.length) {
        // More partitions (or the first metadata): grow, keeping sequences and the chunk's slots.
        const grow = (a: Int32Array): Int32Array => {
          const b = new Int32Array(n);
          b.set(a);
          return b;
        };
        t.sequences = grow(t.sequences);
        t.slotOf = grow(t.slotOf);
        t.slotGen = grow(t.slotGen);
        t.leaders = new Int32Array(n);
      }
      t.leaders.fill(-1);
      for (const p of mt.partitions) t.leaders[p.partitionIndex] = p.leaderId;
      t.partitions = n;
    }
    metadataAt = Date.now();
  };

  /** Makes sure every topic of `records` has metadata (partitions and leaders), retrying while it is missing. */
  const ensureTopics = async (records: readonly OutputRecord[]): Promise<void> => {
    const missing: string[] = [];
    let last = '';
    for (let i = 0; i < records.length; i++) {
      const name = records[i].topic;
      if (name === last) continue;
      last = name;
      const t = topics.get(name);
      if ((t === undefined || t.partitions === 0) && !missing.includes(name)) missing.push(name);
    }
    if (missing.length === 0 && Date.now() - metadataAt < METADATA_MAX_AGE_MS) return;
    const names = missing.length > 0 ? missing : [...topics.keys()];
    let cause: unknown = null;
    for (let attempt = 0; ; attempt++) {
      try {
        await refreshMetadata(names);
        cause = null;
      } catch (e) {
        cause = e;
      }
      const unknown = missing.filter((n) => topicState(n).partitions === 0);
      if (unknown.length === 0) return; // (a failed refresh of known topics keeps what is known)
      const refused = unknown.filter((n) => FINAL_TOPIC_CODES.has(topicState(n).error));
      if (refused.length > 0) {
        throw new KafkaAdapterError(
          'send-refused',
          `sending ${records.length} record(s) to ${refused.join(', ')} failed: ${refused.map((n) => `${n}: ${kafkaErrorName(topicState(n).error)}`).join('; ')}; the broker refused the topic: fix its name or the client's permissions`,
          { retriable: false },
        );
      }
      if (attempt >= retries) {
        const what = cause !== null ? reasonOf(cause) : unknown.map((n) => `${n}: ${kafkaErrorName(topicState(n).error || 3)}`).join('; ');
        throw new KafkaAdapterError(
          'send-failed',
          `sending ${records.length} record(s) to ${unknown.join(', ') || names.join(', ')} failed: no metadata after ${attempt + 1} attempts (${what}); check that the topics exist (ensureTopics) and the broker is up`,
          { cause, retriable: true },
        );
      }
      await delay(RETRY_DELAY_MS);
    }
  };

  // --- producer id -------------------------------------------------------------------------------

  const initProducerId = async (): Promise<void> => {
    let last: unknown = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await delay(RETRY_DELAY_MS);
      try {
        const conn = await anyConnection();
        const r = await request(conn, API_INIT_PRODUCER_ID, 4, initProducerIdV4.createRequest(null, timeout, -1n, -1), parseInitProducerId);
        if (r.errorCode !== 0) {
          last = new Error(`InitProducerId answered ${kafkaErrorName(r.errorCode)}`);
          if (!RETRIABLE_CODES.has(r.errorCode) && r.errorCode !== 14 && r.errorCode !== 15) break; // 14/15: coordinator loading / not available
          continue;
        }
        producerIdHigh = Number(BigInt.asIntN(32, r.producerId >> 32n));
        producerIdLow = Number(BigInt.asIntN(32, r.producerId));
        producerEpoch = r.producerEpoch;
        for (const t of topics.values()) t.sequences.fill(0);
        hasProducerId = true;
        return;
      } catch (e) {
        last = e;
        if (isAuthFailure(e)) break;
      }
    }
    if (isAuthFailure(last)) {
      const mech = c.sasl === null ? 'SASL' : `SASL ${SASL_NAMES[c.sasl.mechanism]}`;
      const user = c.sasl === null ? '' : ` of user ${JSON.stringify(c.sasl.username)}`;
      throw new KafkaAdapterError(
        'auth-failed',
        `the broker ${c.brokers.join(',')} refused ${mech} authentication${user} (${reasonOf(last)}); check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
        { cause: last, retriable: false },
      );
    }
    throw explainConnectError(new Error(reasonOf(last ?? new Error('the sink was closed')), { cause: last }), c, 'the Kafka producer (lean)');
  };

  /** Initialises the producer id unless there is one (sends queued before close() still use it). */
  const ensureProducer = (): Promise<void> => {
    if (hasProducerId) return Promise.resolve();
    initializing ??= initProducerId().finally(() => {
      initializing = null;
    });
    return initializing;
  };

  const connect = (): Promise<void> =>
    closed ? Promise.reject(new KafkaAdapterError('closed', 'connect() after close() on the Kafka sink; create a new sink')) : ensureProducer();

  /** After a failed send: the next one first gets a new producer id, with fresh sequences. */
  const resetProducer = (): void => {
    hasProducerId = false;
  };

  // --- encoding ----------------------------------------------------------------------------------

  const partitionOf = (key: string | Buffer | null, partitions: number): number => {
    if (partitions === 1) return 0;
    if (key === null) return (roundRobin++ & 0x7fffffff) % partitions;
    if (typeof key !== 'string') return javaPartition(key) % partitions;
    if (3 * key.length > keyScratch.length) {
      keyScratch = Buffer.allocUnsafeSlow(3 * key.length);
      keyViews.fill(undefined);
    }
    const n = keyScratch.write(key, 0);
    let view = n < keyViews.length ? keyViews[n] : undefined;
    if (view === undefined) {
      view = keyScratch.subarray(0, n);
      if (n < keyViews.length) keyViews[n] = view;
    }
    return javaPartition(view) % partitions;
  };

  const newSlot = (t: TopicState, partition: number): number => {
    const s = slotCount++;
    let slot = slots[s];
    if (slot === undefined) {
      slot = { t, topic: t.name, partition, count: 0, first: 0, start: 0, end: 0, state: PENDING, answeredIn: 0 };
      slots.push(slot);
    } else {
      slot.t = t;
      slot.topic = t.name;
      slot.partition = partition;
      slot.count = 0;
      slot.state = PENDING;
      slot.answeredIn = 0;
    }
    t.slotGen[partition] = generation;
    t.slotOf[partition] = s;
    return s;
  };

  /** Groups the records by partition (a counting sort into `order`) and writes one batch per partition. */
  const encode = (records: readonly OutputRecord[]): void => {
    const n = records.length;
    if (recordSlot.length < n) {
      recordSlot = new Int32Array(2 * n);
      order = new Int32Array(2 * n);
    }
    generation = (generation + 1) | 0 || 1;
    slotCount = 0;
    let lastName: string | null = null;
    let t: TopicState = null as unknown as TopicState;
    for (let i = 0; i < n; i++) {
      const r = records[i];
      if (r.topic !== lastName) {
        lastName = r.topic;
        t = topics.get(lastName) as TopicState;
      }
      const p = partitionOf(r.key, t.partitions);
      const s = t.slotGen[p] === generation ? t.slotOf[p] : newSlot(t, p);
      recordSlot[i] = s;
      slots[s].count++;
    }
    let first = 0;
    for (let s = 0; s < slotCount; s++) {
      slots[s].first = first;
      first += slots[s].count;
      slots[s].end = slots[s].first; // a cursor while filling `order`
    }
    for (let i = 0; i < n; i++) order[slots[recordSlot[i]].end++] = i;
    writer.reset();
    const now = Date.now();
    for (let s = 0; s < slotCount; s++) {
      const slot = slots[s];
      slot.start = writer.beginBatch(producerIdHigh, producerIdLow, producerEpoch, slot.t.sequences[slot.partition], now);
      const end = slot.first + slot.count;
      for (let j = slot.first; j < end; j++) {
        const r = records[order[j]];
        writer.appendRecord(r.key, r.value, r.headers);
      }
      slot.end = writer.endBatch(gzip);
    }
  };

  // --- sending -----------------------------------------------------------------------------------

  const byTopicThenPartition = (a: Slot, b: Slot): number => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

  /** Kafka's sequence arithmetic: int32 sequences wrap from 2^31 − 1 to 0. */
  const nextSequence = (sequence: number, increment: number): number =>
    sequence > 0x7fffffff - increment ? increment - (0x7fffffff - sequence) - 1 : sequence + increment;

  /** Sends every pending batch once (one request per leader, concurrently) and marks what was acknowledged. */
  const sendRound = async (round: number): Promise<RoundOutcome> => {
    const out: RoundOutcome = { final: [], producerState: [], retriable: [], cause: null };
    const byLeader = new Map<number, Slot[]>();
    for (let s = 0; s < slotCount; s++) {
      const slot = slots[s];
      if (slot.state !== PENDING) continue;
      const leader = slot.partition < slot.t.leaders.length ? slot.t.leaders[slot.partition] : -1;
      if (leader < 0 || !nodes.has(leader)) {
        out.retriable.push(`${slot.topic}[${slot.partition}]: LEADER_NOT_AVAILABLE`);
        continue;
      }
      let group = byLeader.get(leader);
      if (group === undefined) byLeader.set(leader, (group = []));
      group.push(slot);
    }
    const source = writer.buffer;
    await Promise.all(
      [...byLeader].map(async ([leader, group]) => {
        group.sort(byTopicThenPartition);
        const node = nodes.get(leader) as { host: string; port: number };
        let response: ProduceResponse;
        try {
          const conn = await connectTo(node.host, node.port);
          response = await request(conn, API_PRODUCE, PRODUCE_API_VERSION, createProduceRequest(-1, timeout, group, source), parseProduce);
        } catch (e) {
          out.cause = e;
          out.retriable.push(`broker ${leader} (${node.host}:${node.port}): ${reasonOf(e)}`);
          return;
        }
        for (const tr of response.responses) {
          const t = topics.get(tr.name);
          if (t === undefined) continue;
          for (const pr of tr.partitionResponses) {
            if (pr.index >= t.slotGen.length || t.slotGen[pr.index] !== generation) continue;
            const slot = slots[t.slotOf[pr.index]];
            if (slot.state !== PENDING) continue;
            slot.answeredIn = round;
            const code = pr.errorCode;
            if (code === 0 || code === DUPLICATE_SEQUENCE_NUMBER) {
              slot.state = ACKED;
              t.sequences[slot.partition] = nextSequence(t.sequences[slot.partition], slot.count);
              continue;
            }
            const detail = pr.errorMessage === null || pr.errorMessage === '' ? '' : ` (${pr.errorMessage})`;
            const reason = `${kafkaErrorName(code)} on ${tr.name}[${pr.index}]${detail}`;
            if (RETRIABLE_CODES.has(code)) out.retriable.push(reason);
            else if (PRODUCER_STATE_CODES.has(code)) out.producerState.push(reason);
            else out.final.push(reason);
          }
        }
        for (const slot of group) if (slot.answeredIn !== round) out.retriable.push(`no answer for ${slot.topic}[${slot.partition}]`);
      }),
    );
    return out;
  };

  const topicsOfChunk = (): string => [...new Set(slots.slice(0, slotCount).map((s) => s.topic))].join(', ');

  const deliverChunk = async (records: readonly OutputRecord[]): Promise<void> => {
    await ensureTopics(records);
    encode(records);
    for (let attempt = 0; ; attempt++) {
      const r = await sendRound(attempt + 1);
      if (r.final.length > 0) {
        resetProducer();
        throw new KafkaAdapterError(
          'send-refused',
          `sending ${records.length} record(s) to ${topicsOfChunk()} failed: ${r.final.join('; ')}; the broker refused them (a record over its size limit, an unauthorised topic …): fix the records or the topic configuration`,
          { retriable: false },
        );
      }
      if (r.producerState.length > 0) {
        resetProducer();
        throw new KafkaAdapterError(
          'send-failed',
          `sending ${records.length} record(s) to ${topicsOfChunk()} failed: ${r.producerState.join('; ')}; the broker lost this producer's sequence state, the next send uses a new producer id: send again`,
          { retriable: true },
        );
      }
      if (r.retriable.length === 0) return;
      if (attempt >= retries) {
        resetProducer();
        throw new KafkaAdapterError(
          'send-failed',
          `sending ${records.length} record(s) to ${topicsOfChunk()} failed after ${attempt + 1} attempts: ${r.retriable.join('; ')}; check that the topics exist (ensureTopics) and the broker is up`,
          { cause: r.cause, retriable: true },
        );
      }
      // Backoff 250 ms, 500 ms, 1 s, 2 s, 2 s …: with the default 5 retries a leader that is away for
      // up to about 6 s is waited out with the same producer id and sequences (no duplicates).
      await delay(Math.min(RETRY_MAX_DELAY_MS, RETRY_DELAY_MS * 2 ** attempt));
      const pendingTopics = [...new Set(slots.slice(0, slotCount).filter((s) => s.state === PENDING).map((s) => s.topic))];
      await refreshMetadata(pendingTopics).catch(() => {}); // a failure shows in the next round
    }
  };

  const deliver = async (records: readonly OutputRecord[]): Promise<void> => {
    await ensureProducer();
    for (const chunk of chunkRecords(records, maxRequestBytes)) {
      try {
        await deliverChunk(chunk);
      } catch (e) {
        resetProducer();
        throw e;
      }
    }
  };

  const send = (records: readonly OutputRecord[]): Promise<void> => {
    if (closed) return Promise.reject(new KafkaAdapterError('closed', 'send() after close() on the Kafka sink; create a new sink'));
    if (records.length === 0) return Promise.resolve();
    return queue.run(() => deliver(records));
  };

  // Every caller of close() waits for the same flush of the queued sends.
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      await queue.settled();
      await initializing?.catch(() => {});
      const open = [...connections.values()];
      connections.clear();
      await Promise.all(open.map((e) => e.ready.then((conn) => conn.close(), () => {}).catch(() => {})));
    })();
    return closing;
  };

  return { connect, send, close };
}
