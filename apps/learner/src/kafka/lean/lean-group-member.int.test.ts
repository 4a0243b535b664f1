/**
 * Lean consumer group members (KIP-848 `consumer` protocol) on the real broker (KAFKA_BROKERS), a
 * 4-partition topic and a fresh group per test: one member gets every partition; a second one joins
 * and they split them, no partition ever owned by both (a partition's onAssign never runs while
 * another member's onRevoke of it has not finished); the second leaves and the first gets all back;
 * commit → committed round-trips; a member whose heartbeats stop is fenced by the broker (after
 * group.consumer.session.timeout.ms, 45 s, which is also the broker's minimum, so that test takes
 * about 50 s), loses its partitions and rejoins. Waits are on the members' callbacks, each bounded by `within`.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique, within } from '../int-test-support.js';
import { resolveKafkaConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';
import { ensureTopics } from '../topics.js';
import { createLeanBrokers, type LeanBrokers } from './lean-brokers.js';
import { createLeanGroupMember, leanGroupCoordinator, type LeanGroupCoordinator, type LeanGroupMember, type LeanRevokeReason } from './lean-group-member.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const config = () => resolveKafkaConfig({ brokers: requireBrokers(), logLevel: 'error' }, {});
let admin: Admin;
const registries: LeanBrokers[] = [];

beforeAll(async () => {
  admin = testKafka('lean-member-int').admin();
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(registries.map((b) => b.close()));
  await admin?.disconnect();
});

/** Who owns which partition, as the members' callbacks say; checks that no partition is handed to a member while another one holds it. */
function ownership() {
  const owner = new Map<number, string>();
  const violations: string[] = [];
  const log: string[] = [];
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...watchers]) w();
  };
  return {
    owner,
    violations,
    log,
    /** Re-checks the waits (for conditions outside the callbacks). */
    poke: notify,
    of: (name: string): number[] => [...owner].filter(([, n]) => n === name).map(([p]) => p).sort(),
    assign(name: string, partitions: number[]): void {
      for (const p of partitions) {
        const o = owner.get(p);
        if (o !== undefined && o !== name) violations.push(`${name} got partition ${p} while ${o} still held it`);
        owner.set(p, name);
      }
      log.push(`${name} +${partitions.join(',')}`);
      notify();
    },
    release(name: string, partitions: number[], reason: LeanRevokeReason): void {
      for (const p of partitions) if (owner.get(p) === name) owner.delete(p);
      log.push(`${name} -${partitions.join(',')} (${reason})`);
      notify();
    },
    /** Resolves once `pred` holds (checked now and after every callback), or fails after `ms`. */
    until(pred: () => boolean, ms: number, what: string): Promise<void> {
      return within(
        new Promise<void>((resolve) => {
          const check = (): void => {
            if (pred()) {
              watchers.delete(check);
              resolve();
            }
          };
          watchers.add(check);
          check();
        }),
        ms,
        () => `${what} (ownership: ${JSON.stringify([...owner])}; events: ${log.join(' | ')})`,
      );
    },
  };
}

interface MemberOptions {
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
  readonly own: ReturnType<typeof ownership>;
  readonly wrap?: (c: LeanGroupCoordinator) => LeanGroupCoordinator;
  readonly lost?: string[];
}

/** A member whose callbacks record into `own`; onRevoke takes 150 ms (a batch being finished) before it releases. */
function member(m: MemberOptions): LeanGroupMember {
  const brokers = createLeanBrokers(config(), `lean-member-${m.name}`, quiet);
  registries.push(brokers);
  const base = leanGroupCoordinator(brokers, m.groupId);
  return createLeanGroupMember({
    groupId: m.groupId,
    topics: [m.topic],
    logger: quiet,
    coordinator: m.wrap === undefined ? base : m.wrap(base),
    onAssign: (ps) => m.own.assign(m.name, ps.map((p) => p.partition)),
    onRevoke: async (ps, lost, reason) => {
      if (lost) m.lost?.push(`${m.name}: ${ps.map((p) => p.partition).join(',')}`);
      await new Promise((r) => setTimeout(r, 150)); // finishing the batch in flight
      m.own.release(m.name, ps.map((p) => p.partition), reason);
    },
  });
}

