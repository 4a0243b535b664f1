import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import type { StructuredLogger } from '../structured-logger.js';
import type { LeanBrokers } from './lean-brokers.js';
import {
  createLeanGroupMember,
  leanGroupCoordinator,
  newMemberId,
  type LeanCommitOffset,
  type LeanGroupCoordinator,
  type LeanGroupMemberOptions,
  type LeanHeartbeatRequest,
  type LeanHeartbeatResponse,
  type LeanRevokeReason,
  type LeanTopicIdPartitions,
  type LeanTopicPartition,
} from './lean-group-member.js';

const T1 = '11111111-1111-1111-1111-111111111111';
const T2 = '22222222-2222-2222-2222-222222222222';
const NAMES = new Map([
  [T1, 'events'],
  [T2, 'other'],
]);
const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/** A heartbeat the fake coordinator got, answered by the test. */
interface Pending {
  readonly request: LeanHeartbeatRequest;
  answer(r: Partial<LeanHeartbeatResponse>): void;
  fail(e: Error): void;
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A coordinator whose heartbeats wait for the test's answer; commits and fetches answered by functions the test sets. */
function fakeCoordinator() {
  const waiting: Pending[] = [];
  const waiters: ((p: Pending) => void)[] = [];
  const all: LeanHeartbeatRequest[] = [];
  let lost = 0;
  type FetchAnswer = { errorCode: number; partitions: { topic: string; partition: number; offset: bigint; leaderEpoch: number; errorCode: number }[] };
  const commitAnswers: ((offsets: readonly LeanCommitOffset[], memberId: string, epoch: number) => number)[] = [];
  const commits: { memberId: string; epoch: number; offsets: readonly LeanCommitOffset[] }[] = [];
  const fetchAnswers: (() => FetchAnswer)[] = [];
  const fetches: { memberId: string | null; epoch: number }[] = [];
  const f = {
    all,
    lostCount: () => lost,
    commitAnswers,
    commits,
    fetchAnswers,
    fetches,
    /** The next heartbeat the member sends (waits for it). */
    next(): Promise<Pending> {
      const p = waiting.shift();
      if (p !== undefined) return Promise.resolve(p);
      return new Promise((r) => waiters.push(r));
    },
    /** Whether a heartbeat is waiting for an answer right now. */
    hasPending: () => waiting.length > 0,
    coordinator: {
      heartbeat(request) {
        all.push(request);
        return new Promise<LeanHeartbeatResponse>((resolve, reject) => {
          const p: Pending = {
            request,
            answer: (r) => resolve({ errorCode: 0, errorMessage: null, memberId: request.memberId, memberEpoch: request.memberEpoch, heartbeatIntervalMs: 60_000, assignment: null, ...r }),
            fail: reject,
          };
          const w = waiters.shift();
          if (w !== undefined) w(p);
          else waiting.push(p);
        });
      },
      async commitOffsets(memberId, memberEpoch, offsets) {
        commits.push({ memberId, epoch: memberEpoch, offsets });
        const answer = commitAnswers.shift();
        const code = answer === undefined ? 0 : answer(offsets, memberId, memberEpoch);
        return offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode: code }));
      },
      async fetchOffsets(memberId, memberEpoch, partitions) {
        fetches.push({ memberId, epoch: memberEpoch });
        const answer = fetchAnswers.shift();
        if (answer !== undefined) return answer();
        return { errorCode: 0, partitions: partitions.map((p) => ({ ...p, offset: -1n, leaderEpoch: -1, errorCode: 0 })) };
      },
      async topicNames(ids) {
        return new Map(ids.filter((id) => NAMES.has(id)).map((id) => [id, NAMES.get(id)!]));
      },
      coordinatorLost() {
        lost++;
      },
    } satisfies LeanGroupCoordinator,
  };
  return f;
}

type Call = { kind: 'assign' | 'revoke'; partitions: string[]; lost?: boolean; reason?: LeanRevokeReason };
const names = (ps: readonly LeanTopicPartition[]): string[] => ps.map((p) => `${p.topic}:${p.partition}`);
const tps = (topicId: string, ...partitions: number[]): LeanTopicIdPartitions => ({ topicId, partitions });

