import type { Kafka } from 'kafkajs';
import type { CommitOffset, OutputRecord } from '../io/types.js';
import { KafkaAdapterError } from '../kafka/kafka-adapter-error.js';
import { createKafkaTransactionalSink, type KafkaTransactionalSink } from '../kafka/kafka-transactional-sink.js';

/** Settings of {@link createPartitionedTransactionalSink}. */
export interface PartitionedTransactionalSinkOptions {
  readonly kafka: Kafka;
  /** The consumer group whose offsets commit inside the transactions. */
  readonly groupId: string;
  /** The input topic and its partitions: one transactional producer each. */
  readonly inputTopic: string;
  readonly partitions: readonly number[];
  /** Prefix of the transactional ids (default `<groupId>`): `<prefix>-<topic>-<partition>`, and `<prefix>-<topic>-untied` for records without offsets. */
  readonly idPrefix?: string;
  readonly transactionTimeoutMs?: number;
}

/** The exactly-once sink of `logit run --exactly-once`. */
export interface PartitionedTransactionalSink {
  /** Connects (initialises) every producer: fences a killed predecessor and aborts its open transactions. */
  connect(): Promise<void>;
  /** Records without offsets (metrics on an idle stream, the final report) in one transaction of their own. */
  send(records: readonly OutputRecord[]): Promise<void>;
  /** Records and the offsets of ONE input partition in one transaction on that partition's producer. */
  sendWithOffsets(records: readonly OutputRecord[], offsets: readonly CommitOffset[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * One transactional producer per input partition (kafkajs has no KIP-447 fencing by group
 * generation, so the transactional id must follow the partition: whoever owns partition p uses id
 * `<prefix>-<topic>-<p>`, and a new owner fences the old one), plus one for records without offsets.
 * All producers are initialised by `connect()`, before the learner reads its snapshot, so that a
 * transaction left open by a killed learner is aborted first and the read_committed snapshot read
 * and offset fetch are not held up by it.
 *
 * @example
 * const sink = createPartitionedTransactionalSink({ kafka, groupId: 'g', inputTopic: 'events', partitions: [0, 1, 2] });
 * await sink.connect();
 * await sink.sendWithOffsets([score, snapshot], [{ topic: 'events', partition: 1, offset: '1001' }]);
 */
export function createPartitionedTransactionalSink(o: PartitionedTransactionalSinkOptions): PartitionedTransactionalSink {
  const prefix = o.idPrefix ?? o.groupId;
  const make = (suffix: string): KafkaTransactionalSink =>
    createKafkaTransactionalSink({ kafka: o.kafka, groupId: o.groupId, transactionalId: `${prefix}-${o.inputTopic}-${suffix}`, transactionTimeoutMs: o.transactionTimeoutMs });
  const byPartition = new Map<number, KafkaTransactionalSink>();
  for (const p of o.partitions) byPartition.set(p, make(String(p)));
  const untied = make('untied');
  const all = [...byPartition.values(), untied];
  return {
    connect: async () => {
      await Promise.all(all.map((s) => s.connect()));
    },
    send: (records) => untied.send(records),
    sendWithOffsets: (records, offsets) => {
      if (offsets.length === 0) return untied.send(records);
      const p = offsets[0].partition;
      if (offsets.some((c) => c.partition !== p || c.topic !== o.inputTopic)) {
        return Promise.reject(new KafkaAdapterError('bad-offset', `one transaction commits the offsets of one partition of ${o.inputTopic}; got ${JSON.stringify(offsets)}`));
      }
      const s = byPartition.get(p);
      if (s === undefined) {
        return Promise.reject(new KafkaAdapterError('bad-offset', `${o.inputTopic}[${p}] has no transactional producer (known partitions: ${[...byPartition.keys()].join(', ')}); restart the learner after adding partitions`));
      }
      return s.sendWithOffsets(records, offsets);
    },
    close: async () => {
      const r = await Promise.allSettled(all.map((s) => s.close()));
      const failed = r.find((x) => x.status === 'rejected');
      if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    },
  };
}
