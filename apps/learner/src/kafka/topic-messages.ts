import type { Message, TopicMessages } from 'kafkajs';
import type { OutputRecord } from '../io/types.js';

/**
 * Groups output records per topic into the `topicMessages` of one kafkajs `sendBatch`: topics in the
 * order of their first record, each topic's records in input order (headers only where a record has
 * them). Shared by the plain and the transactional Kafka sink.
 *
 * @param records the records of one request (see chunkRecords)
 * @returns one entry per topic
 * @example
 * toTopicMessages([{ topic: 'scores', key: 'e-1', value: '{…}' }, { topic: 'dlq', key: 'e-2', value: '{…}' }]);
 * // → [{ topic: 'scores', messages: [{ key: 'e-1', value: '{…}' }] }, { topic: 'dlq', messages: [{ key: 'e-2', value: '{…}' }] }]
 */
export function toTopicMessages(records: readonly OutputRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let list = byTopic.get(r.topic);
    if (list === undefined) {
      list = [];
      byTopic.set(r.topic, list);
    }
    list.push(r.headers === undefined ? { key: r.key, value: r.value } : { key: r.key, value: r.value, headers: r.headers });
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return topicMessages;
}