/** A member on a fake coordinator that records its callbacks; `hold*` make the next callback wait for the test. */
function setup(extra: Partial<LeanGroupMemberOptions> = {}) {
  const fake = fakeCoordinator();
  const calls: Call[] = [];
  const starts: { partitions: string[]; reason: LeanRevokeReason }[] = [];
  const gates: { assign: Promise<void> | null; revoke: Promise<void> | null } = { assign: null, revoke: null };
  const member = createLeanGroupMember({
    groupId: 'g',
    topics: ['events', 'other'],
    logger: quiet,
    coordinator: fake.coordinator,
    rebalanceTimeoutMs: 30_000,
    onAssign: async (ps) => {
      calls.push({ kind: 'assign', partitions: names(ps) });
      const g = gates.assign;
      gates.assign = null;
      if (g !== null) await g;
    },
    onRevoke: async (ps, lost, reason) => {
      calls.push({ kind: 'revoke', partitions: names(ps), lost, reason });
      const g = gates.revoke;
      gates.revoke = null;
      if (g !== null) await g;
    },
    onRebalanceStart: (ps, reason) => starts.push({ partitions: names(ps), reason }),
    ...extra,
  });
  return { fake, member, calls, starts, gates };
}

/** Starts the member, answers its join with `assignment` at epoch `epoch`, waits for the acknowledging heartbeat (if any partitions). */
async function joinWith(s: ReturnType<typeof setup>, epoch: number, assignment: LeanTopicIdPartitions[]): Promise<void> {
  const started = s.member.start();
  const join = await s.fake.next();
  join.answer({ memberEpoch: epoch, assignment });
  await started;
}

