import { CoreError, type SnapshotPayload } from '@logit-stream/core';

/**
 * The key prefix of one learner's snapshots in the compacted topic: `<groupId>/<learnerId>/`. One
 * learner keeps ONE model, trained on all the partitions it consumes, so its snapshot is one value
 * holding the next offset of every one of them (per-partition keys would store the same model once
 * per partition). The group is part of the key because the group owns the committed offsets that
 * the snapshot goes with; the learner id tells learners of one group apart.
 *
 * @example
 * snapshotKeyBase('logit-stream', 'learner-0') // 'logit-stream/learner-0/'
 */
export function snapshotKeyBase(groupId: string, learnerId: string): string {
  return `${groupId}/${learnerId}/`;
}

/**
 * The key of snapshot number `seq`: the base and `seq % 2`. Consecutive snapshots alternate between
 * two keys, so compaction (newest value per key) always keeps the last two, and a newest one that
 * fails its checksum leaves the previous good one in the topic to fall back to.
 *
 * @example
 * snapshotKey('logit-stream/learner-0/', 7) // 'logit-stream/learner-0/1'
 */
export function snapshotKey(base: string, seq: number): string {
  return `${base}${seq % 2}`;
}

/** The `config` of a snapshot this app writes. */
export interface SnapshotConfig {
  /** 1, 2, 3, … per learner lineage: which snapshot is newest. */
  readonly seq: number;
  readonly groupId: string;
  /** The learner options it was trained with (also inside the state). */
  readonly options: unknown;
}

/**
 * The sequence number of a decoded snapshot (`config.seq`).
 *
 * @throws CoreError 'bad-snapshot' when the config has no positive integer `seq` (not written by this app)
 * @example
 * snapshotSeq(decodeSnapshotValue(value)) // 12
 */
export function snapshotSeq(p: SnapshotPayload): number {
  const c = p.config as { seq?: unknown } | null;
  const seq = c?.seq;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
    throw new CoreError('bad-snapshot', `snapshot config.seq ${JSON.stringify(seq) ?? '(missing)'} must be an integer >= 1; the snapshot was not written by logit run`);
  }
  return seq;
}
