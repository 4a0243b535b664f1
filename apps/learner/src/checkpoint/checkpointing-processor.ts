import type { OnlineLearner, SnapshotOffset } from '@logit-stream/core';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import type { ItemProcessor, ProcessedItem } from '../pipeline/process-items.js';
import type { PeerSnapshot } from './group-snapshots.js';
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
  /** Where the restored snapshot left off: its sequence number and next offsets (and, in a group, what it had mixed). */
  readonly restored?: RestoredPosition | null;
  /** The group's other learners (scale-out): their newest snapshots, to mix in; null for a learner on its own. */
  readonly group?: GroupPeers | null;
  /**
   * Model averaging with the group (SPEC §4 scale-out): once peers exist, a mix (and a snapshot) is due
   * after `every` events learned or `intervalMs` ms, whichever comes first; null = never mix.
   */
  readonly mix?: { readonly every: number; readonly intervalMs: number } | null;
  /** Moves a partition's fetch position (Kafka: `consumer.seek`), for a delivery that skips ahead of the model. */
  readonly seek?: (topic: string, partition: number, offset: string) => void;
  readonly logger: StructuredLogger;
  /** Headers of every snapshot record (which process wrote it: see {@link instanceHeaders}). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where a restored (or group-initialised) model stands. */
export interface RestoredPosition {
  readonly seq: number;
  readonly offsets: readonly SnapshotOffset[];
  /** Events this learner's lineage learned itself (`config.learned`). */
  readonly learned?: number;
  /** Per peer learner id, the sequence number and learned count of the snapshot last mixed in (`config.mixed`). */
  readonly mixed?: Readonly<Record<string, { readonly seq: number; readonly learned: number }>>;
}

/** What the checkpointing needs of the group's snapshots (a GroupSnapshots). */
export interface GroupPeers {
  hasPeers(): boolean;
  peers(): readonly PeerSnapshot[];
  peerPosition(topic: string, partition: number): number | null;
}

