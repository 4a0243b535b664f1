import { randomBytes } from 'node:crypto';
import { consumerGroupHeartbeatV1, offsetCommitV9, offsetFetchV9 } from '@platformatic/kafka';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { reasonOf } from '../reason-of.js';
import { createSerialQueue } from '../serial-queue.js';
import type { StructuredLogger } from '../structured-logger.js';
import { kafkaErrorName, lenientParser, type LeanBrokers } from './lean-brokers.js';

/** A partition of a topic, by name. */
export interface LeanTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Partitions of one topic, by topic id, as ConsumerGroupHeartbeat carries them. */
export interface LeanTopicIdPartitions {
  readonly topicId: string;
  readonly partitions: readonly number[];
}

/** The fields of a ConsumerGroupHeartbeat request (v1) the member sets; null / −1 mean "unchanged since the last heartbeat". */
export interface LeanHeartbeatRequest {
  readonly memberId: string;
  /** 0 to join, −1 to leave, else the epoch of the last answer. */
  readonly memberEpoch: number;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly serverAssignor: string | null;
  /** The partitions the member owns (empty when joining), or null when unchanged. */
  readonly topicPartitions: readonly LeanTopicIdPartitions[] | null;
}

/** A ConsumerGroupHeartbeat answer. */
export interface LeanHeartbeatResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** The partitions the member may own now (null: unchanged). */
  readonly assignment: readonly LeanTopicIdPartitions[] | null;
}

/** One offset to commit: `offset` is the next offset to consume, as a decimal string. */
export interface LeanCommitOffset extends LeanTopicPartition {
  readonly offset: string;
  /** The leader epoch of the last consumed record, if known (default −1). */
  readonly leaderEpoch?: number;
}

/** A committed offset read back by {@link LeanGroupMember.committed}. */
export interface LeanCommittedOffset extends LeanTopicPartition {
  /** The next offset to consume, or null when the group has none for the partition. */
  readonly offset: string | null;
  /** The leader epoch committed with it (−1: none). */
  readonly leaderEpoch: number;
}

/**
 * What the member needs of the group coordinator; {@link leanGroupCoordinator} is the real one over
 * {@link LeanBrokers}, tests pass a fake. Each method rejects on network errors and timeouts and
 * resolves with the broker's error codes otherwise.
 */
