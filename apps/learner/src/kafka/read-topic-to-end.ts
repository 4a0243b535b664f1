import type { Kafka, KafkaMessage } from 'kafkajs';
import type { StructuredLogger } from './structured-logger.js';
import { TopicTail } from './topic-tail.js';

/** One record of {@link readTopicToEnd}. */
export interface TopicRecord {
  readonly partition: number;
  readonly message: KafkaMessage;
}

const silent: StructuredLogger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Reads a topic from its beginning to the end it had when the read started (a {@link TopicTail}
 * that is stopped once it got there): every record below those end offsets, in partition then
 * offset order. For tests and benchmarks that read back what a learner wrote.
 *
 * @param kafka - a client on the broker
 * @param topic - the topic
 * @param o - `timeoutMs` bounds the read; `readUncommitted` also returns records of open or aborted transactions
 * @throws KafkaAdapterError 'restore-timeout' when the end is not reached in time
 * @example
 * const records = await readTopicToEnd(kafka, 'scores', { timeoutMs: 60_000 });
 * records.map((r) => r.message.value?.toString())
 */
export async function readTopicToEnd(kafka: Kafka, topic: string, o: { timeoutMs: number; readUncommitted?: boolean; logger?: StructuredLogger }): Promise<TopicRecord[]> {
  const parts = new Map<number, KafkaMessage[]>();
  const tail = new TopicTail({
    kafka,
    topic,
    logger: o.logger ?? silent,
    groupIdPrefix: `read-${topic}-`,
    readUncommitted: o.readUncommitted,
    onRecord: (partition, message) => {
      let list = parts.get(partition);
      if (list === undefined) parts.set(partition, (list = []));
      list.push(message);
    },
  });
  await tail.start(o.timeoutMs);
  await tail.stop();
  const out: TopicRecord[] = [];
  for (const [partition, end] of [...tail.endsAtStart].sort((a, b) => a[0] - b[0])) {
    for (const message of parts.get(partition) ?? []) if (Number(message.offset) < end) out.push({ partition, message });
  }
  return out;
}
