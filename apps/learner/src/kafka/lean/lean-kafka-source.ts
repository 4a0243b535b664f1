import type { CommitOffset, EventSource, InputBatch, InputMessage } from '../../io/types.js';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import type { KafkaConnectionConfig } from '../kafka-config.js';
import { defaultKafkaLogger, type StructuredLogger } from '../structured-logger.js';
import { createLeanBrokers, kafkaErrorName, type LeanBrokers } from './lean-brokers.js';
import { createLeanGroupMember, type LeanGroupMember, type LeanTopicPartition } from './lean-group-member.js';
import { fetchOnce, type LeanFetchPartitionResult } from './lean-fetcher.js';
import { listOffsets, partitionKey } from './list-offsets.js';
import type { LeanMessage } from './record-batch-reader.js';

/** Settings of {@link createLeanKafkaSource}; the fetch settings mean what they mean for createKafkaSource. */
export interface LeanKafkaSourceOptions {
  /** Connection settings (brokers, SASL, TLS, timeouts). */
  readonly config: Pick<KafkaConnectionConfig, 'brokers' | 'sasl' | 'tls' | 'connectionTimeoutMs' | 'requestTimeoutMs' | 'clientId'>;
  /** Input topics. */
  readonly topics: readonly string[];
  /** Consumer group; its committed offsets say where a restart continues. */
  readonly groupId: string;
  /** Where a partition without a committed offset starts: the oldest message (default true) or new ones only. */
  readonly fromBeginning?: boolean;
  /** At most this many bytes fetched per partition per request (default 1 MiB). */
  readonly maxBytesPerPartition?: number;
  /** At most this many bytes per fetch request (default 10 MiB). */
  readonly maxBytes?: number;
  /** How long the broker may hold a fetch when there is nothing new (default 500 ms). */
  readonly maxWaitTimeMs?: number;
  /** A fetched batch is handed over in slices of at most this many messages (default 1000). */
  readonly maxMessagesPerCall?: number;
  /** Read messages of open or aborted transactions too (default false: read_committed). */
  readonly readUncommitted?: boolean;
  /**
   * Re-use the message objects (default false): a fetched message's object is filled again by the
   * fetch two rounds later, when every message of its own round has been handled, so the handler
   * must not keep a message (the object) after its promise settles; the `key` and `value` Buffers
   * it read from one stay valid. `logit run` turns it on: nothing per message is then allocated
   * for the messages themselves, and none of them lives long enough for V8 to promote it.
   */
  readonly reuseMessages?: boolean;
  /** `start` fails when this member has not joined the group within this time (default 60000 ms). */
  readonly joinTimeoutMs?: number;
  /**
   * After joining, `start` waits at most this long for the first partitions (default 15000 ms); then it
   * resolves without any (a group with more members than partitions) and they may come later.
   */
  readonly firstAssignmentWaitMs?: number;
  /** Called after every change of the partitions this member owns, with all of them, per topic. */
  readonly onAssignment?: (assignment: Readonly<Record<string, readonly number[]>>) => void;
  /** Structured logger (default: pino on stderr at warn). */
  readonly logger?: StructuredLogger;
}

/** An {@link EventSource} on Kafka without kafkajs; see {@link createLeanKafkaSource}. */
export interface LeanKafkaSource extends EventSource {
  /** Moves a partition's fetch position: the rest of the batch in hand and anything fetched for it is dropped. Throws `bad-offset` for anything but a decimal offset below 2^53, `bad-state` for a partition not owned. */
  seek(topic: string, partition: number, offset: string): void;
  /** Stops fetching (the batch in flight is finished); `stop()` still has to be called. */
  pause(): void;
  /**
   * Has `flush` called (and awaited) when the group takes partitions away from this member, after the
   * batch in flight and before they are released, so that a snapshot and its commit land first.
   */
  onRevoking(flush: () => Promise<void>): void;
  /** Commits offsets once this member has left the group (OffsetCommit without membership; the group must be empty). */
  commitAfterLeaving(offsets: readonly CommitOffset[]): Promise<void>;
}