export interface LeanGroupCoordinator {
  heartbeat(request: LeanHeartbeatRequest): Promise<LeanHeartbeatResponse>;
  /** OffsetCommit v9; resolves with an error code per partition. */
  commitOffsets(memberId: string, memberEpoch: number, offsets: readonly LeanCommitOffset[]): Promise<readonly (LeanTopicPartition & { readonly errorCode: number })[]>;
  /** OffsetFetch v9 (require_stable); resolves with the group's error code and one entry per partition. */
  fetchOffsets(
    memberId: string | null,
    memberEpoch: number,
    partitions: readonly LeanTopicPartition[],
  ): Promise<{ readonly errorCode: number; readonly partitions: readonly (LeanTopicPartition & { readonly offset: bigint; readonly leaderEpoch: number; readonly errorCode: number })[] }>;
  /** Topic id → name for the ids it can resolve (metadata of the subscribed topics). */
  topicNames(topicIds: readonly string[], subscribed: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The coordinator moved (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE): find it again next time. */
  coordinatorLost(): void;
}

/** Why partitions are taken away: a rebalance (commit them now), lost (fenced: they are already another member's, do not commit), or stop(). */
export type LeanRevokeReason = 'rebalance' | 'lost' | 'stop';

/** Settings of {@link createLeanGroupMember}. */
export interface LeanGroupMemberOptions {
  readonly groupId: string;
  /** The topics to subscribe to, by name. */
  readonly topics: readonly string[];
  readonly logger: StructuredLogger;
  /** The broker registry; the coordinator is found through it (unless `coordinator` is given). */
  readonly brokers?: LeanBrokers;
  /** The coordinator's requests (tests); default leanGroupCoordinator(brokers, groupId). */
  readonly coordinator?: LeanGroupCoordinator;
  /** How long the broker waits for this member to give up revoked partitions before fencing it (default 60 000 ms). */
  readonly rebalanceTimeoutMs?: number;
  /** A server-side assignor (`uniform`, `range`), or null for the broker's default (default null). */
  readonly serverAssignor?: string | null;
  /** How long start() keeps trying to join before it rejects with `join-failed` (default 30 000 ms). */
  readonly joinTimeoutMs?: number;
  /** Partitions the broker assigned: awaited before the member acknowledges owning them. */
  readonly onAssign?: (partitions: readonly LeanTopicPartition[]) => Promise<void> | void;
  /**
   * Partitions taken away: awaited before the member tells the broker it gave them up. `lost` (reason
   * 'lost'): the member was fenced and they already belong to another member, do not commit them.
   */
  readonly onRevoke?: (partitions: readonly LeanTopicPartition[], lost: boolean, reason: LeanRevokeReason) => Promise<void> | void;
  /**
   * Called synchronously as soon as the member learns that partitions will be revoked (before the
   * revocation waits for earlier callbacks), so the consumer can hurry to finish its batch. It may
   * fire again for the same partitions (a repeated assignment while the revocation is under way).
   */
  readonly onRebalanceStart?: (revoking: readonly LeanTopicPartition[], reason: LeanRevokeReason) => void;
  /** A fatal error after start() resolved (authorisation, unsupported protocol …): the member has stopped. */
  readonly onFatal?: (error: KafkaAdapterError) => void;
}

/** A member of a consumer group of the `consumer` protocol (KIP-848); see {@link createLeanGroupMember}. */
export interface LeanGroupMember {
  /** Joins and resolves once the coordinator accepted the member (its first assignment may come later). */
  start(): Promise<void>;
  /** Revokes every partition (awaiting onRevoke with 'stop'), leaves the group (MemberEpoch −1), stops heartbeating. */
  stop(): Promise<void>;
  /** Commits next offsets (OffsetCommit v9 with this member's id and epoch). */
  commit(offsets: readonly LeanCommitOffset[]): Promise<void>;
  /**
   * Commits next offsets without membership (member id '', epoch −1), e.g. after stop(): the broker
   * accepts it only while the group has no members (else UNKNOWN_MEMBER_ID, a retriable `commit-fenced`).
   */
  commitAsNonMember(offsets: readonly LeanCommitOffset[]): Promise<void>;
  /** The committed next offsets of `partitions` (OffsetFetch v9, require_stable), in the same order. */
  committed(partitions: readonly LeanTopicPartition[]): Promise<LeanCommittedOffset[]>;
  /** The partitions this member owns now (sorted by topic, partition). */
  owned(): LeanTopicPartition[];
  readonly memberId: string;
  /** The epoch of the last heartbeat answer (0: not a member yet / rejoining). */
  readonly memberEpoch: number;
}

const API_CONSUMER_GROUP_HEARTBEAT = 68;
const API_OFFSET_COMMIT = 8;
const API_OFFSET_FETCH = 9;
const LEAVE_EPOCH = -1;

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const REQUEST_TIMED_OUT = 7;
const COORDINATOR_LOAD_IN_PROGRESS = 14;
const COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR = 16;
const INCONSISTENT_GROUP_PROTOCOL = 23;
const UNKNOWN_MEMBER_ID = 25;
const GROUP_AUTHORIZATION_FAILED = 30;
const TOPIC_AUTHORIZATION_FAILED = 29;
const UNSUPPORTED_VERSION = 35;
const INVALID_REQUEST = 42;
const GROUP_ID_NOT_FOUND = 69;
const GROUP_MAX_SIZE_REACHED = 81;
const UNSTABLE_OFFSET_COMMIT = 88;
const FENCED_MEMBER_EPOCH = 110;
const UNRELEASED_INSTANCE_ID = 111;
const UNSUPPORTED_ASSIGNOR = 112;
const STALE_MEMBER_EPOCH = 113;

const COORDINATOR_CODES = new Set([COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR]);
const RETRY_BACKOFF_MS = 100;
const RETRY_MAX_BACKOFF_MS = 2000;
/** A heartbeat not answered for this long is logged as a warning (the broker's session timeout defaults to 45 s). */
const HEARTBEAT_GAP_WARN_MS = 15_000;
const REQUEST_ATTEMPTS = 5;
/** A heartbeat timer that fires this much late (a blocked event loop) is logged as a warning. */
const HEARTBEAT_LATE_WARN_MS = 5_000;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A member id as the Java client makes them (Kafka's Uuid.toString: 16 random bytes, URL-safe base64
 * without padding, 22 characters, not starting with '-'). ConsumerGroupHeartbeat v1 wants the client
 * to generate it and keep it for the member's lifetime (KIP-1082).
 *
 * @example
 * newMemberId().length; // 22
 */
export function newMemberId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}


const byTopicPartition = (a: LeanTopicPartition, b: LeanTopicPartition): number => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

const parseHeartbeat = lenientParser(consumerGroupHeartbeatV1.parseResponse);
const parseCommit = lenientParser(offsetCommitV9.parseResponse);
const parseFetch = lenientParser(offsetFetchV9.parseResponse);

/**
 * The coordinator requests of a group over the broker registry: ConsumerGroupHeartbeat v1,
 * OffsetCommit v9, OffsetFetch v9 on the coordinator's connection (LeanBrokers.coordinator), topic
 * ids resolved from Metadata v12. A NOT_COORDINATOR-style answer (and a network error) also makes
 * the registry forget the coordinator.
 *
 * @param brokers the broker registry
 * @param groupId the consumer group
 * @example
 * const member = createLeanGroupMember({ groupId: 'g', topics: ['events'], logger, coordinator: leanGroupCoordinator(brokers, 'g') });
 */
