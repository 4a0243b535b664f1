import type { Kafka } from 'kafkajs';
import type { CommitOffset } from '../io/types.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';

/**
 * Commits the shutdown snapshot's offsets for the group after the learner's consumer has left it
 * (the admin API's OffsetCommit needs a group without active members). When that fails — another
 * member is still in the group, the broker is away — it only logs a warning: the snapshot is
 * written, and the next start restores it and drops the events it already holds.
 *
 * @returns whether the offsets were committed
 * @example
 * await commitAfterStop(kafka, 'logit-stream', [{ topic: 'events', partition: 0, offset: '5000' }], logger);
 */
export async function commitAfterStop(kafka: Kafka, groupId: string, offsets: readonly CommitOffset[], logger: StructuredLogger): Promise<boolean> {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const c of offsets) {
    const list = byTopic.get(c.topic) ?? [];
    list.push({ partition: c.partition, offset: c.offset });
    byTopic.set(c.topic, list);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    for (const [topic, partitions] of byTopic) await admin.setOffsets({ groupId, topic, partitions });
    return true;
  } catch (err) {
    logger.warn({ err, groupId, offsets }, `could not commit the shutdown snapshot's offsets for group ${groupId}: ${(err as Error).message}; the next start restores the snapshot and skips the events it already holds`);
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
