import { Producer, type MessageToProduce, type ProducerOptions, type SASLOptions } from '@platformatic/kafka';
import type { OutputRecord, ResultSink } from '../io/types.js';
import { chunkRecords, SINK_MAX_REQUEST_BYTES } from './chunk-records.js';
import { toTlsOptions } from './kafka-client.js';
import type { KafkaConnectionConfig } from './kafka-config.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { javaPartition } from './java-partition.js';
import { createSerialQueue } from './serial-queue.js';

/** Settings of {@link createPlatformaticSink}. */
export interface PlatformaticSinkOptions {
  /** Validated connection settings (brokers, client id, TLS, SASL, timeouts); see resolveKafkaConfig. */
  readonly config: KafkaConnectionConfig;
  /** Record batch compression (default none: local brokers are not network bound). */
  readonly compression?: 'none' | 'gzip';
  /** How long the broker may take to acknowledge (default 30000 ms). */
  readonly ackTimeoutMs?: number;
  /** The records of one `send` go out in requests of at most about this many bytes (default {@link SINK_MAX_REQUEST_BYTES}). */
  readonly maxRequestBytes?: number;
  /**
   * How often a failed request is retried by the client before `send` rejects (default 5, at least 2,
   * 250 ms apart). @platformatic/kafka's idempotent producer would otherwise retry forever (it also
   * turns 0 and 1 into "forever"); the caller's own retry policy (retryingSink) decides how long a
   * broker outage is waited out.
   */
  readonly retries?: number;
}

/** A {@link ResultSink} on one idempotent @platformatic/kafka producer. */
export interface PlatformaticSink extends ResultSink {
  /** Connects now and initialises the idempotent producer id (else the first `send` does). */
  connect(): Promise<void>;
}

type Key = string | Buffer | null;
type Value = string | Buffer;
type Msg = MessageToProduce<Key, Value, string, string>;

const toBuffer = (v?: string | Buffer | null): Buffer | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? Buffer.from(v) : v);
const SERIALIZERS = { key: toBuffer, value: toBuffer, headerKey: toBuffer, headerValue: toBuffer };
const SASL_NAMES = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const;

/** Whether an error of @platformatic/kafka (or one it aggregates or wraps) is a broker answer marked final (`canRetry: false`). */
function isFinalRefusal(e: unknown, depth = 0): boolean {
  if (e === null || typeof e !== 'object' || depth > 6) return false;
  const x = e as { canRetry?: boolean; code?: string; errors?: unknown[]; cause?: unknown };
  if (x.code === 'PLT_KFK_PROTOCOL' && x.canRetry === false) return true;
  if (Array.isArray(x.errors) && x.errors.some((c) => isFinalRefusal(c, depth + 1))) return true;
  return isFinalRefusal(x.cause, depth + 1);
}

/** The broker's own error names inside a @platformatic/kafka error, for the message (e.g. `MESSAGE_TOO_LARGE`). */
function brokerReasons(e: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (e === null || typeof e !== 'object' || depth > 6) return out;
  const x = e as { id?: unknown; code?: string; message?: unknown; errors?: unknown[]; cause?: unknown };
  if (x.code === 'PLT_KFK_PROTOCOL' && typeof x.id === 'string') out.add(x.id);
  else if (typeof x.message === 'string' && (x.errors === undefined || x.errors.length === 0) && x.cause === undefined) out.add(x.message);
  if (Array.isArray(x.errors)) for (const c of x.errors) brokerReasons(c, out, depth + 1);
  brokerReasons(x.cause, out, depth + 1);
  return out;
}

/**
 * A result sink on one idempotent @platformatic/kafka producer, with the guarantees of the kafkajs
 * one (createKafkaSink) and about 3.5× its produce rate on the learner's score records: acks = all,
 * idempotent (one request in flight per broker, so retries neither duplicate nor reorder), each
 * `send` in requests of at most `maxRequestBytes` (in call order; a larger single record goes alone),
 * overlapping sends queued in call order, resolved once the broker acknowledged every record (the
 * caller awaiting it is the back-pressure). Keyed records go to Java's partition of their key
 * (murmur2, as kafkajs's DefaultPartitioner and the Java client), unkeyed ones round-robin. A failed
 * send rejects with a KafkaAdapterError, `send-failed` (retriable: the broker may come back) or
 * `send-refused` (the broker's answer is final, e.g. a record over its size limit), and replaces the
 * producer: a new producer id and fresh sequence numbers, so records the broker did append before
 * the failure cannot make it drop the next ones as duplicates. `close` waits for sends in flight.
 *
 * Not transactional: the exactly-once sink stays on kafkajs.
 *
 * @param o settings (connection, compression, request bound)
 * @example
 * const sink = createPlatformaticSink({ config: resolveKafkaConfig({ brokers: '127.0.0.1:9092' }) });
 * await sink.send([{ topic: 'scores', key: 'e-17', value: '{"id":"e-17","p":0.8}' }]);
 * await sink.close();
 */