export function leanGroupCoordinator(brokers: LeanBrokers, groupId: string): LeanGroupCoordinator {
  const send = async <T>(apiKey: number, version: number, payload: Parameters<LeanBrokers['request']>[3], parse: Parameters<LeanBrokers['request']>[4]): Promise<T> => {
    const conn = await brokers.coordinator(groupId);
    try {
      return (await brokers.request(conn, apiKey, version, payload, parse)) as T;
    } catch (e) {
      brokers.forgetCoordinator(groupId);
      throw e;
    }
  };
  return {
    async heartbeat(r) {
      const resp = await send<ReturnType<typeof consumerGroupHeartbeatV1.parseResponse>>(
        API_CONSUMER_GROUP_HEARTBEAT,
        1,
        consumerGroupHeartbeatV1.createRequest(
          groupId,
          r.memberId,
          r.memberEpoch,
          null,
          null,
          r.rebalanceTimeoutMs,
          r.subscribedTopicNames === null ? null : [...r.subscribedTopicNames],
          null,
          r.serverAssignor,
          // platformatic writes null as a null array ("unchanged"), [] as an empty one
          (r.topicPartitions === null ? null : r.topicPartitions.map((t) => ({ topicId: t.topicId, partitions: [...t.partitions] }))) as never,
        ),
        parseHeartbeat,
      );
      return {
        errorCode: resp.errorCode,
        errorMessage: resp.errorMessage ?? null,
        memberId: resp.memberId ?? null,
        memberEpoch: resp.memberEpoch,
        heartbeatIntervalMs: resp.heartbeatIntervalMs,
        assignment: resp.assignment === null ? null : resp.assignment.topicPartitions,
      };
    },
    async commitOffsets(memberId, memberEpoch, offsets) {
      const topics = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: null }[]>();
      for (const o of offsets) {
        let l = topics.get(o.topic);
        if (l === undefined) topics.set(o.topic, (l = []));
        l.push({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: o.leaderEpoch ?? -1, committedMetadata: null });
      }
      const resp = await send<ReturnType<typeof offsetCommitV9.parseResponse>>(
        API_OFFSET_COMMIT,
        9,
        offsetCommitV9.createRequest(groupId, memberEpoch, memberId, null, [...topics].map(([name, partitions]) => ({ name, partitions }))),
        parseCommit,
      );
      return resp.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode })));
    },
    async fetchOffsets(memberId, memberEpoch, partitions) {
      const topics = new Map<string, number[]>();
      for (const p of partitions) {
        let l = topics.get(p.topic);
        if (l === undefined) topics.set(p.topic, (l = []));
        l.push(p.partition);
      }
      const resp = await send<ReturnType<typeof offsetFetchV9.parseResponse>>(
        API_OFFSET_FETCH,
        9,
        offsetFetchV9.createRequest([{ groupId, memberId, memberEpoch, topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) }], true),
        parseFetch,
      );
      const g = resp.groups.find((x) => x.groupId === groupId) ?? resp.groups[0];
      if (g === undefined) return { errorCode: INVALID_REQUEST, partitions: [] };
      return {
        errorCode: g.errorCode,
        partitions: g.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, errorCode: p.errorCode })),
        ),
      };
    },
    async topicNames(topicIds, subscribed) {
      const out = new Map<string, string>();
      let missing = false;
      for (const id of topicIds) {
        const n = brokers.topicName(id);
        if (n === undefined) missing = true;
        else out.set(id, n);
      }
      if (missing) {
        await brokers.metadata(subscribed);
        for (const id of topicIds) {
          const n = brokers.topicName(id);
          if (n !== undefined) out.set(id, n);
        }
      }
      return out;
    },
    coordinatorLost() {
      brokers.forgetCoordinator(groupId);
    },
  };
}

/** What the member owns of one topic. */
interface OwnedTopic {
  readonly topic: string;
  readonly partitions: Set<number>;
}

type State = 'new' | 'joining' | 'member' | 'fenced' | 'leaving' | 'stopped' | 'fatal';

/**
 * A member of a consumer group of the new consumer group protocol (KIP-848, ConsumerGroupHeartbeat
 * v1): the broker computes the assignment, the member only heartbeats and reconciles.
 *
 * - `start()` joins with MemberEpoch 0, a client-generated member id ({@link newMemberId}), the
 *   subscribed topic names, the rebalance timeout and the server assignor (null: the broker's
 *   default) and an empty owned set; it resolves once the coordinator answered (rejects with the
 *   fatal error, or `join-failed` after `joinTimeoutMs` of retriable failures). Then it heartbeats
 *   at the interval of the broker's answers (group.consumer.heartbeat.interval.ms), and at once
 *   whenever it has something to acknowledge.
 * - Reconciliation, one step at a time (callbacks never overlap): when the broker's assignment (the
 *   partitions it may own now, by topic id, resolved to names through the metadata) lacks owned
 *   partitions, `onRebalanceStart` fires at once, then `onRevoke(partitions, 'rebalance')` is awaited,
 *   the partitions are dropped from the owned set and the next heartbeat (sent immediately) carries
 *   the owned set. Partitions new in the assignment are passed to `onAssign` (awaited) and then
 *   acknowledged the same way; the broker hands out a partition only once its previous owner
 *   acknowledged giving it up, so no two members own it at once. Heartbeats send the owned set only
 *   when it changed since the last answered one, every field again after a failed heartbeat (a "full
 *   request", as KIP-848 asks) and the joining fields when (re)joining.
 * - UNKNOWN_MEMBER_ID / FENCED_MEMBER_EPOCH (and GROUP_ID_NOT_FOUND of a member with an epoch): all
 *   partitions are lost (`onRevoke(all, 'lost')`, awaited), then the member rejoins with epoch 0
 *   under the same member id. NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE: the coordinator is found
 *   again; they, COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT and network errors are retried
 *   (100 ms doubling to 2 s, a full request next); a heartbeat unanswered for 15 s and more is logged
 *   as a warning (the broker fences the member after group.consumer.session.timeout.ms, 45 s by
 *   default). GROUP_AUTHORIZATION_FAILED, UNSUPPORTED_VERSION, INCONSISTENT_GROUP_PROTOCOL,
 *   UNSUPPORTED_ASSIGNOR, GROUP_MAX_SIZE_REACHED, UNRELEASED_INSTANCE_ID, INVALID_REQUEST and any
 *   other code are fatal: owned partitions are lost (onRevoke 'lost'), heartbeats stop and the
 *   error (a KafkaAdapterError that says what to do) rejects start() or goes to `onFatal`.
 * - `commit` / `committed`: OffsetCommit v9 / OffsetFetch v9 with the member id and current epoch;
 *   STALE_MEMBER_EPOCH and coordinator moves are retried a few times, UNKNOWN_MEMBER_ID /
 *   FENCED_MEMBER_EPOCH reject with a retriable `commit-fenced`.
 * - `stop()` revokes everything (`onRevoke(all, 'stop')`, awaited), leaves with MemberEpoch −1 and
 *   stops the timer.
 *
 * Errors of onAssign/onRevoke are logged and the reconciliation goes on (the broker must get its
 * partitions back either way). No static membership (InstanceId), no regex subscriptions, no rack.
 *
 * @param o group, topics, logger, broker registry (or a coordinator for tests), callbacks
 * @example
 * const member = createLeanGroupMember({
 *   groupId: 'learner', topics: ['events'], logger, brokers,
 *   onAssign: async (ps) => { for (const p of ps) startFetching(p); },
 *   onRevoke: async (ps, reason) => { await finishBatch(ps); if (reason !== 'lost') await member.commit(offsetsOf(ps)); },
 * });
 * await member.start();
 */
