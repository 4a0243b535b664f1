import type { OnlineLearner, SnapshotOffset } from '@logit-stream/core';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import type { ItemProcessor, ProcessedItem } from '../pipeline/process-items.js';
import { snapshotKey, type SnapshotConfig } from './snapshot-keys.js';
import { encodeSnapshotValue } from './snapshot-value.js';

/** Settings of {@link CheckpointingProcessor}. */
export interface CheckpointingProcessorOptions {
  /** The per-event work (a BatchProcessor). */
  readonly inner: ItemProcessor;
  /** The learner `inner` trains (its state goes into the snapshots). */
  readonly learner: OnlineLearner;
  /** The compacted snapshots topic. */
  readonly topic: string;
  /** Key prefix of this learner's snapshots (snapshotKeyBase). */
  readonly keyBase: string;
  readonly groupId: string;
  /** A snapshot after the batch that brings the events since the last one to this many. */
  readonly every: number;
  /** …or after the first batch this many ms after the last one. */
  readonly intervalMs: number;
  /** A snapshot after every batch, committing only that batch's partition (exactly-once mode). */
  readonly everyBatch?: boolean;
  /** Wall clock (default Date.now): when snapshots are due and their `createdAt`; never the model. */
  readonly now?: () => number;
  /** Where the restored snapshot left off: its sequence number and next offsets. */
  readonly restored?: { readonly seq: number; readonly offsets: readonly SnapshotOffset[] } | null;
  /** Moves a partition's fetch position (Kafka: `consumer.seek`), for a delivery that skips ahead of the model. */
  readonly seek?: (topic: string, partition: number, offset: string) => void;
  readonly logger: StructuredLogger;
}

/**
 * Checkpointing around the per-event work (SPEC §4). It
 *
 * - keeps the model's position: the next offset of every input partition the model has consumed
 *   (from the restored snapshot, then from each batch);
 * - guards the model against a delivery that does not start at that position: messages below it are
 *   already in the model and are dropped (a restart whose committed offsets are older than the
 *   snapshot, a rebalance back to the committed offsets); a batch beyond it (the group committed
 *   further than the snapshot restored, e.g. after falling back from a corrupt newest snapshot) is
 *   dropped and the partition is sought back to the model's position, so those events are replayed;
 * - after a batch that reaches `every` events or `intervalMs` ms since the last snapshot, returns one
 *   snapshot record (`after`: sent once the batch's scores are accepted) and the commits of the
 *   snapshot's offsets — and no commits otherwise, so the committed offsets are always those of a
 *   snapshot that was written before them. A restarted learner restores that snapshot and continues
 *   exactly where the model stood; since the learner's per-event work depends only on the events
 *   (and their offsets), the replay repeats the same scores and ends with the same model.
 *
 * @example
 * const p = new CheckpointingProcessor({ inner: new BatchProcessor({ learner, topics }), learner, topic: 'model-snapshots',
 *   keyBase: 'logit-stream/learner-0/', groupId: 'logit-stream', every: 50_000, intervalMs: 10_000, logger });
 */
export class CheckpointingProcessor implements ItemProcessor {
  /** Snapshots produced. */
  snapshots = 0;
  /** Size of the last snapshot value in bytes (gzip). */
  lastSnapshotBytes = 0;
  /** Time spent taking and encoding snapshots, ms. */
  snapshotMs = 0;
  /** Messages dropped because the model already had them. */
  skipped = 0;
  /** Batches dropped because they started beyond the model's position (the partition was sought back). */
  seeks = 0;
  private readonly next = new Map<string, { topic: string; partition: number; next: number }>();
  /** Per partition, the first offset of the delivery that made us seek back (to notice a gap that stays). */
  private readonly sought = new Map<string, number>();
  private readonly now: () => number;
  private seq: number;
  private sinceSnapshot = 0;
  private lastSnapshotAt: number;

  constructor(private readonly o: CheckpointingProcessorOptions) {
    this.now = o.now ?? Date.now;
    this.seq = o.restored?.seq ?? 0;
    for (const off of o.restored?.offsets ?? []) {
      this.next.set(`${off.partition}:${off.topic}`, { topic: off.topic, partition: off.partition, next: Number(off.next) });
    }
    this.lastSnapshotAt = this.now();
  }