/** A partition this member owns, where its fetching stands. */
interface Owned {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to fetch. */
  next: number;
  /** Bumped by every seek and by revocation: a fetch answer of an older generation is dropped. */
  generation: number;
  /** False once revoked. */
  live: boolean;
}

const OFFSET_OUT_OF_RANGE = 1;
/** Partition errors after which the leader is looked up again (and the fetch retried). */
const REFRESH_CODES = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  9, // REPLICA_NOT_AVAILABLE
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
  100, // UNKNOWN_TOPIC_ID
]);
const RETRY_DELAY_MS = 100;
/** A revocation's flush (snapshot and commit) may take this long; the member's rebalance timeout is 60 s. */
const REVOKE_FLUSH_TIMEOUT_MS = 30_000;
const RETRY_MAX_DELAY_MS = 5000;

/** The same key as list-offsets' partitionKey. */
const key = partitionKey;

/**
 * An event source on a Kafka consumer group without kafkajs (`KAFKA_CONSUMER_CLIENT=lean`): the group
 * is joined with the consumer group protocol of KIP-848 (ConsumerGroupHeartbeat: the broker assigns,
 * partitions move one by one, a partition is given to another member only once this one released
 * it), and records are decoded straight from the Fetch responses (createLeanBrokers' connections,
 * RecordBatchReader), a fraction of kafkajs's CPU per message. Needs Kafka 4.0+.
 *
 * - Delivery: per partition in offset order, in slices of at most `maxMessagesPerCall`; each call is
 *   awaited before the next. One fetch per leader is in flight while a batch is handled (it asks for
 *   what follows that batch), so at most two fetches (`maxBytesPerPartition` per partition) are
 *   buffered and a slow pipeline throttles fetching.
 * - Positions: the group's committed offset, else the oldest (`fromBeginning`) or the next new
 *   message; an offset out of range starts again by the same rule.
 * - Rebalances: partitions taken away are released only after the handler call in flight and the
 *   `onRevoking` flush (snapshot and commit) have finished.
 * - Nothing is committed automatically: `commit(offsets)` commits the given next offsets (last
 *   processed + 1) with this member's epoch.
 * - If the handler throws, or the group refuses this member for good, the source stops and
 *   `exhausted` rejects with a KafkaAdapterError. `stop()` waits for the handler call in flight,
 *   then leaves the group and closes the connections.
 *
 * @param o settings (connection, topics, group, fetch limits)
 * @returns the source; call `start(handler)` to join the group and begin
 * @example
 * const source = createLeanKafkaSource({ config: resolveKafkaConfig({ brokers: 'localhost:9092' }, {}), topics: ['events'], groupId: 'logit-learner' });
 * await source.start(async (batch) => {
 *   for (const m of batch.messages) handle(m);
 *   await source.commit([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.messages.at(-1)!.offset) + 1) }]);
 * });
 */