export function createLeanGroupMember(o: LeanGroupMemberOptions): LeanGroupMember {
  const log = o.logger;
  const groupId = o.groupId;
  const subscribed = [...o.topics];
  const rebalanceTimeoutMs = o.rebalanceTimeoutMs ?? 60_000;
  const serverAssignor = o.serverAssignor ?? null;
  const joinTimeoutMs = o.joinTimeoutMs ?? 30_000;
  let coordinator: LeanGroupCoordinator;
  if (o.coordinator !== undefined) coordinator = o.coordinator;
  else if (o.brokers !== undefined) coordinator = leanGroupCoordinator(o.brokers, groupId);
  else throw new KafkaAdapterError('bad-setting', 'createLeanGroupMember needs `brokers` (a LeanBrokers) or a `coordinator`');

  const memberId = newMemberId();
  let memberEpoch = 0;
  let state: State = 'new';
  /** Topic id → owned partitions. */
  const owned = new Map<string, OwnedTopic>();
  /** The latest assignment of the broker (topic id → partitions), not yet reconciled; null: none pending. */
  let target: Map<string, number[]> | null = null;
  /** Some topic ids of the target could not be resolved yet: reconcile again after the next heartbeat. */
  let unresolved = false;
  const names = new Map<string, string>();
  /** The owned set the broker last got (its key), or null: send it (and every field) next time. */
  let sentOwnedKey: string | null = null;
  let full = true;
  let intervalMs = 5000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight = false;
  /** The last heartbeat started (resolves once its answer is handled). */
  let running: Promise<void> = Promise.resolve();
  let stopRequested = false;
  let again = false;
  let failures = 0;
  /** Fencings since the last successful join: a rejoin after the second one in a row waits (100 ms doubling to 2 s). */
  let fences = 0;
  let lastAnsweredAt = 0;
  let warnedGapAt = 0;
  const callbacks = createSerialQueue();
  let reconcileQueued = false;
  let joined: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  let joinDeadline = 0;
  let lastFailure = '';
  let leave: { resolve: () => void } | null = null;

  /** The state now (a function, so TypeScript does not narrow it across awaits). */
  const current = (): State => state;
  const ownedKey = (): string => {
    const parts: string[] = [];
    for (const [id, t] of owned) if (t.partitions.size > 0) parts.push(`${id}:${[...t.partitions].sort((a, b) => a - b).join(',')}`);
    return parts.sort().join(';');
  };
  const ownedList = (): LeanTopicPartition[] => {
    const out: LeanTopicPartition[] = [];
    for (const t of owned.values()) for (const p of t.partitions) out.push({ topic: t.topic, partition: p });
    return out.sort(byTopicPartition);
  };
  const ownedWire = (): LeanTopicIdPartitions[] => {
    const out: LeanTopicIdPartitions[] = [];
    for (const [topicId, t] of owned) if (t.partitions.size > 0) out.push({ topicId, partitions: [...t.partitions].sort((a, b) => a - b) });
    return out;
  };

  const schedule = (ms: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (current() === 'stopped' || current() === 'fatal' || current() === 'fenced' || current() === 'new') return;
    const dueAt = Date.now() + ms;
    timer = setTimeout(() => {
      timer = undefined;
      const late = Date.now() - dueAt;
      if (late >= HEARTBEAT_LATE_WARN_MS) {
        log.warn({ groupId, memberId, lateMs: late }, 'lean consumer group heartbeat went out late: the event loop was busy; past group.consumer.session.timeout.ms (45 s by default) without a heartbeat the broker fences the member');
      }
      running = beat();
    }, ms);
  };
  /** Heartbeat as soon as possible (after the one in flight). */
  const beatSoon = (): void => {
    if (inFlight) again = true;
    else schedule(0);
  };

  const invoke = async (what: 'onAssign' | 'onRevoke', partitions: readonly LeanTopicPartition[], reason?: LeanRevokeReason): Promise<void> => {
    if (partitions.length === 0) return;
    try {
      if (what === 'onAssign') await o.onAssign?.(partitions);
      else await o.onRevoke?.(partitions, reason === 'lost', reason ?? 'rebalance');
    } catch (e) {
      log.error({ groupId, memberId, partitions, err: reasonOf(e) }, `${what} of the lean consumer group member failed; the member goes on (the partitions are ${what === 'onAssign' ? 'owned' : 'given up'} anyway)`);
    }
  };

  /** Partitions owned now that are not in `t`. */
  const revokedBy = (t: Map<string, number[]>): LeanTopicPartition[] => {
    const out: LeanTopicPartition[] = [];
    for (const [id, ot] of owned) {
      const keep = t.get(id);
      for (const p of ot.partitions) if (keep === undefined || !keep.includes(p)) out.push({ topic: ot.topic, partition: p });
    }
    return out.sort(byTopicPartition);
  };

  // --- reconciliation ------------------------------------------------------------------------------

  const reconcile = async (): Promise<void> => {
    reconcileQueued = false;
    if (target === null || current() !== 'member' || stopRequested) return;
    const t = target;
    const epochAtStart = memberEpoch;
    // 1. names of the assigned topic ids
    const ids = [...t.keys()].filter((id) => !names.has(id) && t.get(id)!.length > 0);
    if (ids.length > 0) {
      try {
        for (const [id, n] of await coordinator.topicNames(ids, subscribed)) names.set(id, n);
      } catch (e) {
        log.warn({ groupId, err: reasonOf(e) }, 'lean consumer group member could not resolve assigned topic ids (metadata failed); trying again after the next heartbeat');
      }
    }
    unresolved = [...t.entries()].some(([id, ps]) => ps.length > 0 && !names.has(id));
    if (unresolved) log.debug({ groupId, topicIds: [...t.keys()].filter((id) => !names.has(id)) }, 'assigned topic ids not in the metadata yet');
    if (current() !== 'member' || memberEpoch < epochAtStart) return;
    // 2. revoke what is owned but no longer assigned
    const revoked = revokedBy(t);
    if (revoked.length > 0) {
      log.info({ groupId, memberId, memberEpoch, revoked }, 'lean consumer group member revoking partitions');
      await invoke('onRevoke', revoked, 'rebalance');
      // Given up whatever happened meanwhile (a fencing's lost handler, queued behind, must not revoke them again).
      for (const [id, ot] of owned) {
        const keep = t.get(id);
        for (const p of [...ot.partitions]) if (keep === undefined || !keep.includes(p)) ot.partitions.delete(p);
        if (ot.partitions.size === 0) owned.delete(id);
      }
      if (current() === 'member') beatSoon();
    }
    if (current() !== 'member' || stopRequested) return;
    // 3. take what is assigned and not owned (the broker assigns only free partitions)
    const added: LeanTopicPartition[] = [];
    const addedIds: [string, number][] = [];
    for (const [id, ps] of t) {
      const name = names.get(id);
      if (name === undefined) continue;
      const ot = owned.get(id);
      for (const p of ps) {
        if (ot === undefined || !ot.partitions.has(p)) {
          added.push({ topic: name, partition: p });
          addedIds.push([id, p]);
        }
      }
    }
    if (added.length > 0) {
      added.sort(byTopicPartition);
      log.info({ groupId, memberId, memberEpoch, added }, 'lean consumer group member taking assigned partitions');
      await invoke('onAssign', added);
      for (const [id, p] of addedIds) {
        let ot = owned.get(id);
        if (ot === undefined) owned.set(id, (ot = { topic: names.get(id)!, partitions: new Set() }));
        ot.partitions.add(p);
      }
      if (current() === 'member') beatSoon();
    }
    if (target === t && !unresolved) target = null;
  };

  const queueReconcile = (): void => {
    if (reconcileQueued) return;
    reconcileQueued = true;
    void callbacks.run(reconcile);
  };

  // --- fencing and fatal errors ----------------------------------------------------------------------

  const loseAll = async (): Promise<void> => {
    const lost = ownedList();
    owned.clear();
    target = null;
    if (lost.length > 0) {
      log.warn({ groupId, memberId, lost }, 'lean consumer group member lost its partitions');
      await invoke('onRevoke', lost, 'lost');
    }
  };

  const fence = (why: string): void => {
    if (current() !== 'member' && current() !== 'joining') return;
    log.warn({ groupId, memberId, memberEpoch, why }, 'lean consumer group member fenced: losing its partitions and rejoining with epoch 0');
    state = 'fenced';
    memberEpoch = 0;
    schedule(0); // clears the timer (no heartbeats while fenced)
    const lost = ownedList();
    if (lost.length > 0) o.onRebalanceStart?.(lost, 'lost');
    fences++;
    void callbacks.run(async () => {
      await loseAll();
      if (current() !== 'fenced' || stopRequested) return;
      state = 'joining';
      full = true;
      sentOwnedKey = null;
      schedule(fences < 2 ? 0 : Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BACKOFF_MS * 2 ** Math.min(fences - 2, 10)));
    });
  };

  const fatal = (e: KafkaAdapterError): void => {
    if (current() === 'stopped' || current() === 'fatal') return;
    log.error({ groupId, memberId, err: e.message }, 'lean consumer group member stopped by a fatal error');
    state = 'fatal';
    schedule(0);
    const lost = ownedList();
    if (lost.length > 0) o.onRebalanceStart?.(lost, 'lost');
    void callbacks.run(loseAll);
    if (joined !== null) {
      joined.reject(e);
      joined = null;
    } else {
      o.onFatal?.(e);
    }
    leave?.resolve();
  };

  const fatalFor = (code: number, message: string | null): KafkaAdapterError => {
    const detail = message === null || message === '' ? '' : ` (${message})`;
    const g = JSON.stringify(groupId);
    const name = kafkaErrorName(code);
    switch (code) {
      case GROUP_AUTHORIZATION_FAILED:
        return new KafkaAdapterError('group-authorization-failed', `the broker refused consumer group ${g} to this client (${name}${detail}): grant its principal READ on the group`, { retriable: false });
      case UNSUPPORTED_VERSION:
        return new KafkaAdapterError(
          'unsupported-version',
          `the broker does not support the consumer group protocol (ConsumerGroupHeartbeat v1, KIP-848)${detail}: it needs Apache Kafka 4.0+ with group.coordinator.rebalance.protocols including consumer; or use the kafkajs source`,
          { retriable: false },
        );
      case INCONSISTENT_GROUP_PROTOCOL:
      case GROUP_ID_NOT_FOUND:
        return new KafkaAdapterError(
          'group-protocol-mismatch',
          `consumer group ${g} cannot be joined with the consumer protocol (${name}${detail}): it is probably a classic group with live members (kafkajs consumers); stop them or use another group id`,
          { retriable: false },
        );
      case UNSUPPORTED_ASSIGNOR:
        return new KafkaAdapterError('bad-setting', `the broker has no server assignor ${JSON.stringify(serverAssignor)} (${name}${detail}): use one of group.consumer.assignors (uniform, range) or null for the default`, { retriable: false });
      case GROUP_MAX_SIZE_REACHED:
        return new KafkaAdapterError('group-full', `consumer group ${g} is full (${name}${detail}): raise group.consumer.max.size or run fewer members`, { retriable: false });
      case UNRELEASED_INSTANCE_ID:
        return new KafkaAdapterError('unreleased-instance-id', `consumer group ${g}: another member still holds this static instance id (${name}${detail}); stop it first`, { retriable: false });
      default:
        return new KafkaAdapterError('heartbeat-failed', `consumer group ${g}: the coordinator refused the heartbeat with ${name}${detail}; this is not retriable: check the broker log`, { retriable: false });
    }
  };

  // --- heartbeats --------------------------------------------------------------------------------------

  const retryLater = (why: string): void => {
    failures++;
    full = true;
    lastFailure = why;
    const now = Date.now();
    const gap = lastAnsweredAt === 0 ? 0 : now - lastAnsweredAt;
    if (gap >= HEARTBEAT_GAP_WARN_MS && now - warnedGapAt >= HEARTBEAT_GAP_WARN_MS) {
      warnedGapAt = now;
      log.warn({ groupId, memberId, memberEpoch, unansweredMs: gap, why }, 'lean consumer group member: no heartbeat answered for a while; past group.consumer.session.timeout.ms (45 s by default) the broker fences the member and hands its partitions to others');
    } else {
      log.debug({ groupId, memberId, why, failures }, 'lean consumer group heartbeat failed, retrying');
    }
    if (joined !== null && now >= joinDeadline) {
      const e = new KafkaAdapterError('join-failed', `could not join consumer group ${JSON.stringify(groupId)} within ${joinTimeoutMs} ms: ${why}; check that the broker is up and reachable`, { retriable: true });
      state = 'stopped';
      schedule(0);
      joined.reject(e);
      joined = null;
      return;
    }
    schedule(Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BACKOFF_MS * 2 ** Math.min(failures - 1, 10)));
  };

  const beat = async (): Promise<void> => {
    if (inFlight || current() === 'stopped' || current() === 'fatal' || current() === 'fenced' || current() === 'new') return;
    inFlight = true;
    again = false;
    const leaving = current() === 'leaving';
    const joining = memberEpoch === 0 && !leaving;
    const key = ownedKey();
    const sendOwned = joining || full || key !== sentOwnedKey;
    const request: LeanHeartbeatRequest = leaving
      ? { memberId, memberEpoch: LEAVE_EPOCH, rebalanceTimeoutMs: -1, subscribedTopicNames: null, serverAssignor: null, topicPartitions: null }
      : {
          memberId,
          memberEpoch,
          rebalanceTimeoutMs: joining || full ? rebalanceTimeoutMs : -1,
          subscribedTopicNames: joining || full ? subscribed : null,
          serverAssignor: joining || full ? serverAssignor : null,
          topicPartitions: joining ? [] : sendOwned ? ownedWire() : null,
        };
    const sentEpoch = memberEpoch;
    let r: LeanHeartbeatResponse;
    try {
      r = await coordinator.heartbeat(request);
    } catch (e) {
      inFlight = false;
      if (leaving) {
        log.warn({ groupId, memberId, err: reasonOf(e) }, 'lean consumer group member could not send its leave heartbeat; the broker drops it after the session timeout');
        leave?.resolve();
        return;
      }
      if (current() === 'stopped' || current() === 'fatal') return;
      retryLater(reasonOf(e));
      return;
    }
    inFlight = false;
    if (leaving) {
      if (r.errorCode !== 0 && r.errorCode !== UNKNOWN_MEMBER_ID && r.errorCode !== FENCED_MEMBER_EPOCH) {
        log.warn({ groupId, memberId, error: kafkaErrorName(r.errorCode) }, 'lean consumer group member: the leave heartbeat was refused; the broker drops the member after the session timeout');
      }
      leave?.resolve();
      return;
    }
    if (current() === 'stopped' || current() === 'fatal' || current() === 'fenced') return;
    const code = r.errorCode;
    if (code !== 0) {
      const why = `${kafkaErrorName(code)}${r.errorMessage === null || r.errorMessage === '' ? '' : ` (${r.errorMessage})`}`;
      if (code === UNKNOWN_MEMBER_ID || code === FENCED_MEMBER_EPOCH || (code === GROUP_ID_NOT_FOUND && sentEpoch > 0)) {
        failures = 0;
        fence(why);
        return;
      }
      if (code === NOT_COORDINATOR || code === COORDINATOR_NOT_AVAILABLE) {
        coordinator.coordinatorLost();
        retryLater(why);
        return;
      }
      if (code === COORDINATOR_LOAD_IN_PROGRESS || code === REQUEST_TIMED_OUT) {
        retryLater(why);
        return;
      }
      fatal(fatalFor(code, r.errorMessage));
      return;
    }
    failures = 0;
    lastAnsweredAt = Date.now();
    if (sendOwned) sentOwnedKey = key;
    full = false;
    if (r.memberId !== null && r.memberId !== '' && r.memberId !== memberId) {
      log.warn({ groupId, memberId, brokerMemberId: r.memberId }, 'the coordinator answered with another member id; keeping the one this member generated');
    }
    memberEpoch = r.memberEpoch;
    if (r.heartbeatIntervalMs > 0) intervalMs = r.heartbeatIntervalMs;
    if (current() === 'joining') {
      state = 'member';
      fences = 0;
      log.info({ groupId, memberId, memberEpoch, heartbeatIntervalMs: intervalMs }, 'lean consumer group member joined');
      if (joined !== null) {
        joined.resolve();
        joined = null;
      }
    }
    if (r.assignment !== null) {
      const t = new Map<string, number[]>();
      for (const tp of r.assignment) t.set(tp.topicId, [...(t.get(tp.topicId) ?? []), ...tp.partitions]);
      target = t;
      const revoking = revokedBy(t);
      if (revoking.length > 0) o.onRebalanceStart?.(revoking, 'rebalance');
      queueReconcile();
    } else if (unresolved && target !== null) {
      queueReconcile();
    }
    if (again || ownedKey() !== sentOwnedKey) schedule(0);
    else schedule(intervalMs);
  };

  // --- offsets ---------------------------------------------------------------------------------------

  const commitWith = async (offsets: readonly LeanCommitOffset[], asMember: boolean): Promise<void> => {
    if (offsets.length === 0) return;
    for (const x of offsets) {
      if (!/^\d{1,19}$/.test(x.offset)) throw new KafkaAdapterError('bad-offset', `offset ${JSON.stringify(x.offset)} of ${x.topic}[${x.partition}] is not a non-negative integer: commit the next offset to consume`);
    }
    let last = '';
    for (let attempt = 0; attempt < REQUEST_ATTEMPTS; attempt++) {
      if (attempt > 0) await delay(Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BACKOFF_MS * 2 ** (attempt - 1)));
      if (asMember && (current() === 'stopped' || current() === 'fatal')) {
        throw new KafkaAdapterError('closed', `commit to consumer group ${JSON.stringify(groupId)} after the member stopped: use commitAsNonMember, or create a new member`, { retriable: false });
      }
      if (asMember && memberEpoch <= 0) {
        throw new KafkaAdapterError('commit-fenced', `commit to consumer group ${JSON.stringify(groupId)} while the member is not in the group (joining or fenced); its partitions go to whoever owns them next, which resumes from the last commit`, { retriable: true });
      }
      let answers: readonly (LeanTopicPartition & { readonly errorCode: number })[];
      try {
        answers = await coordinator.commitOffsets(asMember ? memberId : '', asMember ? memberEpoch : -1, offsets);
      } catch (e) {
        last = reasonOf(e);
        continue;
      }
      const failed = answers.filter((a) => a.errorCode !== 0);
      if (failed.length === 0 && answers.length > 0) return;
      if (answers.length === 0) {
        last = 'the coordinator answered without partitions';
        continue;
      }
      const codes = new Set(failed.map((a) => a.errorCode));
      const what = failed.map((a) => `${kafkaErrorName(a.errorCode)} on ${a.topic}[${a.partition}]`).join('; ');
      if (codes.has(UNKNOWN_MEMBER_ID) || codes.has(FENCED_MEMBER_EPOCH)) {
        throw new KafkaAdapterError(
          'commit-fenced',
          asMember
            ? `commit to consumer group ${JSON.stringify(groupId)} refused: ${what}; the member was fenced and rejoins, its partitions resume from the last commit`
            : `commit without membership to consumer group ${JSON.stringify(groupId)} refused: ${what}; the group still has members (only an empty group takes such commits)`,
          { retriable: true },
        );
      }
      if ([...codes].some((c) => COORDINATOR_CODES.has(c))) {
        if (codes.has(NOT_COORDINATOR) || codes.has(COORDINATOR_NOT_AVAILABLE)) coordinator.coordinatorLost();
        last = what;
        continue;
      }
      if (codes.has(STALE_MEMBER_EPOCH) || codes.has(REQUEST_TIMED_OUT)) {
        last = what;
        continue;
      }
      throw new KafkaAdapterError(
        'commit-refused',
        `commit to consumer group ${JSON.stringify(groupId)} refused: ${what}${codes.has(GROUP_AUTHORIZATION_FAILED) || codes.has(TOPIC_AUTHORIZATION_FAILED) ? ': grant this principal READ on the group and topics' : codes.has(UNKNOWN_TOPIC_OR_PARTITION) ? ': the topic or partition does not exist' : ''}`,
        { retriable: false },
      );
    }
    const stale = last.includes('STALE_MEMBER_EPOCH');
    throw new KafkaAdapterError(
      stale ? 'commit-stale-epoch' : 'commit-failed',
      `commit to consumer group ${JSON.stringify(groupId)} failed after ${REQUEST_ATTEMPTS} attempts: ${last}; ${stale ? 'the member epoch moved on (a rebalance): commit again' : 'check that the broker is up'}`,
      { retriable: true },
    );
  };

  const commit = (offsets: readonly LeanCommitOffset[]): Promise<void> => commitWith(offsets, true);
  const commitAsNonMember = (offsets: readonly LeanCommitOffset[]): Promise<void> => commitWith(offsets, false);

  const committed = async (partitions: readonly LeanTopicPartition[]): Promise<LeanCommittedOffset[]> => {
    if (partitions.length === 0) return [];
    let last = '';
    for (let attempt = 0; attempt < REQUEST_ATTEMPTS; attempt++) {
      if (attempt > 0) await delay(Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BACKOFF_MS * 2 ** (attempt - 1)));
      const asMember = memberEpoch > 0;
      let r: Awaited<ReturnType<LeanGroupCoordinator['fetchOffsets']>>;
      try {
        r = await coordinator.fetchOffsets(asMember ? memberId : null, asMember ? memberEpoch : -1, partitions);
      } catch (e) {
        last = reasonOf(e);
        continue;
      }
      const codes = new Set<number>();
      if (r.errorCode !== 0) codes.add(r.errorCode);
      for (const p of r.partitions) if (p.errorCode !== 0) codes.add(p.errorCode);
      if (codes.size === 0) {
        const found = new Map(r.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
        return partitions.map((p) => {
          const f = found.get(`${p.topic}\u0000${p.partition}`);
          return { topic: p.topic, partition: p.partition, offset: f === undefined || f.offset < 0n ? null : f.offset.toString(), leaderEpoch: f?.leaderEpoch ?? -1 };
        });
      }
      const what = [...codes].map(kafkaErrorName).join(', ');
      if (codes.has(NOT_COORDINATOR) || codes.has(COORDINATOR_NOT_AVAILABLE)) coordinator.coordinatorLost();
      if ([...codes].every((c) => COORDINATOR_CODES.has(c) || c === STALE_MEMBER_EPOCH || c === UNSTABLE_OFFSET_COMMIT || c === REQUEST_TIMED_OUT || c === UNKNOWN_MEMBER_ID)) {
        last = what;
        continue;
      }
      throw new KafkaAdapterError('offset-fetch-refused', `reading the committed offsets of consumer group ${JSON.stringify(groupId)} failed: ${what}; check the group's and topics' ACLs and that the topics exist`, { retriable: false });
    }
    throw new KafkaAdapterError('offset-fetch-failed', `reading the committed offsets of consumer group ${JSON.stringify(groupId)} failed after ${REQUEST_ATTEMPTS} attempts: ${last}; try again (UNSTABLE_OFFSET_COMMIT: a transaction's offsets are pending)`, {
      retriable: true,
    });
  };

  // --- lifecycle ----------------------------------------------------------------------------------------

  const start = (): Promise<void> => {
    if (current() !== 'new') return Promise.reject(new KafkaAdapterError('bad-state', 'start() called twice on a lean consumer group member; create a new one'));
    state = 'joining';
    joinDeadline = Date.now() + joinTimeoutMs;
    const p = new Promise<void>((resolve, reject) => {
      joined = { resolve, reject };
    });
    schedule(0);
    return p;
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopRequested = true;
      if (current() === 'new') {
        state = 'stopped';
        return;
      }
      if (joined !== null) {
        joined.reject(new KafkaAdapterError('closed', `stop() while joining consumer group ${JSON.stringify(groupId)}`, { retriable: false }));
        joined = null;
      }
      const wasMember = current() === 'member' || current() === 'joining' || current() === 'fenced';
      if (wasMember) {
        const all = ownedList();
        if (all.length > 0) o.onRebalanceStart?.(all, 'stop');
      }
      await callbacks.run(async () => {
        target = null;
        const all = ownedList();
        if (all.length > 0 && (current() === 'member' || current() === 'joining')) {
          await invoke('onRevoke', all, 'stop');
        }
        owned.clear();
      });
      if (current() === 'fatal' || current() === 'stopped') {
        state = 'stopped';
        return;
      }
      // A heartbeat in flight is waited for (a join it carried makes this a member that must leave).
      state = 'leaving';
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
      if (current() === 'leaving' && (memberEpoch > 0 || lastAnsweredAt > 0)) {
        const left = new Promise<void>((resolve) => {
          leave = { resolve };
        });
        schedule(0);
        await left;
      }
      state = 'stopped';
      schedule(0);
      log.info({ groupId, memberId }, 'lean consumer group member left the group');
    })();
    return stopping;
  };

  return {
    start,
    stop,
    commit,
    commitAsNonMember,
    committed,
    owned: ownedList,
    get memberId() {
      return memberId;
    },
    get memberEpoch() {
      return memberEpoch;
    },
  };
}
