import type { SnapshotPayload } from '@logit-stream/core';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { TopicTail } from '../kafka/topic-tail.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import { snapshotKeyBase, snapshotSeq } from './snapshot-keys.js';
import { decodeSnapshotValue } from './snapshot-value.js';

/** How many of the newest records per key are kept for decoding. */
const KEEP_PER_KEY = 4;

/** Settings of {@link GroupSnapshots}. */
export interface GroupSnapshotsOptions {
  readonly kafka: Kafka;
  /** The compacted snapshots topic. */
  readonly topic: string;
  /** The consumer group: only snapshots keyed `<groupId>/…` are the group's. */
  readonly groupId: string;
  /** This learner: its own snapshots are `<groupId>/<learnerId>/…`, every other learner id is a peer. */
  readonly learnerId: string;
  readonly logger: StructuredLogger;
  /** Also read snapshots of open and aborted transactions (default false). */
  readonly readUncommitted?: boolean;
  /**
   * This process (see {@link instanceHeaders}): a snapshot of this learner id written, after the
   * catch-up, by another process that started later is reported to `onDuplicate` (two live
   * instances with one learner id overwrite each other's snapshots).
   */
  readonly instance?: { readonly id: string; readonly startedAt: number; readonly onDuplicate: (other: { id: string; startedAt: number }) => void };
}

/** Record headers naming the process that wrote a snapshot. */
export const INSTANCE_HEADER = 'logit-instance';
export const STARTED_HEADER = 'logit-started';

/**
 * The headers a learner process puts on its snapshot records: a random id of the process and when
 * it started, so that {@link GroupSnapshots} can tell a concurrent instance with the same learner id
 * from an earlier incarnation.
 *
 * @example
 * instanceHeaders('4f1c2a9e0b7d', 1_767_225_600_000) // { 'logit-instance': '4f1c2a9e0b7d', 'logit-started': '1767225600000' }
 */
export function instanceHeaders(id: string, startedAt: number): Record<string, string> {
  return { [INSTANCE_HEADER]: id, [STARTED_HEADER]: String(startedAt) };
}

/** The newest valid snapshot of one learner of the group. */
export interface PeerSnapshot {
  readonly learnerId: string;
  /** Its sequence number (`config.seq`). */
  readonly seq: number;
  /**
   * Events that learner has learned itself, over its whole lineage (`config.learned`; for a snapshot
   * without it, the model version): a peer's weight in a mix is how much this grew since the last mix.
   */
  readonly learned: number;
  readonly payload: SnapshotPayload;
}

/** What {@link GroupSnapshots.own} found. */
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

interface RawRecord {
  readonly partition: number;
  readonly offset: string;
  readonly value: Buffer | null;
  /** The record's timestamp (epoch ms). */
  readonly timestamp: number;
  /** Decoded on first need: the payload, or the reason it was refused. */
  decoded?: { payload: SnapshotPayload; seq: number } | { error: Error };
}

/**
 * The model snapshots of one consumer group, followed live from the compacted snapshots topic (SPEC
 * §4; scale-out). It keeps, per snapshot key of the group, the last few records raw and decodes them
 * only when asked, newest first, each at most once. It answers
 *
 * - {@link GroupSnapshots.own}: this learner's newest valid snapshot at the catch-up, to restore at start (a record
 *   that fails its gzip, checksum or schema is refused with an error naming partition, offset, key and
 *   reason, and the previous one is used: snapshots alternate between two keys, see snapshotKey);
 * - {@link GroupSnapshots.peers}: every other learner's newest valid snapshot, to mix in;
 * - {@link GroupSnapshots.peerPosition}: the furthest position any peer's snapshot holds for a
 *   partition, for a partition that moves to this learner.
 *
 * @example
 * const g = new GroupSnapshots({ kafka, topic: 'model-snapshots', groupId: 'logit-stream', learnerId: 'learner-1', logger });
 * await g.start(); // read to the end
 * const { snapshot } = g.own();
 * for (const p of g.peers()) console.log(p.learnerId, p.seq, p.learned);
 */
export class GroupSnapshots {
  private readonly prefix: string;
  private readonly ownBase: string;
  private readonly records = new Map<string, RawRecord[]>();
  private readonly tail: TopicTail;
  private ownRead = 0;

  constructor(private readonly o: GroupSnapshotsOptions) {
    this.prefix = `${o.groupId}/`;
    this.ownBase = snapshotKeyBase(o.groupId, o.learnerId);
    this.tail = new TopicTail({
      kafka: o.kafka,
      topic: o.topic,
      logger: o.logger,
      groupIdPrefix: this.ownBase,
      readUncommitted: o.readUncommitted,
      onRecord: (partition, m) => this.add(partition, m),
    });
  }

  /**
   * Starts following the topic and resolves once everything written before the start has been read.
   *
   * @param timeoutMs - default 60000
   * @throws KafkaAdapterError 'restore-timeout' when the end is not reached in time
   */
  start(timeoutMs = 60_000): Promise<void> {
    return this.tail.start(timeoutMs);
  }

  /** Stops following. */
  stop(): Promise<void> {
    return this.tail.stop();
  }