export function createPlatformaticSink(o: PlatformaticSinkOptions): PlatformaticSink {
  const c = o.config;
  const timeout = o.ackTimeoutMs ?? 30000;
  const maxRequestBytes = o.maxRequestBytes ?? SINK_MAX_REQUEST_BYTES;
  const compression = o.compression === 'gzip' ? 'gzip' : 'none';
  const tls = toTlsOptions(c);
  const sasl: SASLOptions | undefined =
    c.sasl === null ? undefined : { mechanism: SASL_NAMES[c.sasl.mechanism], username: c.sasl.username, password: c.sasl.password.reveal() };
  let roundRobin = 0;
  const partitioner = (_m: Msg, key: Buffer | undefined): number => (key === undefined ? roundRobin++ & 0x7fffffff : javaPartition(key));
  const producerOptions: ProducerOptions<Key, Value, string, string> = {
    clientId: c.clientId,
    bootstrapBrokers: [...c.brokers],
    connectTimeout: c.connectionTimeoutMs,
    requestTimeout: Math.max(c.requestTimeoutMs, timeout),
    timeout,
    retries: Math.max(2, o.retries ?? 5),
    retryDelay: 250,
    idempotent: true,
    acks: -1,
    compression,
    autocreateTopics: false,
    partitioner,
    serializers: SERIALIZERS,
    // The broker's host name as SNI (Node sends none without it), as kafkajs does.
    ...(tls === undefined ? {} : { tls, tlsServerName: true }),
    ...(sasl === undefined ? {} : { sasl }),
  };
  const newProducer = (): Producer<Key, Value, string, string> => new Producer<Key, Value, string, string>({ ...producerOptions });
  let producer = newProducer();
  let connecting: Promise<void> | null = null;
  let closed = false;
  const queue = createSerialQueue();

  const connect = (): Promise<void> => {
    if (connecting === null) {
      connecting = producer.initIdempotentProducer({}).then(
        () => undefined,
        (cause: unknown) => {
          connecting = null;
          throw new KafkaAdapterError(
            'connect-failed',
            `the Kafka producer (platformatic) could not connect to ${c.brokers.join(',')}: ${[...brokerReasons(cause)].join('; ') || (cause as Error).message}; check the brokers setting and that the broker runs`,
            { cause, retriable: true },
          );
        },
      );
    }
    return connecting;
  };

  const deliverChunk = async (records: readonly OutputRecord[]): Promise<void> => {
    const messages = new Array<Msg>(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      messages[i] = r.headers === undefined ? { topic: r.topic, key: r.key, value: r.value } : { topic: r.topic, key: r.key, value: r.value, headers: r.headers };
    }
    try {
      await producer.send({ messages });
    } catch (cause) {
      await resetProducer();
      const final = isFinalRefusal(cause);
      const topics = [...new Set(records.map((r) => r.topic))].join(', ');
      throw new KafkaAdapterError(
        final ? 'send-refused' : 'send-failed',
        `sending ${records.length} record(s) to ${topics} failed: ${[...brokerReasons(cause)].join('; ') || (cause as Error).message}; ${final ? 'the broker refused them (a record over its size limit, an unauthorised topic …): fix the records or the topic configuration' : 'check that the topics exist (ensureTopics) and the broker is up'}`,
        { cause, retriable: !final },
      );
    }
  };

  const deliver = async (records: readonly OutputRecord[]): Promise<void> => {
    await connect();
    for (const chunk of chunkRecords(records, maxRequestBytes)) await deliverChunk(chunk);
  };

  // After a failed send the producer's sequence numbers may be behind what the broker appended (a
  // request that reached the broker but whose answer was lost): a new producer id starts afresh.
  const resetProducer = async (): Promise<void> => {
    const old = producer;
    producer = newProducer();
    connecting = null;
    await new Promise<void>((done) => old.close(true, () => done()));
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
      await producer.close().catch(() => {});
    })();
    return closing;
  };

  return { connect, send, close };
}