  /** The model's position: the next offset of every partition it consumed. */
  positions(): CommitOffset[] {
    return [...this.next.values()].map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.next) }));
  }

  /** Guards, processes and checkpoints one batch; see the class comment. */
  processBatch(batch: InputBatch): ProcessedItem {
    const tp = `${batch.partition}:${batch.topic}`;
    const pos = this.next.get(tp);
    let b = batch;
    if (pos !== undefined && batch.messages.length > 0) {
      const first = Number(batch.messages[0].offset);
      if (first > pos.next && this.sought.get(tp) === first) {
        // Sought back once and delivered from the same offset again: the events in between are gone
        // (retention or deletion removed them). Go on from here rather than seek forever.
        this.o.logger.error(
          { topic: batch.topic, partition: batch.partition, delivered: first, model: pos.next },
          `${batch.topic}[${batch.partition}] offsets ${pos.next}..${first - 1} are no longer in the topic (retention?): ${first - pos.next} event(s) the model never learned are lost; continuing at ${first}`,
        );
        this.sought.delete(tp);
        pos.next = first;
      }
      if (first > pos.next) {
        this.seeks++;
        this.sought.set(tp, first);
        this.o.logger.warn(
          { topic: batch.topic, partition: batch.partition, delivered: first, model: pos.next },
          `${batch.topic}[${batch.partition}] was delivered from offset ${first} but the restored model stops at ${pos.next}; seeking back to replay the events in between`,
        );
        if (this.o.seek === undefined) {
          throw new Error(`${batch.topic}[${batch.partition}] delivered from offset ${first}, beyond the model's position ${pos.next}, and this source cannot seek`);
        }
        this.o.seek(batch.topic, batch.partition, String(pos.next));
        return { records: [], commits: [], events: 0 };
      }
      if (first < pos.next) {
        let skip = 0;
        while (skip < batch.messages.length && Number(batch.messages[skip].offset) < pos.next) skip++;
        this.skipped += skip;
        if (skip === batch.messages.length) return { records: [], commits: [], events: 0 };
        b = { ...batch, messages: batch.messages.slice(skip) };
      }
    }
    if (b.messages.length > 0) this.sought.delete(tp);
    const r = this.o.inner.processBatch(b);
    for (const c of r.commits) {
      const key = `${c.partition}:${c.topic}`;
      this.next.set(key, { topic: c.topic, partition: c.partition, next: Number(c.offset) });
    }
    this.sinceSnapshot += r.events;
    const due =
      r.events > 0 &&
      (this.o.everyBatch === true || this.sinceSnapshot >= this.o.every || this.now() - this.lastSnapshotAt >= this.o.intervalMs);
    if (!due) return { records: r.records, commits: [], events: r.events };
    const snapshot = this.snapshotRecord();
    return { records: r.records, after: [snapshot], commits: this.o.everyBatch === true ? r.commits : this.positions(), events: r.events };
  }

  /** Time-driven work of the inner processor (metrics on an idle stream); snapshots are taken after batches. */
  tick(): OutputRecord[] {
    return this.o.inner.tick();
  }

  /**
   * The shutdown snapshot and the commits that go with it, or null when nothing was handled since the
   * last snapshot.
   */
  finalSnapshot(): { record: OutputRecord; commits: CommitOffset[] } | null {
    if (this.sinceSnapshot === 0) return null;
    return { record: this.snapshotRecord(), commits: this.positions() };
  }

  private snapshotRecord(): OutputRecord {
    const t0 = performance.now();
    this.seq++;
    const config: SnapshotConfig = { seq: this.seq, groupId: this.o.groupId, options: this.o.learner.options };
    const offsets = [...this.next.values()].map((p) => ({ topic: p.topic, partition: p.partition, next: String(p.next) }));
    const value = encodeSnapshotValue({ learnerId: this.o.learner.learnerId, createdAt: this.now(), offsets, state: this.o.learner.toState(), config });
    this.snapshots++;
    this.lastSnapshotBytes = value.length;
    this.snapshotMs += performance.now() - t0;
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = this.now();
    return { topic: this.o.topic, key: snapshotKey(this.o.keyBase, this.seq), value };
  }
}