describe('newMemberId', () => {
  it('22 URL-safe base64 characters (16 random bytes, as Kafka Uuid.toString), not starting with "-", different each time', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newMemberId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url').length).toBe(16);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });
});

describe('createLeanGroupMember: joining and assignment', () => {
  it('joins with epoch 0, a generated member id, the subscription, the rebalance timeout, the default assignor and an empty owned set', async () => {
    const s = setup();
    const started = s.member.start();
    const join = await s.fake.next();
    expect(join.request).toEqual({
      memberId: s.member.memberId,
      memberEpoch: 0,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['events', 'other'],
      serverAssignor: null,
      topicPartitions: [],
    });
    expect(s.member.memberId).toHaveLength(22);
    join.answer({ memberEpoch: 3, heartbeatIntervalMs: 60_000 });
    await started;
    expect(s.member.memberEpoch).toBe(3);
    expect(s.member.owned()).toEqual([]);
    expect(s.fake.hasPending()).toBe(false); // next heartbeat only after the interval
  });

  it('takes assigned partitions only through onAssign and acknowledges them in the next heartbeat, not before onAssign finished', async () => {
    const s = setup();
    const hold = deferred();
    s.gates.assign = hold.promise;
    await joinWith(s, 1, [tps(T1, 2, 0), tps(T2, 1)]);
    await expect.poll(() => s.calls.length).toBe(1);
    expect(s.calls[0]).toEqual({ kind: 'assign', partitions: ['events:0', 'events:2', 'other:1'] });
    expect(s.member.owned()).toEqual([]); // not owned while onAssign runs
    await Promise.resolve();
    expect(s.fake.hasPending()).toBe(false); // and not acknowledged
    hold.resolve();
    const ack = await s.fake.next();
    expect(ack.request.memberEpoch).toBe(1);
    expect(ack.request.topicPartitions).toEqual([tps(T1, 0, 2), tps(T2, 1)]);
    expect(ack.request.rebalanceTimeoutMs).toBe(-1); // not a full request
    expect(ack.request.subscribedTopicNames).toBeNull();
    expect(s.member.owned()).toEqual([
      { topic: 'events', partition: 0 },
      { topic: 'events', partition: 2 },
      { topic: 'other', partition: 1 },
    ]);
    ack.answer({ memberEpoch: 1 });
  });

  it('an unchanged owned set is not sent again (TopicPartitions null)', async () => {
    const s = setup();
    await joinWith(s, 1, [tps(T1, 0)]);
    const ack = await s.fake.next();
    expect(ack.request.topicPartitions).toEqual([tps(T1, 0)]);
    ack.answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
    const plain = await s.fake.next();
    expect(plain.request.topicPartitions).toBeNull();
    expect(plain.request.memberEpoch).toBe(1);
    plain.answer({ memberEpoch: 2, heartbeatIntervalMs: 60_000 });
  });
});

describe('createLeanGroupMember: revocation', () => {
  it('revokes before acknowledging: onRebalanceStart at once, onRevoke awaited, heartbeats meanwhile keep the old owned set, the next one after it carries the smaller set', async () => {
    const s = setup();
    await joinWith(s, 1, [tps(T1, 0, 1, 2, 3)]);
    (await s.fake.next()).answer({ memberEpoch: 1, heartbeatIntervalMs: 5 }); // ack of 0..3, next heartbeat in 5 ms
    const hold = deferred();
    s.gates.revoke = hold.promise;
    // the broker takes 2 and 3 away
    const hb = await s.fake.next();
    expect(hb.request.topicPartitions).toBeNull();
    hb.answer({ memberEpoch: 1, assignment: [tps(T1, 0, 1)], heartbeatIntervalMs: 5 });
    await expect.poll(() => s.calls.length).toBe(2);
    expect(s.starts).toEqual([{ partitions: ['events:2', 'events:3'], reason: 'rebalance' }]);
    expect(s.calls[1]).toEqual({ kind: 'revoke', partitions: ['events:2', 'events:3'], lost: false, reason: 'rebalance' });
    // while onRevoke runs: still owned, and heartbeats do not claim otherwise
    const during = await s.fake.next();
    expect(during.request.topicPartitions).toBeNull();
    expect(s.member.owned().map((p) => p.partition)).toEqual([0, 1, 2, 3]);
    during.answer({ memberEpoch: 1, heartbeatIntervalMs: 60_000 });
    hold.resolve();
    const ack = await s.fake.next();
    expect(ack.request.topicPartitions).toEqual([tps(T1, 0, 1)]);
    expect(s.member.owned().map((p) => p.partition)).toEqual([0, 1]);
    ack.answer({ memberEpoch: 2 });
    await expect.poll(() => s.member.memberEpoch).toBe(2);
  });

  it('a revocation and an assignment in one answer: onRevoke completes before onAssign starts; callbacks never overlap', async () => {
    let active = 0;
    let maxActive = 0;
    const order: string[] = [];
    const track = (what: string) => async (ps: readonly LeanTopicPartition[]) => {
      active++;
      maxActive = Math.max(maxActive, active);
      order.push(`${what} ${names(ps).join(',')}`);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    };
    const s = setup({ onAssign: track('assign'), onRevoke: track('revoke') });
    await joinWith(s, 1, [tps(T1, 0, 1)]);
    (await s.fake.next()).answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
    (await s.fake.next()).answer({ memberEpoch: 2, assignment: [tps(T1, 1), tps(T2, 0)], heartbeatIntervalMs: 5 });
    // a further change arrives while that reconciliation may still run
    (await s.fake.next()).answer({ memberEpoch: 3, assignment: [tps(T2, 0, 1)], heartbeatIntervalMs: 60_000 });
    await expect.poll(() => s.member.owned().map((p) => `${p.topic}:${p.partition}`).join(' ')).toBe('other:0 other:1');
    expect(maxActive).toBe(1);
    expect(order[0]).toBe('assign events:0,events:1');
    expect(order[1]).toBe('revoke events:0');
    expect(order[2]).toBe('assign other:0');
    expect(order.slice(3)).toEqual(['revoke events:1', 'assign other:1']);
  });

  it('topic ids the metadata does not know yet are left for later, the known ones are taken', async () => {
    const s = setup();
    const T3 = '33333333-3333-3333-3333-333333333333';
    await joinWith(s, 1, [tps(T1, 0), tps(T3, 0)]);
    const ack = await s.fake.next();
    expect(ack.request.topicPartitions).toEqual([tps(T1, 0)]);
    expect(s.calls).toEqual([{ kind: 'assign', partitions: ['events:0'] }]);
    // the metadata learns the topic: the next heartbeat answer (no new assignment) lets the member take it
    NAMES.set(T3, 'third');
    try {
      ack.answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
      let ack2 = await s.fake.next();
      while (ack2.request.topicPartitions === null) {
        // a regular heartbeat (its 5 ms timer may fire before the reconciliation finished)
        ack2.answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
        ack2 = await s.fake.next();
      }
      expect(s.calls[1]).toEqual({ kind: 'assign', partitions: ['third:0'] });
      expect(ack2.request.topicPartitions).toEqual([tps(T1, 0), tps(T3, 0)]);
      ack2.answer({ memberEpoch: 1, heartbeatIntervalMs: 60_000 });
    } finally {
      NAMES.delete(T3);
    }
  });

  it('fenced again right after rejoining: the second rejoin waits (backoff), it does not hammer the coordinator', async () => {
    const s = setup();
    const started = s.member.start();
    (await s.fake.next()).answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
    await started;
    (await s.fake.next()).answer({ errorCode: 110, memberEpoch: -1 });
    const rejoin1 = await s.fake.next(); // the first rejoin goes at once
    expect(rejoin1.request.memberEpoch).toBe(0);
    rejoin1.answer({ errorCode: 25, memberEpoch: -1 });
    const t0 = performance.now();
    const rejoin2 = await s.fake.next();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90); // 100 ms backoff (timer granularity ±10 ms)
    expect(rejoin2.request.memberEpoch).toBe(0);
    rejoin2.answer({ memberEpoch: 3, heartbeatIntervalMs: 60_000 });
    await expect.poll(() => s.member.memberEpoch).toBe(3);
  });
});