/** The `config` of a snapshot written in a group: SnapshotConfig plus what scale-out needs. */
export interface GroupSnapshotConfig extends SnapshotConfig {
  /** Events this learner's lineage learned itself (a peer's weight in a mix is the growth of this). */
  readonly learned: number;
  /** Per peer, the snapshot last mixed in. */
  readonly mixed: Readonly<Record<string, { readonly seq: number; readonly learned: number }>>;
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
 * Scale-out (with `group` and `mix`): once other learners of the group have written snapshots, a
 * snapshot is also due every `mix.every` events or `mix.intervalMs` ms, and before each one the
 * learner mixes in every peer's newest snapshot that it has not mixed yet: a weighted average with
 * weights = events learned since the last mix (its own since its last mix; a peer's, the growth of
 * its `learned` count since this learner last mixed that peer). A partition newly assigned to this
 * learner starts at the furthest position any snapshot of the group holds for it (its previous
 * owner's; looked up at the assignment and again at its first delivery), so the events in that
 * snapshot are not learned again, and is never sought back behind the group's committed offset
 * (which only follows a published snapshot). Commits cover only the
 * partitions assigned now. Mixing depends on when peers' snapshots arrive, so a group's replay after
 * a crash is not bit-for-bit the original run (a single learner's still is).
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
  /** Mixes done, and peers' snapshots mixed in over all of them. */
  mixes = 0;
  peersMixed = 0;
  private seq: number;
  private sinceSnapshot = 0;
  private lastSnapshotAt: number;
  private sinceMix = 0;
  private lastMixAt: number;
  /** Events this lineage learned itself; of those, learned since the last mix; the model version when they were last counted. */
  private learned: number;
  private ownSinceMix = 0;
  private versionMark: number;
  private readonly mixed = new Map<string, { seq: number; learned: number }>();
  /** Peers whose options differ from this learner's (logged once, never mixed). */
  private readonly incompatible = new Set<string>();
  /** Partitions assigned now ("partition:topic"), or null before the first assignment is known. */
  private assigned: Set<string> | null = null;
  /** Partitions newly assigned in a group and not delivered yet. */
  private readonly fresh = new Set<string>();

  constructor(private readonly o: CheckpointingProcessorOptions) {
    this.now = o.now ?? Date.now;
    this.seq = o.restored?.seq ?? 0;
    for (const off of o.restored?.offsets ?? []) {
      this.next.set(`${off.partition}:${off.topic}`, { topic: off.topic, partition: off.partition, next: Number(off.next) });
    }
    this.lastSnapshotAt = this.now();
    this.lastMixAt = this.lastSnapshotAt;
    this.learned = o.restored?.learned ?? o.learner.modelVersion;
    this.versionMark = o.learner.modelVersion;
    for (const [id, m] of Object.entries(o.restored?.mixed ?? {})) this.mixed.set(id, { seq: m.seq, learned: m.learned });
  }

  /**
   * The partitions assigned to this learner now (the consumer's GROUP_JOIN). In a group, a partition
   * new to it takes the furthest position of the group's snapshots at its first delivery when a
   * peer's is beyond its own (see the class comment); commits from now on cover only these partitions.
   */
  assign(assignment: Readonly<Record<string, readonly number[]>>): void {
    const now = new Set<string>();
    for (const [topic, parts] of Object.entries(assignment)) {
      for (const partition of parts) {
        const tp = `${partition}:${topic}`;
        now.add(tp);
        if (this.assigned?.has(tp) !== true && this.o.group != null) this.fresh.add(tp);
      }
    }
    this.assigned = now;
  }


  /** `commits` without the partitions not assigned to this learner now (all of them before an assignment is known). */
  ownedNow(commits: readonly CommitOffset[]): CommitOffset[] {
    const a = this.assigned;
    return a === null ? [...commits] : commits.filter((c) => a.has(`${c.partition}:${c.topic}`));
  }

  /** The model's position: the next offset of every partition it consumed and owns now (all of them before an assignment is known). */
  positions(): CommitOffset[] {
    const out: CommitOffset[] = [];
    for (const [tp, p] of this.next) if (this.assigned === null || this.assigned.has(tp)) out.push({ topic: p.topic, partition: p.partition, offset: String(p.next) });
    return out;
  }

  /** Guards, processes and checkpoints one batch; see the class comment. */
  processBatch(batch: InputBatch): ProcessedItem {
    const tp = `${batch.partition}:${batch.topic}`;
    // First delivery of a partition that moved here (in a group): continue at the group's furthest
    // snapshot position for it when that is beyond the model's own (the previous owner's snapshot,
    // looked up now: it may have arrived after the assignment), and take a delivery beyond the
    // model's position as the group's commit rather than seeking back.
    let groupCommit = false;
    if (batch.messages.length > 0 && this.fresh.delete(tp) && this.o.group != null) {
      const peer = this.o.group.peerPosition(batch.topic, batch.partition);
      const own = this.next.get(tp);
      const fromPeer = peer !== null && (own === undefined || peer > own.next);
      if (fromPeer) {
        this.next.set(tp, { topic: batch.topic, partition: batch.partition, next: peer });
        this.o.logger.info({ topic: batch.topic, partition: batch.partition, position: peer, own: own?.next ?? null }, `${batch.topic}[${batch.partition}] moved to this learner: continuing from the group's snapshot position ${peer}`);
      }
      groupCommit = fromPeer || this.o.group.hasPeers();
    }
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
      if (first > pos.next && groupCommit) {
        // The group committed further than the snapshot seen so far (its newest is still on its way).
        this.o.logger.info({ topic: batch.topic, partition: batch.partition, delivered: first, snapshot: pos.next }, `${batch.topic}[${batch.partition}] continues at the group's committed offset ${first}`);
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
    this.sinceMix += r.events;
    const due =
      r.events > 0 &&
      (this.o.everyBatch === true || this.sinceSnapshot >= this.o.every || this.now() - this.lastSnapshotAt >= this.o.intervalMs || this.mixDue());
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

  private mixDue(): boolean {
    const m = this.o.mix;
    if (m == null || this.o.group == null) return false;
    return (this.sinceMix >= m.every || this.now() - this.lastMixAt >= m.intervalMs) && this.o.group.hasPeers();
  }

  /** Mixes every peer's newest snapshot not mixed yet into the learner (see the class comment). */
  private mixPeers(): void {
    const l = this.o.learner;
    const own = this.ownSinceMix;
    this.ownSinceMix = 0;
    this.sinceMix = 0;
    this.lastMixAt = this.now();
    if (this.o.mix == null || this.o.group == null) return;
    const states = [];
    const weights: number[] = [];
    const ids: string[] = [];
    let added = 0;
    const mine = JSON.stringify(l.options);
    for (const p of this.o.group.peers()) {
      const before = this.mixed.get(p.learnerId);
      if (before !== undefined && p.seq <= before.seq) continue;
      const w = Math.max(0, p.learned - (before?.learned ?? 0));
      this.mixed.set(p.learnerId, { seq: p.seq, learned: p.learned });
      if (w === 0) continue;
      if (p.payload.state['options'] !== mine) {
        // One peer trained with other options must not stop the mix with the others.
        if (!this.incompatible.has(p.learnerId)) {
          this.incompatible.add(p.learnerId);
          this.o.logger.error(
            { peer: p.learnerId, peerOptions: p.payload.state['options'], options: mine },
            `not mixing learner ${p.learnerId}'s model: it was trained with other learning options; run every learner of a group with the same options`,
          );
        }
        continue;
      }
      states.push(p.payload.state);
      weights.push(w);
      ids.push(p.learnerId);
      added += w;
    }
    if (states.length === 0) return;
    try {
      l.mix(own, states, weights, l.modelVersion + added);
    } catch (e) {
      this.o.logger.error({ err: e, peers: ids }, `not mixing the peers' models: ${(e as Error).message}`);
      return;
    }
    this.versionMark = l.modelVersion;
    this.mixes++;
    this.peersMixed += states.length;
    this.o.logger.debug({ own, peers: ids, weights, version: l.modelVersion }, 'mixed the group\'s models');
  }

  private snapshotRecord(): OutputRecord {
    const t0 = performance.now();
    const l = this.o.learner;
    const grew = l.modelVersion - this.versionMark;
    this.learned += grew;
    this.ownSinceMix += grew;
    this.versionMark = l.modelVersion;
    // (exactly-once snapshots every batch; mixing keeps its own cadence)
    if (this.o.everyBatch !== true || this.mixDue()) this.mixPeers();
    this.seq++;
    const config: GroupSnapshotConfig = {
      seq: this.seq,
      groupId: this.o.groupId,
      options: this.o.learner.options,
      learned: this.learned,
      mixed: Object.fromEntries(this.mixed),
    };
    const offsets = [...this.next.values()].map((p) => ({ topic: p.topic, partition: p.partition, next: String(p.next) }));
    // toState(true): the weights are encoded right here, synchronously, so the live arrays serve (no
    // copy of 2^bits doubles per snapshot, whose malloc churn fragmented the process heap)
    const value = encodeSnapshotValue({ learnerId: this.o.learner.learnerId, createdAt: this.now(), offsets, state: this.o.learner.toState(true), config });
    this.snapshots++;
    this.lastSnapshotBytes = value.length;
    this.snapshotMs += performance.now() - t0;
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = this.now();
    const key = snapshotKey(this.o.keyBase, this.seq);
    return this.o.headers === undefined ? { topic: this.o.topic, key, value } : { topic: this.o.topic, key, value, headers: this.o.headers };
  }
}
