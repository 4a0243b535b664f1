import type { InputBatch } from '../io/types.js';

/** Consumer lag of one input partition. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Messages behind the partition's high watermark once the last batch seen is processed. */
  readonly lag: number;
  /** The next offset to read (last offset of that batch + 1). */
  readonly nextOffset: number;
  /** The high watermark reported with that batch. */
  readonly highWatermark: number;
}

/**
 * Consumer lag per partition, from the high watermark that Kafka reports with each fetched batch:
 * lag = highWatermark − (last offset of the batch + 1), i.e. what is left to read once the batch in
 * hand is processed. Sources without a high watermark (the embedded stream) report no lag. Work is
 * per batch, never per event.
 *
 * @example
 * const lag = new PartitionLagTracker();
 * lag.observe(batch);
 * lag.list() // [{ topic: 'events', partition: 0, lag: 1200, nextOffset: 5000, highWatermark: 6200 }]
 */
export class PartitionLagTracker {
  private readonly byKey = new Map<string, PartitionLag>();

  /** Records the lag after `batch` (no-op for an empty batch or one without a high watermark). */
  observe(batch: InputBatch): void {
    const n = batch.messages.length;
    if (n === 0 || batch.highWatermark === undefined) return;
    const hw = Number(batch.highWatermark);
    const next = Number(batch.messages[n - 1].offset) + 1;
    if (!Number.isFinite(hw) || !Number.isFinite(next)) return;
    this.byKey.set(`${batch.topic}\u0000${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      lag: Math.max(0, hw - next),
      nextOffset: next,
      highWatermark: hw,
    });
  }

  /** Forgets partitions this learner no longer owns (after a rebalance). */
  retain(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [k, v] of this.byKey) if (!(assignment[v.topic] ?? []).includes(v.partition)) this.byKey.delete(k);
  }

  /** The lag of every partition seen, by topic then partition. */
  list(): PartitionLag[] {
    return [...this.byKey.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /** Total lag over the partitions seen, or null when no partition reported one. */
  total(): number | null {
    if (this.byKey.size === 0) return null;
    let t = 0;
    for (const v of this.byKey.values()) t += v.lag;
    return t;
  }
}