describe('createLeanGroupMember: errors', () => {
  for (const [code, name] of [
    [110, 'FENCED_MEMBER_EPOCH'],
    [25, 'UNKNOWN_MEMBER_ID'],
  ] as const) {
    it(`${name}: all partitions lost (onRevoke lost=true awaited, no heartbeat meanwhile), then a rejoin with epoch 0 and the same member id`, async () => {
      const s = setup();
      await joinWith(s, 4, [tps(T1, 0, 1)]);
      (await s.fake.next()).answer({ memberEpoch: 4, heartbeatIntervalMs: 5 });
      const hold = deferred();
      s.gates.revoke = hold.promise;
      (await s.fake.next()).answer({ errorCode: code, memberEpoch: -1 });
      await expect.poll(() => s.calls.length).toBe(2);
      expect(s.calls[1]).toEqual({ kind: 'revoke', partitions: ['events:0', 'events:1'], lost: true, reason: 'lost' });
      expect(s.starts).toEqual([{ partitions: ['events:0', 'events:1'], reason: 'lost' }]);
      expect(s.member.memberEpoch).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
      expect(s.fake.hasPending()).toBe(false);
      hold.resolve();
      const rejoin = await s.fake.next();
      expect(rejoin.request.memberEpoch).toBe(0);
      expect(rejoin.request.memberId).toBe(s.member.memberId);
      expect(rejoin.request.topicPartitions).toEqual([]);
      expect(rejoin.request.subscribedTopicNames).toEqual(['events', 'other']);
      expect(rejoin.request.rebalanceTimeoutMs).toBe(30_000);
      expect(s.member.owned()).toEqual([]);
      rejoin.answer({ memberEpoch: 6, assignment: [tps(T1, 1)] });
      await expect.poll(() => s.member.owned()).toEqual([{ topic: 'events', partition: 1 }]);
    });
  }

  it('NOT_COORDINATOR: the coordinator is forgotten and the heartbeat is retried as a full request (every field, owned set)', async () => {
    const s = setup();
    await joinWith(s, 2, [tps(T1, 3)]);
    (await s.fake.next()).answer({ memberEpoch: 2, heartbeatIntervalMs: 5 });
    (await s.fake.next()).answer({ errorCode: 16, memberEpoch: -1 });
    const retry = await s.fake.next();
    expect(s.fake.lostCount()).toBe(1);
    expect(retry.request).toEqual({
      memberId: s.member.memberId,
      memberEpoch: 2,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['events', 'other'],
      serverAssignor: null,
      topicPartitions: [tps(T1, 3)],
    });
    retry.answer({ memberEpoch: 2, heartbeatIntervalMs: 60_000 });
    expect(s.member.owned()).toEqual([{ topic: 'events', partition: 3 }]);
  });

  it('a network error and COORDINATOR_LOAD_IN_PROGRESS are retried with backoff, partitions kept', async () => {
    const s = setup();
    await joinWith(s, 2, [tps(T1, 0)]);
    (await s.fake.next()).answer({ memberEpoch: 2, heartbeatIntervalMs: 5 });
    (await s.fake.next()).fail(new Error('socket hang up'));
    (await s.fake.next()).answer({ errorCode: 14, memberEpoch: -1 });
    const third = await s.fake.next();
    expect(third.request.topicPartitions).toEqual([tps(T1, 0)]);
    expect(s.fake.lostCount()).toBe(0);
    expect(s.calls.filter((c) => c.kind === 'revoke')).toEqual([]);
    third.answer({ memberEpoch: 2, heartbeatIntervalMs: 60_000 });
  });

  it('GROUP_AUTHORIZATION_FAILED when joining: start() rejects with a clear, not retriable error and heartbeats stop', async () => {
    const s = setup();
    const started = s.member.start();
    (await s.fake.next()).answer({ errorCode: 30, memberEpoch: -1, errorMessage: null });
    const e = await started.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect((e as KafkaAdapterError).code).toBe('group-authorization-failed');
    expect((e as KafkaAdapterError).retriable).toBe(false);
    expect((e as Error).message).toMatch(/consumer group "g".*READ/);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.fake.all).toHaveLength(1);
  });

  it('UNSUPPORTED_VERSION after joining: onFatal with what to do, owned partitions lost', async () => {
    const fatal: KafkaAdapterError[] = [];
    const s = setup({ onFatal: (e) => fatal.push(e) });
    await joinWith(s, 1, [tps(T1, 0)]);
    (await s.fake.next()).answer({ memberEpoch: 1, heartbeatIntervalMs: 5 });
    (await s.fake.next()).answer({ errorCode: 35, memberEpoch: -1 });
    await expect.poll(() => fatal.length).toBe(1);
    expect(fatal[0].code).toBe('unsupported-version');
    expect(fatal[0].message).toMatch(/Kafka 4\.0\+.*kafkajs source/);
    await expect.poll(() => s.calls.at(-1)).toEqual({ kind: 'revoke', partitions: ['events:0'], lost: true, reason: 'lost' });
  });

  it('start() rejects with join-failed (retriable) when no heartbeat is answered within joinTimeoutMs', async () => {
    const s = setup({ joinTimeoutMs: 150 });
    const started = s.member.start();
    const failing = (async () => {
      for (;;) (await s.fake.next()).fail(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    })();
    void failing;
    const e = await started.catch((x: unknown) => x);
    expect((e as KafkaAdapterError).code).toBe('join-failed');
    expect((e as KafkaAdapterError).retriable).toBe(true);
    expect((e as Error).message).toContain('ECONNREFUSED');
    const n = s.fake.all.length;
    expect(n).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.fake.all.length).toBe(n); // stopped trying
  });
});