export function createLeanKafkaSource(o: LeanKafkaSourceOptions): LeanKafkaSource {
  if (o.topics.length === 0) throw new KafkaAdapterError('bad-setting', 'createLeanKafkaSource needs at least one topic (topics: [])');
  const perCall = o.maxMessagesPerCall ?? 1000;
  if (!Number.isInteger(perCall) || perCall < 1) {
    throw new KafkaAdapterError('bad-setting', `maxMessagesPerCall ${perCall} must be a whole number >= 1`);
  }
  const log = o.logger ?? defaultKafkaLogger();
  const fromBeginning = o.fromBeginning ?? true;
  const fetchSettings = {
    maxWaitMs: o.maxWaitTimeMs ?? 500,
    maxBytes: o.maxBytes ?? 10_485_760,
    maxBytesPerPartition: o.maxBytesPerPartition ?? 1_048_576,
    readCommitted: !(o.readUncommitted ?? false),
  };
  const brokers: LeanBrokers = createLeanBrokers(o.config, o.config.clientId, log);

  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let paused = false;
  let failure: KafkaAdapterError | null = null;
  let rejectExhausted: (e: Error) => void = () => {};
  const exhausted = new Promise<void>((_resolve, reject) => {
    rejectExhausted = reject;
  });
  exhausted.catch(() => {});

  const owned = new Map<string, Owned>();
  let revokingFlush: (() => Promise<void>) | null = null;
  /** Set while partitions are being released: delivery waits for it. */
  let revoking: Promise<void> | null = null;
  /** The handler call in flight (a revocation waits for it). */
  let inFlight: Promise<void> | null = null;
  /** Waits of the fetch loop and of retries, each woken early by {@link poke} (an assignment, the stop). */
  const sleepers = new Set<() => void>();
  const nap = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const poke = (): void => {
    for (const wake of [...sleepers]) wake();
  };
  let stopRequested = false;

  const assignment = (): Record<string, number[]> => {
    const a: Record<string, number[]> = {};
    for (const t of o.topics) a[t] = [];
    for (const p of owned.values()) if (p.live) (a[p.topic] ??= []).push(p.partition);
    for (const t in a) a[t].sort((x, y) => x - y);
    return a;
  };
  const announce = (): void => {
    try {
      o.onAssignment?.(assignment());
    } catch (err) {
      log.warn({ err }, 'onAssignment threw; ignored');
    }
  };

  const fail = (e: KafkaAdapterError): void => {
    if (failure !== null) return;
    failure = e;
    log.error({ err: e.cause ?? e, code: e.code }, e.message);
    rejectExhausted(e);
    setImmediate(() => {
      void stop().catch((err: unknown) => log.warn({ err }, 'stopping the lean consumer after a failure failed'));
    });
  };

  /** Where fetching starts for newly assigned partitions: the committed offset, else by `fromBeginning`. */
  const startPositions = async (tps: readonly LeanTopicPartition[]): Promise<Map<string, number>> => {
    const committed = await member.committed(tps);
    const out = new Map<string, number>();
    const missing: LeanTopicPartition[] = [];
    for (const c of committed) {
      if (c.offset === null) missing.push(c);
      else out.set(key(c.topic, c.partition), Number(c.offset));
    }
    if (missing.length > 0) {
      const reset = await listOffsets(brokers, missing, fromBeginning ? 'earliest' : 'latest', fetchSettings.readCommitted);
      for (const tp of missing) out.set(key(tp.topic, tp.partition), reset.get(key(tp.topic, tp.partition))!);
    }
    return out;
  };

  const member: LeanGroupMember = createLeanGroupMember({
    brokers,
    groupId: o.groupId,
    topics: o.topics,
    logger: log,
    joinTimeoutMs: o.joinTimeoutMs ?? 60000,
    onAssign: async (tps) => {
      // The member owns them whatever happens here: without a position they would never be fetched,
      // so a failed look-up (coordinator moving, a transaction's pending offsets, leaders electing) is
      // retried until it succeeds or the source stops; a refusal (ACLs) stops the source.
      let at: Map<string, number> | null = null;
      for (let attempt = 1; at === null; attempt++) {
        try {
          at = await startPositions(tps);
        } catch (err) {
          if (stopRequested || failure !== null) return;
          if (err instanceof KafkaAdapterError && !err.retriable) {
            fail(err);
            return;
          }
          const wait = Math.min(RETRY_MAX_DELAY_MS, RETRY_DELAY_MS * 2 ** Math.min(attempt, 10));
          if (attempt === 1 || attempt % 10 === 0) {
            log.warn({ err, partitions: tps, attempt, retryInMs: wait }, `could not find where to start fetching the assigned partitions: ${(err as Error).message}; retrying`);
          }
          await nap(wait);
          if (stopRequested || failure !== null) return;
        }
      }
      for (const tp of tps) {
        const k = key(tp.topic, tp.partition);
        owned.set(k, { topic: tp.topic, partition: tp.partition, next: at.get(k)!, generation: 0, live: true });
      }
      log.info({ groupId: o.groupId, memberId: member.memberId, partitions: tps }, 'partitions assigned');
      announce();
      poke();
    },
    onFatal: (e) => fail(e),
    onRevoke: async (tps, lost, reason) => {
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const previous = revoking;
      revoking = held;
      try {
        if (previous !== null) await previous;
        // Nothing more of these partitions is delivered; the handler call in flight finishes first.
        for (const tp of tps) {
          const p = owned.get(key(tp.topic, tp.partition));
          if (p !== undefined) p.generation++;
        }
        if (inFlight !== null) await inFlight.catch(() => {});
        if (!lost && reason === 'rebalance' && !stopRequested && revokingFlush !== null) {
          try {
            // Bounded: past the rebalance timeout the broker fences this member anyway.
            const flushed = await Promise.race([revokingFlush().then(() => true), nap(REVOKE_FLUSH_TIMEOUT_MS).then(() => false)]);
            if (!flushed) log.warn({ partitions: tps, timeoutMs: REVOKE_FLUSH_TIMEOUT_MS }, 'the flush before releasing partitions took too long; releasing them without it');
          } catch (err) {
            log.warn({ err }, 'the flush before releasing partitions failed; releasing them anyway');
          }
        }
        for (const tp of tps) {
          const k = key(tp.topic, tp.partition);
          const p = owned.get(k);
          if (p !== undefined) p.live = false;
          owned.delete(k);
        }
        log.info({ groupId: o.groupId, partitions: tps, lost }, lost ? 'partitions lost (this member was fenced)' : 'partitions released');
        announce();
      } finally {
        if (revoking === held) revoking = null;
        release();
      }
    },
  });

  /** What a fetch asked for per partition: an answer is used only while the position is still this. */
  interface Asked {
    readonly generation: number;
    readonly offset: number;
  }
  interface Round {
    readonly results: LeanFetchPartitionResult[];
    readonly asked: Map<string, Asked>;
  }

  /** The metadata the last round used (to tell a cached answer from a fresh one). */
  let lastMetadata: unknown = null;
  /**
   * With `reuseMessages`: two sets of message arrays per partition, used by alternate rounds. At most
   * two rounds are alive at a time (the one being handed over and the one fetched ahead; the next is
   * asked for only once the first is all handled), so a round overwrites the messages of the round
   * before the one before it, all handled by then.
   */
  const pools = o.reuseMessages === true ? [new Map<string, LeanMessage[]>(), new Map<string, LeanMessage[]>()] : null;
  let rounds = 0;
  /** One fetch per leader for every owned, live partition, from `positions` (default: where each stands). */
  const fetchRound = async (positions?: ReadonlyMap<string, number>): Promise<Round | null> => {
    const all = [...owned.values()].filter((p) => p.live);
    if (all.length === 0) return null;
    // A new first partition every round: the broker gives an oversized batch only to the first
    // partition with data (KIP-74), so a fixed order could starve a later one.
    const first = rotation++ % all.length;
    const live = first === 0 ? all : [...all.slice(first), ...all.slice(0, first)];
    let md = await brokers.cachedMetadata(o.topics);
    const leaderOf = (p: Owned): number => {
      const ps = md.topics.get(p.topic)?.partitions;
      if (ps === undefined) return -1;
      // Sorted by partition, usually 0..n−1: direct, else searched.
      const at = ps[p.partition];
      return (at !== undefined && at.partition === p.partition ? at : ps.find((x) => x.partition === p.partition))?.leaderId ?? -1;
    };
    // The same answer as last round is the cached one: a partition it does not know (added to the
    // topic since) or without a leader makes it ask the broker, instead of skipping the partition
    // until the cache expires.
    if (md === lastMetadata && live.some((p) => leaderOf(p) < 0)) {
      brokers.forgetMetadata();
      md = await brokers.cachedMetadata(o.topics);
    }
    lastMetadata = md;
    const byLeader = new Map<number, { topic: string; partition: number; offset: number }[]>();
    const asked = new Map<string, Asked>();
    for (const p of live) {
      const leader = leaderOf(p);
      if (leader < 0) continue;
      let g = byLeader.get(leader);
      if (g === undefined) byLeader.set(leader, (g = []));
      const k = key(p.topic, p.partition);
      const offset = positions?.get(k) ?? p.next;
      asked.set(k, { generation: p.generation, offset });
      g.push({ topic: p.topic, partition: p.partition, offset });
    }
    if (byLeader.size === 0) throw new KafkaAdapterError('no-leader', `no leader known for the partitions of ${o.topics.join(', ')}`, { retriable: true });
    const pool = pools === null ? null : pools[rounds++ & 1];
    const reuse =
      pool === null
        ? undefined
        : (topic: string, partition: number): LeanMessage[] => {
            const k = key(topic, partition);
            let a = pool.get(k);
            if (a === undefined) pool.set(k, (a = []));
            return a;
          };
    const parts = await Promise.all([...byLeader].map(async ([leader, partitions]) => fetchOnce(await brokers.node(leader), { ...fetchSettings, partitions, reuse })));
    return { results: parts.flat(), asked };
  };

  /** Whether a fetch answer for `r` still fits where its partition stands. */
  const current = (r: LeanFetchPartitionResult, asked: Asked | undefined): Owned | null => {
    const p = owned.get(key(r.topic, r.partition));
    return p !== undefined && asked !== undefined && p.live && p.generation === asked.generation && p.next === asked.offset ? p : null;
  };

  /** {@link deliver}'s work. */
  const deliverSlices = async (handler: (batch: InputBatch) => Promise<void>, r: LeanFetchPartitionResult, p: Owned): Promise<boolean> => {
    const generation = p.generation;
    const msgs = r.messages;
    for (let start = 0; start < msgs.length; start += perCall) {
      // A revocation in progress holds all delivery, so that its flush sees a quiet pipeline.
      while (revoking !== null) await revoking;
      if (!p.live || p.generation !== generation || failure !== null || stopRequested || paused) return failure === null;
      const end = Math.min(msgs.length, start + perCall);
      const messages: InputMessage[] = start === 0 && end === msgs.length ? msgs : msgs.slice(start, end);
      let call: Promise<void>;
      try {
        call = handler({ topic: r.topic, partition: r.partition, messages, highWatermark: r.highWatermark });
      } catch (thrown) {
        // A handler that throws before returning its promise fails like one whose promise rejects
        // (not as a fetch error: the batch would be delivered again and again).
        call = Promise.reject(thrown);
      }
      inFlight = call;
      try {
        await call;
      } catch (cause) {
        fail(
          new KafkaAdapterError(
            'handler-failed',
            `the batch handler failed on ${r.topic}[${r.partition}] at offsets ${messages[0].offset}..${messages[messages.length - 1].offset}: ${(cause as Error)?.message ?? String(cause)}; the source stopped, uncommitted messages are delivered again on restart`,
            { cause },
          ),
        );
        return false;
      } finally {
        inFlight = null;
      }
      // A seek inside the handler moved the position: the rest of this batch is not wanted.
      if (p.generation === generation) p.next = Number(messages[messages.length - 1].offset) + 1;
    }
    if (p.generation === generation && p.live && r.nextOffset > p.next) p.next = r.nextOffset;
    return true;
  };

  /** Hands one partition's fetched messages to the handler, slice by slice; false once the source must stop. */
  const deliver = async (handler: (batch: InputBatch) => Promise<void>, r: LeanFetchPartitionResult, p: Owned): Promise<boolean> => {
    try {
      return await deliverSlices(handler, r, p);
    } finally {
      // Re-used messages wait two rounds for their next fill: they should not keep this fetch's bytes
      // alive that long (long enough for V8 to promote them, to be freed only by a full collection).
      if (pools !== null) for (const m of r.messages) m.release();
    }
  };

  /** Applies a partition's error: a reset of an out-of-range position, or (thrown) a retry after a new leader lookup. */
  const partitionError = async (r: LeanFetchPartitionResult, p: Owned): Promise<void> => {
    const generation = p.generation;
    if (r.errorCode === OFFSET_OUT_OF_RANGE) {
      const at = await listOffsets(brokers, [p], fromBeginning ? 'earliest' : 'latest', fetchSettings.readCommitted);
      const next = at.get(key(p.topic, p.partition))!;
      log.warn({ topic: p.topic, partition: p.partition, offset: p.next, reset: next }, `${p.topic}[${p.partition}] offset ${p.next} is out of range; continuing at ${next}`);
      if (p.generation === generation) p.next = next;
      return;
    }
    if (REFRESH_CODES.has(r.errorCode)) {
      brokers.forgetMetadata();
      throw new KafkaAdapterError('fetch-failed', `fetching ${r.topic}[${r.partition}] failed: ${kafkaErrorName(r.errorCode)}`, { retriable: true });
    }
    throw new KafkaAdapterError('fetch-refused', `the broker refused to fetch ${r.topic}[${r.partition}]: ${kafkaErrorName(r.errorCode)}; check the topic and this client's authorisation`, {
      retriable: false,
    });
  };

  let rotation = 0;
  let loopDone: Promise<void> = Promise.resolve();
  const fetchLoop = async (handler: (batch: InputBatch) => Promise<void>): Promise<void> => {
    let attempt = 0;
    let next: Promise<Round | null> | null = null;
    while (!stopRequested && failure === null) {
      if (paused || ![...owned.values()].some((p) => p.live)) {
        if (next !== null) await next.catch(() => null);
        next = null;
        await nap(200);
        continue;
      }
      try {
        const round = await (next ?? fetchRound());
        next = null;
        if (round === null) continue;
        // Ask for what follows these batches while they are handled; an answer whose position moved
        // meanwhile (a seek, a revocation, a batch not handled to its end) is dropped.
        if (round.results.every((r) => r.errorCode === 0)) {
          // Only answers that will be used predict a position: a dropped one (a seek, a position moved
          // since it was asked for) is fetched again from where its partition stands.
          const after = new Map<string, number>();
          for (const r of round.results) {
            const k = key(r.topic, r.partition);
            if (current(r, round.asked.get(k)) !== null) after.set(k, r.nextOffset);
          }
          next = fetchRound(after);
          next.catch(() => {});
        }
        for (const r of round.results) {
          const p = current(r, round.asked.get(key(r.topic, r.partition)));
          if (p === null) continue;
          if (r.errorCode !== 0) await partitionError(r, p);
          else if (r.messages.length > 0) {
            if (!(await deliver(handler, r, p))) return;
          } else if (r.nextOffset > p.next) p.next = r.nextOffset;
        }
        // Only a round without a partition error ends a series of failures (and its backoff).
        attempt = 0;
      } catch (e) {
        if (next !== null) await next.catch(() => null);
        next = null;
        // A dead or moved leader: look the leaders up again before the retry.
        brokers.forgetMetadata();
        const err = e instanceof KafkaAdapterError ? e : new KafkaAdapterError('fetch-failed', `fetching ${o.topics.join(', ')} failed: ${(e as Error).message}`, { cause: e, retriable: true });
        if (!err.retriable) {
          fail(err);
          return;
        }
        attempt++;
        const wait = Math.min(RETRY_MAX_DELAY_MS, RETRY_DELAY_MS * 2 ** Math.min(attempt, 10));
        if (attempt === 1 || attempt % 10 === 0) log.warn({ err, attempt, retryInMs: wait }, `${err.message}; retrying`);
        await nap(wait);
      }
    }
    if (next !== null) await next.catch(() => null);
  };

  const start = async (handler: (batch: InputBatch) => Promise<void>): Promise<void> => {
    if (state !== 'new') throw new KafkaAdapterError('bad-state', `the Kafka source was already started (it is ${state}); create a new one`);
    state = 'starting';
    const joinTimeoutMs = o.joinTimeoutMs ?? 60000;
    try {
      await brokers.metadata(o.topics);
      await member.start();
    } catch (cause) {
      state = 'stopped';
      await brokers.close().catch(() => {});
      throw new KafkaAdapterError(
        'start-failed',
        `could not start consuming ${o.topics.join(', ')} in group ${o.groupId}: ${(cause as Error).message}; check that the broker is reachable (Kafka 4.0+ for KAFKA_CONSUMER_CLIENT=lean) and the topics exist`,
        { cause, retriable: true },
      );
    }
    state = 'running';
    loopDone = fetchLoop(handler).catch((e: unknown) => fail(new KafkaAdapterError('fetch-failed', `the fetch loop failed: ${(e as Error).message}`, { cause: e })));
    // Joined. The first assignment usually comes with the next heartbeats; a member of a group with
    // more members than partitions gets none, and runs on (kafkajs's source resolves on the join too).
    const deadline = Date.now() + Math.min(joinTimeoutMs, o.firstAssignmentWaitMs ?? 15_000);
    while (owned.size === 0 && failure === null && Date.now() < deadline && !stopRequested) await nap(100);
    if (failure !== null) throw failure;
    if (owned.size === 0 && !stopRequested) {
      log.info({ groupId: o.groupId, memberId: member.memberId }, 'joined the consumer group; no partitions assigned to this member yet');
      announce();
    }
  };

  const checkOffsets = (offsets: readonly CommitOffset[]): void => {
    for (const c of offsets) {
      if (!/^\d+$/.test(c.offset)) {
        throw new KafkaAdapterError('bad-offset', `commit offset ${JSON.stringify(c.offset)} for ${c.topic}[${c.partition}] is not a decimal offset (the next offset to read: last processed + 1)`);
      }
    }
  };

  const commit = async (offsets: readonly CommitOffset[]): Promise<void> => {
    if (offsets.length === 0) return;
    checkOffsets(offsets);
    if (state !== 'running') throw new KafkaAdapterError('bad-state', `cannot commit offsets: the Kafka source is ${state}; commit before stop()`);
    await member.commit(offsets);
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    if (stopping !== null) return stopping;
    const was = state;
    state = 'stopping';
    stopRequested = true;
    poke();
    stopping = (async () => {
      try {
        if (was !== 'new') {
          await loopDone;
          if (inFlight !== null) await inFlight;
          await member.stop().catch((err: unknown) => log.warn({ err }, 'leaving the consumer group failed; the broker drops this member after its session timeout'));
        }
      } finally {
        await brokers.close().catch(() => {});
        state = 'stopped';
      }
    })();
    return stopping;
  };

  const commitAfterLeaving = async (offsets: readonly CommitOffset[]): Promise<void> => {
    if (offsets.length === 0) return;
    checkOffsets(offsets);
    // The member's connections are closed by stop(): a short-lived registry of its own.
    const fresh = createLeanBrokers(o.config, o.config.clientId, log);
    try {
      await createLeanGroupMember({ brokers: fresh, groupId: o.groupId, topics: o.topics, logger: log }).commitAsNonMember(offsets);
    } catch (err) {
      log.warn({ err, groupId: o.groupId, offsets }, `could not commit the shutdown snapshot's offsets for group ${o.groupId}: ${(err as Error).message}; the next start restores the snapshot and skips the events it already holds`);
    } finally {
      await fresh.close().catch(() => {});
    }
  };

  return {
    start,
    commit,
    stop,
    exhausted,
    seek: (topic, partition, offset) => {
      // Number('') is 0 and Number('-1') a position no fetch takes: refuse them here, not in a fetch that stops the source.
      const at = /^\d{1,16}$/.test(offset) ? Number(offset) : NaN;
      if (!Number.isSafeInteger(at)) {
        throw new KafkaAdapterError('bad-offset', `cannot seek ${topic}[${partition}] to ${JSON.stringify(offset)}: pass a decimal offset below 2^53 (the next offset to read)`);
      }
      const p = owned.get(key(topic, partition));
      if (p === undefined) throw new KafkaAdapterError('bad-state', `cannot seek ${topic}[${partition}]: this member does not own it`);
      p.generation++;
      p.next = at;
    },
    pause: () => {
      paused = true;
    },
    onRevoking: (flush) => {
      revokingFlush = flush;
    },
    commitAfterLeaving,
  };
}
