import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutputRecord, ResultSink } from '../io/types.js';
import { chunkRecords, SINK_MAX_REQUEST_BYTES } from './chunk-records.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { kafkaConnectionConfigOf } from './kafka-client.js';
import type { KafkaConnectionConfig, KafkaProducerClient } from './kafka-config.js';
import { createLeanSink } from './lean-sink.js';
import { createPlatformaticSink } from './platformatic-sink.js';
import { createSerialQueue } from './serial-queue.js';
import { createThreadedSink } from './threaded-sink.js';
import { toTopicMessages } from './topic-messages.js';

/** Settings of {@link createKafkaSink}. */
export interface KafkaSinkOptions {
  /** The kafkajs client (see createKafkaClient). */
  readonly kafka: Kafka;
  /** Record batch compression (default none: local brokers are not network bound). */
  readonly compression?: 'none' | 'gzip';
  /** How long the broker may take to acknowledge (default 30000 ms). */
  readonly ackTimeoutMs?: number;
  /**
   * The records of one `send` go out in `sendBatch` requests of at most about this many bytes of keys
   * and values (default {@link SINK_MAX_REQUEST_BYTES}). kafkajs writes all records of a partition in
   * one request as one record batch, and the broker refuses a batch over `max.message.bytes` (1 MiB by
   * default) as a whole: without this bound a batch of many large DLQ records would fail every retry
   * and block its input partition.
   */
  readonly maxRequestBytes?: number;
  /**
   * The producer client: `kafkajs`, `platformatic` (createPlatformaticSink: the same guarantees,
   * about 3.5× the produce rate) or `lean` (createLeanSink: the same guarantees, its own record batch
   * encoding, a fraction of the CPU per record), or `lean-worker` (createThreadedSink: the lean
   * producer on its own worker thread). Default: the `producerClient` setting the client was
   * made with (createKafkaClient, `KAFKA_PRODUCER_CLIENT`), else kafkajs.
   */
  readonly client?: KafkaProducerClient;
  /** The connection settings for the platformatic and lean producers (default: those `kafka` was made from by createKafkaClient). */
  readonly connection?: KafkaConnectionConfig;
}


/**
 * A {@link ResultSink} on one idempotent Kafka producer; `producer` (the current kafkajs one) is
 * exposed for instrumentation, null when the platformatic or lean client sends.
 */
export interface KafkaSink extends ResultSink {
  /** Connects now (else the first `send` does). */
  connect(): Promise<void>;
  readonly producer: Producer | null;
  /** Which client produces. */
  readonly client: KafkaProducerClient;
}

/**
 * A result sink on one idempotent Kafka producer (acks = all, one request in flight, so records are
 * neither duplicated nor reordered by retries). Each `send` groups its records per topic into one
 * `sendBatch` and resolves once the broker has acknowledged all of them; sends that overlap are
 * queued and go out in call order (a large send in several requests of at most `maxRequestBytes`,
 * in order); keyed records go to the
 * partition of their key (Java-compatible murmur2), so a score lands beside its event's key. A failed
 * send rejects with a KafkaAdapterError and replaces the producer (kafkajs would otherwise lose the
 * next records to the same partitions as "duplicates"). `close` waits for sends in flight, then
 * disconnects.
 *
 * @param o settings (client, compression)
 * @example
 * const sink = createKafkaSink({ kafka });
 * await sink.send([{ topic: 'scores', key: 'e-17', value: '{"id":"e-17","p":0.8}' }]);
 * await sink.close();
 */
export function createKafkaSink(o: KafkaSinkOptions): KafkaSink {
  const made = kafkaConnectionConfigOf(o.kafka);
  const client = o.client ?? made?.producerClient ?? 'kafkajs';
  if (client === 'platformatic' || client === 'lean' || client === 'lean-worker') {
    const config = o.connection ?? made;
    if (config === undefined) {
      throw new KafkaAdapterError('bad-setting', `the ${client} producer needs the connection settings: pass \`connection\` (resolveKafkaConfig) or a client made by createKafkaClient`);
    }
    const settings = { config, compression: o.compression, ackTimeoutMs: o.ackTimeoutMs, maxRequestBytes: o.maxRequestBytes };
    const p = client === 'lean' ? createLeanSink(settings) : client === 'lean-worker' ? createThreadedSink(settings) : createPlatformaticSink(settings);
    return { connect: p.connect, send: p.send, close: p.close, producer: null, client };
  }
  const newProducer = (): Producer =>
    o.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  let producer = newProducer();
  const compression = o.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const timeout = o.ackTimeoutMs ?? 30000;
  const maxRequestBytes = o.maxRequestBytes ?? SINK_MAX_REQUEST_BYTES;
  let connecting: Promise<void> | null = null;
  let closed = false;
  const queue = createSerialQueue();

  const connect = (): Promise<void> => {
    if (connecting === null) {
      connecting = producer.connect().catch((cause: unknown) => {
        connecting = null;
        throw new KafkaAdapterError('connect-failed', `the Kafka producer could not connect: ${(cause as Error).message}; check the brokers setting and that the broker runs`, {
          cause,
          retriable: true,
        });
      });
    }
    return connecting;
  };

  const deliver = async (records: readonly OutputRecord[]): Promise<void> => {
    await connect();
    // In call order, in requests of at most maxRequestBytes (a single larger record goes alone).
    for (const chunk of chunkRecords(records, maxRequestBytes)) await deliverChunk(chunk);
  };

  const deliverChunk = async (records: readonly OutputRecord[]): Promise<void> => {
    const topicMessages = toTopicMessages(records);
    try {
      await producer.sendBatch({ topicMessages, acks: -1, timeout, compression });
    } catch (cause) {
      await resetProducer();
      throw new KafkaAdapterError(
        'send-failed',
        `sending ${records.length} record(s) to ${topicMessages.map((t) => t.topic).join(', ')} failed: ${(cause as Error).message}; check that the topics exist (ensureTopics) and the broker is up`,
        { cause, retriable: (cause as { retriable?: boolean }).retriable ?? false },
      );
    }
  };

  // After a failed send, kafkajs 2.2.4 rolls back the sequence numbers of every partition of the
  // request, also of those the broker did append to; the next send to them then reuses a sequence
  // number and the broker acknowledges it as a duplicate without writing it (silent loss). A new
  // producer gets a new producer id and fresh sequences.
  const resetProducer = async (): Promise<void> => {
    const old = producer;
    const wasConnected = connecting !== null;
    producer = newProducer();
    connecting = null;
    if (wasConnected) await old.disconnect().catch(() => {});
  };

  const send = (records: readonly OutputRecord[]): Promise<void> => {
    if (closed) return Promise.reject(new KafkaAdapterError('closed', 'send() after close() on the Kafka sink; create a new sink'));
    if (records.length === 0) return Promise.resolve();
    // One send at a time, in call order: kafkajs's idempotent producer can reorder (or fail with
    // OUT_OF_ORDER_SEQUENCE_NUMBER on) concurrent sends, so un-awaited sends are queued behind each
    // other. Tracked from the first moment, so a close() right after an un-awaited send() waits for it.
    return queue.run(() => deliver(records));
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await queue.settled();
    if (connecting !== null) {
      await connecting.catch(() => {});
      await producer.disconnect();
    }
  };

  return {
    connect,
    send,
    close,
    get producer(): Producer {
      return producer;
    },
    client,
  };
}