describe('createLeanGroupMember: stop', () => {
  it('revokes everything (onRevoke stop, awaited), then leaves with epoch -1; resolves after the leave answer', async () => {
    const s = setup();
    await joinWith(s, 5, [tps(T1, 0, 1)]);
    (await s.fake.next()).answer({ memberEpoch: 5, heartbeatIntervalMs: 60_000 });
    const hold = deferred();
    s.gates.revoke = hold.promise;
    let stopped = false;
    const stopping = s.member.stop().then(() => (stopped = true));
    await expect.poll(() => s.calls.length).toBe(2);
    expect(s.calls[1]).toEqual({ kind: 'revoke', partitions: ['events:0', 'events:1'], lost: false, reason: 'stop' });
    expect(s.starts).toEqual([{ partitions: ['events:0', 'events:1'], reason: 'stop' }]);
    expect(s.fake.hasPending()).toBe(false);
    hold.resolve();
    const bye = await s.fake.next();
    expect(bye.request.memberEpoch).toBe(-1);
    expect(bye.request.memberId).toBe(s.member.memberId);
    await Promise.resolve();
    expect(stopped).toBe(false);
    bye.answer({ memberEpoch: -1 });
    await stopping;
    expect(s.member.owned()).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.fake.all.at(-1)!.memberEpoch).toBe(-1); // nothing after the leave
  });
});

describe('createLeanGroupMember: stop while joining', () => {
  it('stop() during the join heartbeat: start() rejects (closed), the join answer is awaited and the member leaves at once (no lingering member)', async () => {
    const s = setup();
    const started = s.member.start();
    const join = await s.fake.next();
    const stopping = s.member.stop();
    await expect(started).rejects.toMatchObject({ code: 'closed' });
    join.answer({ memberEpoch: 1, assignment: [tps(T1, 0)] });
    const bye = await s.fake.next();
    expect(bye.request.memberEpoch).toBe(-1);
    bye.answer({ memberEpoch: -1 });
    await stopping;
    expect(s.calls).toEqual([]); // the assignment that came with the join answer is not taken
  });

  it('stop() before start(): nothing is sent', async () => {
    const s = setup();
    await s.member.stop();
    expect(s.fake.all).toEqual([]);
  });
});