  /**
   * This learner's newest valid snapshot as of the catch-up (see the class comment): the one to
   * restore at start. Own snapshots read after {@link GroupSnapshots.start} resolved (the ones this
   * process writes) are counted in `read` and checked for a duplicate instance, but not kept.
   */
  own(): LatestSnapshot {
    let best: { seq: number; payload: SnapshotPayload; r: RawRecord } | null = null;
    let refused = 0;
    for (const [key, list] of this.records) {
      if (!key.startsWith(this.ownBase) || key.indexOf('/', this.ownBase.length) !== -1) continue;
      const r = this.newestValid(key, list, () => refused++);
      if (r !== null && (best === null || r.seq > best.seq)) best = r;
    }
    return {
      snapshot: best?.payload ?? null,
      at: best === null ? null : { partition: best.r.partition, offset: best.r.offset, bytes: best.r.value?.length ?? 0 },
      read: this.ownRead,
      refused,
    };
  }

  /**
   * Whether another learner of the group has written a snapshot within `withinMs` (default 5 min,
   * by record timestamp): learners that stopped long ago do not keep the mix cadence going.
   */
  hasPeers(withinMs = 5 * 60_000): boolean {
    const since = Date.now() - withinMs;
    for (const [key, list] of this.records) {
      if (this.peerOf(key) !== null && list.length > 0 && list[list.length - 1].timestamp >= since) return true;
    }
    return false;
  }

  /** Every other learner's newest valid snapshot, by learner id. */
  peers(): PeerSnapshot[] {
    const best = new Map<string, PeerSnapshot>();
    for (const [key, list] of this.records) {
      const id = this.peerOf(key);
      if (id === null) continue;
      const r = this.newestValid(key, list, () => {});
      if (r === null) continue;
      const prev = best.get(id);
      if (prev !== undefined && prev.seq >= r.seq) continue;
      const c = r.payload.config as { learned?: unknown } | null;
      const optimizer = r.payload.state['optimizer'] as { updates?: unknown } | undefined;
      const learned = typeof c?.learned === 'number' ? c.learned : typeof optimizer?.updates === 'number' ? optimizer.updates : 0;
      best.set(id, { learnerId: id, seq: r.seq, learned, payload: r.payload });
    }
    return [...best.values()];
  }

  /** The furthest next offset of `topic`[`partition`] in any peer's newest snapshot, or null. */
  peerPosition(topic: string, partition: number): number | null {
    let best: number | null = null;
    for (const p of this.peers()) {
      for (const off of p.payload.offsets) {
        if (off.topic === topic && off.partition === partition && (best === null || Number(off.next) > best)) best = Number(off.next);
      }
    }
    return best;
  }

  private add(partition: number, m: KafkaMessage): void {
    const key = m.key?.toString('utf8') ?? '';
    if (!key.startsWith(this.prefix)) return;
    if (key.startsWith(this.ownBase)) {
      this.ownRead++;
      this.checkInstance(m);
      // Own snapshots serve only the restore at start (own()); once caught up they are counted and
      // checked, not kept: a learner reads back each snapshot it writes, and holding the last few
      // (each a view that pins the Kafka client's whole fetch buffer) churned the process heap.
      if (this.tail.caughtUp) return;
    }
    let list = this.records.get(key);
    if (list === undefined) {
      list = [];
      this.records.set(key, list);
    }
    // Older records are decoded again only if every newer one is refused: drop their decoded states.
    for (const r of list) if (r.decoded !== undefined && !('error' in r.decoded)) r.decoded = undefined;
    list.push({ partition, offset: m.offset, value: m.value, timestamp: Number(m.timestamp) });
    if (list.length > KEEP_PER_KEY) list.shift();
  }

  private duplicateReported = false;

  /** After the catch-up, an own-key snapshot from another, later-started process is a duplicate id. */
  private checkInstance(m: KafkaMessage): void {
    const me = this.o.instance;
    if (me === undefined || this.duplicateReported || !this.tail.caughtUp) return;
    const id = m.headers?.[INSTANCE_HEADER]?.toString();
    const started = Number(m.headers?.[STARTED_HEADER]?.toString());
    if (id === undefined || id === me.id || !Number.isFinite(started)) return;
    // A concurrent instance writes after this one started; anything older is a predecessor's.
    if (Number(m.timestamp) < me.startedAt) return;
    // The earlier-started instance keeps running; the later one is told (ties: the larger id yields).
    if (started > me.startedAt || (started === me.startedAt && id > me.id)) return;
    this.duplicateReported = true;
    me.onDuplicate({ id, startedAt: started });
  }

  /** `<groupId>/<learnerId>/<n>` of another learner → learnerId, else null. */
  private peerOf(key: string): string | null {
    if (!key.startsWith(this.prefix) || key.startsWith(this.ownBase)) return null;
    const slash = key.lastIndexOf('/');
    return slash > this.prefix.length ? key.slice(this.prefix.length, slash) : null;
  }

  private newestValid(key: string, list: RawRecord[], onRefused: () => void): { seq: number; payload: SnapshotPayload; r: RawRecord } | null {
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (r.decoded === undefined) {
        try {
          const payload = decodeSnapshotValue(r.value);
          r.decoded = { payload, seq: snapshotSeq(payload) };
        } catch (err) {
          r.decoded = { error: err as Error };
          this.o.logger.error(
            { err, topic: this.o.topic, partition: r.partition, offset: r.offset, key },
            `refused the model snapshot at ${this.o.topic}[${r.partition}]@${r.offset} (key ${key}): ${(err as Error).message}; falling back to the previous good snapshot`,
          );
        }
      }
      const d = r.decoded;
      if ('error' in d) {
        onRefused();
        continue;
      }
      return { seq: d.seq, payload: d.payload, r };
    }
    return null;
  }
}