describe('createLeanGroupMember (real broker, consumer group protocol)', () => {
  it('one member gets all 4 partitions; commit then committed round-trips (null before any commit); stop leaves the group empty', async () => {
    const topic = unique('lean-member');
    const groupId = unique('lean-group');
    await ensureTopics(admin, { topics: [topic], partitions: 4 });
    const own = ownership();
    const a = member({ name: 'a', groupId, topic, own });
    await a.start();
    expect(a.memberEpoch).toBeGreaterThan(0);
    await own.until(() => own.of('a').length === 4, 30_000, 'a owns all 4 partitions');
    await new Promise((r) => setImmediate(r)); // the member records them as owned right after onAssign returns
    expect(a.owned()).toEqual([0, 1, 2, 3].map((partition) => ({ topic, partition })));

    const tps = [0, 1, 2, 3].map((partition) => ({ topic, partition }));
    expect((await a.committed(tps)).map((c) => c.offset)).toEqual([null, null, null, null]);
    await a.commit([
      { topic, partition: 0, offset: '17' },
      { topic, partition: 2, offset: '9007199254740993' },
    ]);
    const got = await a.committed(tps);
    expect(got.map((c) => c.offset)).toEqual(['17', null, '9007199254740993', null]);
    // kafkajs (the classic admin API) reads the same offsets
    const kjs = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(kjs[0].partitions.sort((x, y) => x.partition - y.partition).map((p) => p.offset)).toEqual(['17', '-1', '9007199254740993', '-1']);

    await a.stop();
    expect(own.of('a')).toEqual([]);
    expect(own.log.at(-1)).toBe('a -0,1,2,3 (stop)');
    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0].members).toEqual([]);
    // the group is empty now: a commit without membership is accepted
    await a.commitAsNonMember([{ topic, partition: 1, offset: '5' }]);
    const after = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(after[0].partitions.find((p) => p.partition === 1)!.offset).toBe('5');
  });

  it('commitAsNonMember while the group has a member: refused with a retriable commit-fenced', async () => {
    const topic = unique('lean-member');
    const groupId = unique('lean-group');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    const own = ownership();
    const a = member({ name: 'a', groupId, topic, own });
    const outsider = member({ name: 'outsider', groupId, topic, own });
    await a.start();
    await own.until(() => own.of('a').length === 1, 30_000, 'a owns the partition');
    await expect(outsider.commitAsNonMember([{ topic, partition: 0, offset: '3' }])).rejects.toMatchObject({ code: 'commit-fenced', retriable: true });
    await a.stop();
  });

  it('a second member joins: the partitions split 2/2 with no partition owned by both at any moment; it leaves and the first gets all 4 back', async () => {
    const topic = unique('lean-member');
    const groupId = unique('lean-group');
    await ensureTopics(admin, { topics: [topic], partitions: 4 });
    const own = ownership();
    const a = member({ name: 'a', groupId, topic, own });
    const b = member({ name: 'b', groupId, topic, own });
    await a.start();
    await own.until(() => own.of('a').length === 4, 30_000, 'a owns all 4 partitions');
    await b.start();
    await own.until(() => own.of('a').length === 2 && own.of('b').length === 2, 60_000, 'a and b own 2 partitions each');
    expect([...own.of('a'), ...own.of('b')].sort()).toEqual([0, 1, 2, 3]);
    await b.stop();
    await own.until(() => own.of('a').length === 4, 60_000, 'a owns all 4 partitions again');
    expect(own.violations).toEqual([]);
    // b's partitions went to a only after b's onRevoke (150 ms) had finished
    const bStop = own.log.findIndex((e) => e.startsWith('b -') && e.endsWith('(stop)'));
    const aBack = own.log.findIndex((e, i) => i > bStop && e.startsWith('a +'));
    expect(bStop).toBeGreaterThan(0);
    expect(aBack).toBeGreaterThan(bStop);
    await a.stop();
  });

  it('a member whose heartbeats stop is fenced by the broker (session timeout), its partitions go to the other member, and it loses them and rejoins', async () => {
    const topic = unique('lean-member');
    const groupId = unique('lean-group');
    await ensureTopics(admin, { topics: [topic], partitions: 4 });
    const own = ownership();
    const lost: string[] = [];
    const joins: number[] = [];
    const refusals: number[] = [];
    let paused = false;
    const a = member({ name: 'a', groupId, topic, own });
    const b = member({
      name: 'b',
      groupId,
      topic,
      own,
      lost,
      wrap: (c) => ({
        ...c,
        heartbeat: async (r) => {
          if (paused) throw new Error('heartbeat blocked by the test');
          const answer = await c.heartbeat(r);
          if (r.memberEpoch === 0 && answer.errorCode === 0) joins.push(answer.memberEpoch);
          if (r.memberEpoch > 0 && answer.errorCode !== 0) refusals.push(answer.errorCode);
          own.poke();
          return answer;
        },
      }),
    });
    await b.start();
    await own.until(() => own.of('b').length === 4, 30_000, 'b owns all 4 partitions');
    paused = true;
    const t0 = Date.now();
    // a joins; b, silent, does not give anything up (a zombie): a gets the partitions once the broker fenced b
    await a.start();
    await own.until(() => own.of('a').length === 4, 75_000, 'a owns all 4 partitions after b was fenced');
    const fencedAfterMs = Date.now() - t0;
    expect(fencedAfterMs).toBeGreaterThan(30_000); // the broker's session timeout (45 s by default), not a rebalance of ours
    expect(lost).toEqual([]);
    paused = false;
    // b's next heartbeat learns that it was fenced: it loses its partitions and rejoins with epoch 0
    await own.until(() => lost.length === 1 && own.of('b').length === 0, 30_000, 'b lost its partitions');
    expect(lost[0]).toBe('b: 0,1,2,3');
    await own.until(() => joins.length === 2, 30_000, 'b rejoined');
    expect([25, 110]).toContain(refusals[0]); // UNKNOWN_MEMBER_ID (the broker removed b) or FENCED_MEMBER_EPOCH
    expect(joins[1]).toBeGreaterThan(0);
    expect(b.memberEpoch).toBeGreaterThan(0);
    await Promise.all([a.stop(), b.stop()]);
  }, 180_000);
});
