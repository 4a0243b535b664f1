import type { Kafka } from 'kafkajs';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import { GroupSnapshots, type LatestSnapshot } from './group-snapshots.js';

export type { LatestSnapshot } from './group-snapshots.js';

/** Settings of {@link readLatestSnapshot}. */
export interface ReadLatestSnapshotOptions {
  readonly kafka: Kafka;
  /** The compacted snapshots topic. */
  readonly topic: string;
  readonly groupId: string;
  readonly learnerId: string;
  readonly logger: StructuredLogger;
  /** The whole read must finish within this (default 60000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Reads the snapshots topic from its beginning to its end (read_committed: a transaction still open
 * or aborted is not seen) and returns the newest valid snapshot of this learner, with
 * {@link GroupSnapshots.own}'s checks and fallback. A one-off read; a running learner keeps a
 * {@link GroupSnapshots} open instead.
 *
 * @throws KafkaAdapterError 'restore-timeout' when the end of the topic is not reached in time
 * @example
 * const { snapshot } = await readLatestSnapshot({ kafka, topic: 'model-snapshots', groupId: 'logit-stream', learnerId: 'learner-0', logger });
 */
export async function readLatestSnapshot(o: ReadLatestSnapshotOptions): Promise<LatestSnapshot> {
  const g = new GroupSnapshots(o);
  await g.start(o.timeoutMs);
  try {
    return g.own();
  } finally {
    await g.stop();
  }
}
