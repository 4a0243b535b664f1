import { randomBytes } from 'node:crypto';
import type { SnapshotPayload } from '@logit-stream/core';
import type { Kafka } from 'kafkajs';
import { KafkaAdapterError } from '../kafka/kafka-adapter-error.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import { snapshotSeq } from './snapshot-keys.js';
import { decodeSnapshotValue } from './snapshot-value.js';

/** How many of the newest records per key are kept for decoding. */
const KEEP_PER_KEY = 4;

/** Settings of {@link readLatestSnapshot}. */
export interface ReadLatestSnapshotOptions {
  readonly kafka: Kafka;
  /** The compacted snapshots topic. */
  readonly topic: string;
  /** Only records whose key starts with this are this learner's (see snapshotKeyBase). */
  readonly keyBase: string;
  readonly logger: StructuredLogger;
  /** The whole read must finish within this (default 60000 ms). */
  readonly timeoutMs?: number;
}

/** What {@link readLatestSnapshot} found. */
export interface LatestSnapshot {
  /** The newest snapshot that passed every check, or null (none, or all refused). */
  readonly snapshot: SnapshotPayload | null;
  /** Where it was read from. */
  readonly at: { partition: number; offset: string; bytes: number } | null;
  /** Records of this learner that were read. */
  readonly read: number;
  /** Records refused (bad checksum, schema, gzip, …) among those decoded, each logged at error level. */
  readonly refused: number;
}

/**
 * Reads the snapshots topic from its beginning to its end (read_committed: a transaction still open
 * or aborted is not seen) and returns the newest valid snapshot of this learner: per key starting
 * with `keyBase`, the last records (up to 4) are decoded newest first until one passes, and of those
 * the one with the highest sequence number (`config.seq`) wins. Every decoded record that fails (gzip, JSON, format, version, CRC-32C checksum, field checks) is
 * refused with an error log naming its partition, offset, key and the reason, and the learner falls
 * back to the previous good one: snapshots alternate between two keys (see snapshotKey), so
 * compaction always keeps the last two.
 *
 * @throws KafkaAdapterError 'restore-timeout' when the end of the topic is not reached in time
 * @example
 * const { snapshot } = await readLatestSnapshot({ kafka, topic: 'model-snapshots', keyBase: 'logit-stream/learner-0/', logger });
 */
export async function readLatestSnapshot(o: ReadLatestSnapshotOptions): Promise<LatestSnapshot> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const admin = o.kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(o.topic);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map<number, number>();
  for (const e of ends) if (Number(e.high) > Number(e.low)) pending.set(e.partition, Number(e.high));
  // The last few records per key, raw: only these are decoded (newest first), so a restore costs a
  // few decodes even when compaction has not yet thinned out a long history of snapshots.
  const candidates = new Map<string, { partition: number; offset: string; value: Buffer | null }[]>();
  let read = 0;
  let refused = 0;
  if (pending.size === 0) return { snapshot: null, at: null, read, refused };

  const consumer = o.kafka.consumer({
    groupId: `${o.keyBase.replace(/[^A-Za-z0-9._-]/g, '_')}restore-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 16 * 1024 * 1024,
    allowAutoTopicCreation: false,
  });
  let finish: () => void = () => {};
  const done = new Promise<void>((r) => {
    finish = r;
  });
  const reached = (partition: number, lastOffset: string | null): void => {
    const end = pending.get(partition);
    if (end !== undefined && lastOffset !== null && Number(lastOffset) >= end - 1) {
      pending.delete(partition);
      if (pending.size === 0) finish();
    }
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => reached(e.payload.partition, e.payload.lastOffset));
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const key = m.key?.toString('utf8') ?? '';
          if (!key.startsWith(o.keyBase)) continue;
          read++;
          let list = candidates.get(key);
          if (list === undefined) {
            list = [];
            candidates.set(key, list);
          }
          list.push({ partition: batch.partition, offset: m.offset, value: m.value });
          if (list.length > KEEP_PER_KEY) list.shift();
        }
      },
    });
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), timeoutMs);
    });
    if ((await Promise.race([done.then(() => 'done' as const), timeout])) === 'timeout') {
      throw new KafkaAdapterError(
        'restore-timeout',
        `reading the snapshots topic ${o.topic} to its end took longer than ${timeoutMs} ms (partitions not reached: ${[...pending.keys()].join(', ')}); check the broker`,
        { retriable: true },
      );
    }
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
  }
  // Per key, the newest record that decodes; the newest of those by sequence number wins.
  let best: { seq: number; payload: SnapshotPayload; partition: number; offset: string; bytes: number } | null = null;
  for (const [key, list] of candidates) {
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i];
      try {
        const payload = decodeSnapshotValue(c.value);
        const seq = snapshotSeq(payload);
        if (best === null || seq > best.seq) best = { seq, payload, partition: c.partition, offset: c.offset, bytes: c.value?.length ?? 0 };
        break;
      } catch (err) {
        refused++;
        o.logger.error(
          { err, topic: o.topic, partition: c.partition, offset: c.offset, key },
          `refused the model snapshot at ${o.topic}[${c.partition}]@${c.offset} (key ${key}): ${(err as Error).message}; falling back to the previous good snapshot`,
        );
      }
    }
  }
  const b = best as { seq: number; payload: SnapshotPayload; partition: number; offset: string; bytes: number } | null;
  return { snapshot: b?.payload ?? null, at: b === null ? null : { partition: b.partition, offset: b.offset, bytes: b.bytes }, read, refused };
}
