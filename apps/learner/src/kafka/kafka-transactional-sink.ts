import { CompressionTypes, Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import type { CommitOffset, OutputRecord, ResultSink } from '../io/types.js';
import { chunkRecords } from './chunk-records.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { createSerialQueue } from './serial-queue.js';
import { toTopicMessages } from './topic-messages.js';

/** Settings of {@link createKafkaTransactionalSink}. */
export interface KafkaTransactionalSinkOptions {
  /** The kafkajs client (see createKafkaClient). */
  readonly kafka: Kafka;
  /**
   * The producer's transactional id: stable across restarts of the same learner (so a restarted one
   * fences its zombie predecessor), distinct between learners. kafkajs has no KIP-447 fencing by
   * group generation, so with several learners in a group use one id per input partition.
   */
  readonly transactionalId: string;
  /** The consumer group whose offsets commit inside the transactions. */
  readonly groupId: string;
  /** Broker-side transaction timeout (default 60000 ms). */
  readonly transactionTimeoutMs?: number;
  /** Record batch compression (default none). */
  readonly compression?: 'none' | 'gzip';
}

/** A {@link ResultSink} whose every send is one Kafka transaction, optionally with consumed offsets. */
export interface KafkaTransactionalSink extends ResultSink {
  /** Connects now (else the first send does). */
  connect(): Promise<void>;
  /**
   * One transaction: `records` and the group's next offsets (last processed + 1) become visible to
   * read_committed consumers and committed together, or not at all (the transaction is aborted and
   * the call rejects; the caller restores its state and seeks back to its last committed offsets).
   */
  sendWithOffsets(records: readonly OutputRecord[], offsets: readonly CommitOffset[]): Promise<void>;
  readonly producer: Producer;
}

/**
 * The exactly-once sink (SPEC §4 `--exactly-once`): one transactional kafkajs producer; each
 * `sendWithOffsets` (and each plain `send`, without offsets) runs one transaction — the records grouped
 * per topic into one batch, then `sendOffsets` for the consumer group, then commit; any failure aborts
 * it. Calls that overlap are queued and run in call order. Use it with a source whose offsets are not
 * committed separately, and read the outputs with read_committed consumers (kafkajs's default).
 *
 * @param o client, transactional id, consumer group
 * @example
 * const sink = createKafkaTransactionalSink({ kafka, transactionalId: 'logit-learner-events-0', groupId: 'logit-learner' });
 * await sink.sendWithOffsets(scoreRecords, [{ topic: 'events', partition: 0, offset: '1001' }]);
 */
export function createKafkaTransactionalSink(o: KafkaTransactionalSinkOptions): KafkaTransactionalSink {
  if (o.transactionalId.trim() === '') throw new KafkaAdapterError('bad-setting', 'transactionalId "" is not valid: give a stable, non-empty id per learner (or per input partition)');
  const newProducer = (): Producer =>
    o.kafka.producer({
      transactionalId: o.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: o.transactionTimeoutMs ?? 60000,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  let producer = newProducer();
  const compression = o.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  let connecting: Promise<void> | null = null;
  let closed = false;
  const queue = createSerialQueue();

  const connect = (): Promise<void> => {
    if (connecting === null) {
      connecting = producer.connect().catch((cause: unknown) => {
        connecting = null;
        throw new KafkaAdapterError('connect-failed', `the transactional Kafka producer could not connect: ${(cause as Error).message}; check the brokers setting and that the broker runs`, {
          cause,
          retriable: true,
        });
      });
    }
    return connecting;
  };

  const transact = async (records: readonly OutputRecord[], offsets: readonly CommitOffset[]): Promise<void> => {
    await connect();
    const topicMessagesChunks: TopicMessages[][] = [];
    for (const chunk of chunkRecords(records)) topicMessagesChunks.push(toTopicMessages(chunk));
    const offsetTopics = new Map<string, { partition: number; offset: string }[]>();
    for (const c of offsets) {
      if (!/^\d+$/.test(c.offset)) {
        throw new KafkaAdapterError('bad-offset', `offset ${JSON.stringify(c.offset)} for ${c.topic}[${c.partition}] is not a decimal offset (the next offset to read: last processed + 1)`);
      }
      const list = offsetTopics.get(c.topic) ?? [];
      list.push({ partition: c.partition, offset: c.offset });
      offsetTopics.set(c.topic, list);
    }
    const tx = await producer.transaction();
    try {
      // in requests of at most SINK_MAX_REQUEST_BYTES, all inside the one transaction (kafkajs writes a
      // partition's records of one request as one record batch, refused whole over max.message.bytes)
      for (const chunk of topicMessagesChunks) await tx.sendBatch({ topicMessages: chunk, acks: -1, compression });
      if (offsetTopics.size > 0) {
        const topics = [...offsetTopics].map(([topic, partitions]) => ({ topic, partitions }));
        // kafkajs does not retry a group coordinator that is moving or still loading (NOT_COORDINATOR,
        // COORDINATOR_LOAD_IN_PROGRESS, e.g. on a fresh broker); the offsets are not visible before
        // the commit, so sending them again inside the same transaction is safe.
        for (let attempt = 0; ; attempt++) {
          try {
            await tx.sendOffsets({ consumerGroupId: o.groupId, topics });
            break;
          } catch (e) {
            if ((e as { retriable?: boolean }).retriable !== true || attempt >= 5) throw e;
            await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          }
        }
      }
      await tx.commit();
    } catch (cause) {
      await tx.abort().catch(() => {});
      // kafkajs 2.2.4 rolls back the sequence numbers of every partition of a failed request, also of
      // those the broker appended to, and would then lose the next transaction's records on them as
      // "duplicates": start over with a new producer (same transactional id, so a new epoch).
      const old = producer;
      producer = newProducer();
      connecting = null;
      await old.disconnect().catch(() => {});
      throw new KafkaAdapterError(
        'transaction-aborted',
        `the transaction of ${records.length} record(s) and ${offsets.length} offset(s) was aborted: ${(cause as Error).message}; nothing of it is visible to read_committed consumers — restore the last committed state and retry`,
        { cause, retriable: (cause as { retriable?: boolean }).retriable ?? false },
      );
    }
  };

  const sendWithOffsets = (records: readonly OutputRecord[], offsets: readonly CommitOffset[]): Promise<void> => {
    if (closed) return Promise.reject(new KafkaAdapterError('closed', 'send after close() on the transactional Kafka sink; create a new sink'));
    if (records.length === 0 && offsets.length === 0) return Promise.resolve();
    return queue.run(() => transact(records, offsets));
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
    send: (records) => sendWithOffsets(records, []),
    sendWithOffsets,
    close,
    get producer(): Producer {
      return producer;
    },
  };
}