describe('createLeanGroupMember: offsets', () => {
  it('commit sends the member id and current epoch; STALE_MEMBER_EPOCH is retried with the epoch then current', async () => {
    const s = setup();
    await joinWith(s, 7, []);
    s.fake.commitAnswers.push(() => 113);
    await s.member.commit([{ topic: 'events', partition: 0, offset: '12345678901234' }]);
    expect(s.fake.commits).toHaveLength(2);
    expect(s.fake.commits[1]).toMatchObject({ memberId: s.member.memberId, epoch: 7 });
    expect(s.fake.commits[1].offsets[0].offset).toBe('12345678901234');
  });

  it('commit: UNKNOWN_MEMBER_ID is a retriable commit-fenced, an authorisation failure a final commit-refused, a bad offset bad-offset', async () => {
    const s = setup();
    await joinWith(s, 7, []);
    s.fake.commitAnswers.push(() => 25);
    await expect(s.member.commit([{ topic: 'events', partition: 0, offset: '1' }])).rejects.toMatchObject({ code: 'commit-fenced', retriable: true });
    s.fake.commitAnswers.push(() => 29);
    await expect(s.member.commit([{ topic: 'events', partition: 0, offset: '1' }])).rejects.toMatchObject({ code: 'commit-refused', retriable: false });
    await expect(s.member.commit([{ topic: 'events', partition: 0, offset: '-1' }])).rejects.toMatchObject({ code: 'bad-offset' });
    expect(s.fake.commits).toHaveLength(2);
  });

  it('commit before the member joined: commit-fenced (retriable), nothing sent; commitAsNonMember sends epoch -1 and an empty member id', async () => {
    const s = setup();
    await expect(s.member.commit([{ topic: 'events', partition: 0, offset: '1' }])).rejects.toMatchObject({ code: 'commit-fenced', retriable: true });
    expect(s.fake.commits).toHaveLength(0);
    await s.member.commitAsNonMember([{ topic: 'events', partition: 0, offset: '9' }]);
    expect(s.fake.commits[0]).toMatchObject({ memberId: '', epoch: -1 });
  });

  it('committed: the next offset as a string, null where none (-1), in the order asked; UNSTABLE_OFFSET_COMMIT retried', async () => {
    const s = setup();
    await joinWith(s, 3, []);
    s.fake.fetchAnswers.push(() => ({ errorCode: 0, partitions: [{ topic: 'events', partition: 1, offset: -1n, leaderEpoch: -1, errorCode: 88 }] }));
    s.fake.fetchAnswers.push(() => ({
      errorCode: 0,
      partitions: [
        { topic: 'events', partition: 1, offset: 9007199254740993n, leaderEpoch: 4, errorCode: 0 },
        { topic: 'events', partition: 0, offset: -1n, leaderEpoch: -1, errorCode: 0 },
      ],
    }));
    const got = await s.member.committed([
      { topic: 'events', partition: 0 },
      { topic: 'events', partition: 1 },
    ]);
    expect(got).toEqual([
      { topic: 'events', partition: 0, offset: null, leaderEpoch: -1 },
      { topic: 'events', partition: 1, offset: '9007199254740993', leaderEpoch: 4 },
    ]);
    expect(s.fake.fetches).toEqual([
      { memberId: s.member.memberId, epoch: 3 },
      { memberId: s.member.memberId, epoch: 3 },
    ]);
  });
});

describe('leanGroupCoordinator (requests as sent, on a fake broker registry)', () => {
  /** A registry whose requests are captured (payload bytes) and answered by `answer`. */
  function fakeBrokers(answer: (apiKey: number) => unknown) {
    const sent: { apiKey: number; version: number; bytes: Buffer }[] = [];
    let forgotten = 0;
    const brokers = {
      coordinator: async () => ({}) as never,
      forgetCoordinator: () => {
        forgotten++;
      },
      request: async (_c: unknown, apiKey: number, version: number, payload: { buffer: Buffer }) => {
        sent.push({ apiKey, version, bytes: Buffer.from(payload.buffer) });
        return answer(apiKey);
      },
      topicName: (id: string) => (id === T1 ? 'events' : undefined),
      metadata: async () => ({ brokers: new Map(), topics: new Map() }),
    } as unknown as LeanBrokers;
    return { brokers, sent, forgotten: () => forgotten };
  }
  const hbAnswer = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId: 'm', memberEpoch: 2, heartbeatIntervalMs: 5000, assignment: { topicPartitions: [{ topicId: T1, partitions: [0] }] } };
  const req = (topicPartitions: LeanHeartbeatRequest['topicPartitions']): LeanHeartbeatRequest => ({
    memberId: 'm',
    memberEpoch: 2,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    serverAssignor: null,
    topicPartitions,
  });

  it('ConsumerGroupHeartbeat v1: null TopicPartitions goes out as a null array, [] as an empty one (KIP-848: unchanged vs owns nothing); the answer is mapped', async () => {
    const f = fakeBrokers(() => hbAnswer);
    const c = leanGroupCoordinator(f.brokers, 'g');
    const r = await c.heartbeat(req(null));
    await c.heartbeat(req([]));
    await c.heartbeat(req([tps(T1, 3)]));
    expect(f.sent.map((s) => [s.apiKey, s.version])).toEqual([
      [68, 1],
      [68, 1],
      [68, 1],
    ]);
    // ... server_assignor (null: 0x00), topic_partitions, request tagged fields (0x00)
    expect([...f.sent[0].bytes.subarray(-3)]).toEqual([0x00, 0x00, 0x00]); // null array = length 0 in compact form
    expect([...f.sent[1].bytes.subarray(-3)]).toEqual([0x00, 0x01, 0x00]); // empty array = length 0 + 1
    // one topic: length 2, the 16-byte uuid, partitions [3] (length 2, int32 3), entry tagged fields, request tagged fields
    const one = f.sent[2].bytes;
    expect([...one.subarray(-(1 + 16 + 1 + 4 + 1 + 1))]).toEqual([0x02, ...Buffer.from(T1.replaceAll('-', ''), 'hex'), 0x02, 0, 0, 0, 3, 0x00, 0x00]);
    expect(r).toEqual({ errorCode: 0, errorMessage: null, memberId: 'm', memberEpoch: 2, heartbeatIntervalMs: 5000, assignment: [{ topicId: T1, partitions: [0] }] });
  });

  it('a failed request makes the registry forget the coordinator; topicNames asks the metadata only for unknown ids', async () => {
    let fail = true;
    const f = fakeBrokers(() => {
      if (fail) throw new Error('socket closed');
      return hbAnswer;
    });
    const c = leanGroupCoordinator(f.brokers, 'g');
    await expect(c.heartbeat(req(null))).rejects.toThrow('socket closed');
    expect(f.forgotten()).toBe(1);
    fail = false;
    await c.heartbeat(req(null));
    expect(f.forgotten()).toBe(1);
    expect(await c.topicNames([T1], ['events'])).toEqual(new Map([[T1, 'events']]));
    expect(await c.topicNames([T2], ['events'])).toEqual(new Map());
  });

  it('OffsetCommit v9 / OffsetFetch v9: offsets as int64 per topic, per-partition codes and -1 offsets passed back', async () => {
    const f = fakeBrokers((apiKey) =>
      apiKey === 8
        ? { throttleTimeMs: 0, topics: [{ name: 'events', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 5, errorCode: 113 }] }] }
        : { throttleTimeMs: 0, groups: [{ groupId: 'g', errorCode: 0, topics: [{ name: 'events', partitions: [{ partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: null, errorCode: 0 }] }] }] },
    );
    const c = leanGroupCoordinator(f.brokers, 'g');
    const answers = await c.commitOffsets('m', 4, [
      { topic: 'events', partition: 0, offset: '9223372036854775807' },
      { topic: 'events', partition: 5, offset: '1' },
    ]);
    expect(answers).toEqual([
      { topic: 'events', partition: 0, errorCode: 0 },
      { topic: 'events', partition: 5, errorCode: 113 },
    ]);
    expect([f.sent[0].apiKey, f.sent[0].version]).toEqual([8, 9]);
    expect(f.sent[0].bytes.includes(Buffer.from('7fffffffffffffff', 'hex'))).toBe(true); // int64 max, exact
    const fetched = await c.fetchOffsets('m', 4, [{ topic: 'events', partition: 0 }]);
    expect([f.sent[1].apiKey, f.sent[1].version]).toEqual([9, 9]);
    expect(fetched).toEqual({ errorCode: 0, partitions: [{ topic: 'events', partition: 0, offset: -1n, leaderEpoch: -1, errorCode: 0 }] });
  });
});
