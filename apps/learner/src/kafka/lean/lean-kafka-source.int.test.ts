/**
 * createLeanKafkaSource on the real broker (KAFKA_BROKERS), a fresh topic and group per test:
 * everything kafkajs reads (plain, gzip, committed and aborted transactions) delivered exactly once in
 * offset order, in slices of maxMessagesPerCall, with the high watermark; restarts continue at the
 * committed offsets (or at the beginning / end without commits); two sources in one group under
 * continuous production split the partitions with no partition ever delivered by both at once (the
 * old owner's last call and onRevoking flush finish first), no message lost and duplicates only where
 * a commit was refused; seek from inside the handler; pause; a failing handler; commitAfterLeaving;
 * OFFSET_OUT_OF_RANGE after deleteRecords; an assignment while the committed offsets cannot be read.
 * Waits are on the sources' callbacks (each bounded by `within`); the only fixed windows are the
 * "nothing more arrives" checks after pause and failure.
 */
import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
import { CompressionTypes, type Admin, type Kafka, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommitOffset, InputBatch } from '../../io/types.js';
import { readAll, requireBrokers, testKafka, unique, within } from '../int-test-support.js';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { resolveKafkaConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';
import { ensureTopics } from '../topics.js';
import { createLeanKafkaSource, type LeanKafkaSource, type LeanKafkaSourceOptions } from './lean-kafka-source.js';
import type { LeanMessage } from './record-batch-reader.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const config = () => resolveKafkaConfig({ brokers: requireBrokers(), clientId: 'lean-source-int', logLevel: 'error' }, {});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const sources: LeanKafkaSource[] = [];

beforeAll(async () => {
  kafka = testKafka('lean-source-int');
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop().catch(() => {})));
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

/** A lean source on the test broker, stopped after the test. */
function source(o: Omit<LeanKafkaSourceOptions, 'config'>): LeanKafkaSource {
  const s = createLeanKafkaSource({ config: config(), maxWaitTimeMs: 100, logger: quiet, ...o });
  sources.push(s);
  return s;
}

/** Conditions re-checked whenever something happens (a delivery, a callback), each wait bounded. */
function signal() {
  const waiters = new Set<() => void>();
  return {
    notify(): void {
      for (const w of [...waiters]) w();
    },
    until(cond: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
      let check: () => void = () => {};
      const p = new Promise<void>((resolve) => {
        check = () => {
          if (cond()) {
            waiters.delete(check);
            resolve();
          }
        };
      });
      waiters.add(check);
      check();
      return within(p, ms, what).finally(() => waiters.delete(check));
    },
  };
}

/** A logger that keeps warnings and errors (and tells `onLog`). */
function capturing(onLog: () => void = () => {}) {
  const lines: { level: string; msg: string; obj: unknown }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, msg: msg ?? '', obj });
      onLog();
    };
  const logger: StructuredLogger = { error: at('error'), warn: at('warn'), info: () => {}, debug: () => {} };
  return { logger, lines };
}

/** Produces `n` messages to `partition`: value `${prefix}-${i}`. */
async function produceTo(topic: string, partition: number, n: number, prefix = 'm'): Promise<void> {
  await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ partition, key: `k${i % 5}`, value: `${prefix}-${i}` })) });
}

const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));
const next = (b: InputBatch): string => String(Number(b.messages[b.messages.length - 1].offset) + 1);
const offsets = (b: InputBatch): number[] => b.messages.map((m) => Number(m.offset));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('createLeanKafkaSource (real broker)', () => {
  it('delivers every committed message exactly once, per partition in offset order, as kafkajs reads it (gzip, transactions), in slices of maxMessagesPerCall, with the high watermark', async () => {
    const topic = unique('lean-src-all');
    await ensureTopics(admin, { topics: [topic], partitions: 3 });
    for (let c = 0; c < 30; c++) {
      const messages = Array.from({ length: 100 }, (_, j) => {
        const i = c * 100 + j;
        return { partition: i % 3, key: i % 7 === 0 ? null : `k${i}`, value: `v${i}-${'x'.repeat(i % 90)}` };
      });
      await producer.send({ topic, acks: -1, messages, compression: c % 3 === 0 ? CompressionTypes.GZIP : CompressionTypes.None });
    }
    const tx = kafka.producer({ transactionalId: unique('lean-src-tx'), idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const committedTx = await tx.transaction();
    await committedTx.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: `c${i}`, value: `committed-${i}` })) });
    await committedTx.commit();
    const abortedTx = await tx.transaction();
    await abortedTx.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: `a${i}`, value: `aborted-${i}` })) });
    await abortedTx.abort();
    await tx.disconnect();
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: `t${i}`, value: `tail-${i}` })) });
    const n = 3000 + 30 + 30;

    const expected = new Map<string, { key: string | null; value: string | null; timestamp: number }>();
    for (const { partition, message: m } of await readAll(kafka, topic, n)) {
      expected.set(`${partition}:${m.offset}`, { key: hex(m.key ?? null), value: hex(m.value), timestamp: Number(m.timestamp) });
    }
    expect(expected.size).toBe(n);
    expect([...expected.values()].some((r) => r.value === hex(Buffer.from('aborted-0')))).toBe(false);

    const got = new Map<string, { key: string | null; value: string | null; timestamp: number }>();
    const repeats: string[] = [];
    const order: string[] = [];
    const lastOffset = new Map<number, number>();
    const sizes: number[] = [];
    const badWatermarks: string[] = [];
    let sentinels = 0;
    const changed = signal();
    const s = source({ topics: [topic], groupId: unique('g-lean-all'), maxMessagesPerCall: 70, maxBytesPerPartition: 16_384 });
    await within(
      s.start(async (b) => {
        sizes.push(b.messages.length);
        const hw = b.highWatermark;
        const last = Number(b.messages[b.messages.length - 1].offset);
        if (hw === undefined || !/^\d+$/.test(hw) || Number(hw) <= last) badWatermarks.push(`${b.partition}@${last}: ${hw}`);
        for (const m of b.messages) {
          if (m.topic !== topic || m.partition !== b.partition) order.push(`message ${m.topic}[${m.partition}] in a batch of ${b.topic}[${b.partition}]`);
          const o = Number(m.offset);
          if (o <= (lastOffset.get(b.partition) ?? -1)) order.push(`${b.partition}: ${o} after ${lastOffset.get(b.partition)}`);
          lastOffset.set(b.partition, o);
          if (m.value?.toString() === 'sentinel') {
            sentinels++;
            continue;
          }
          const k = `${b.partition}:${m.offset}`;
          if (got.has(k)) repeats.push(k);
          got.set(k, { key: hex(m.key), value: hex(m.value), timestamp: m.timestamp });
        }
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => got.size >= n, 30_000, () => `all ${n} committed messages (got ${got.size})`);
    // One more message per partition: once each is there, anything delivered twice would have shown.
    await producer.send({ topic, acks: -1, messages: range(0, 3).map((partition) => ({ partition, value: 'sentinel' })) });
    await changed.until(() => sentinels >= 3, 30_000, () => `the sentinels (got ${sentinels})`);
    await within(s.stop(), 15_000, 'stop');

    expect(repeats).toEqual([]);
    expect(order).toEqual([]);
    expect(badWatermarks).toEqual([]);
    expect(got.size).toBe(n);
    for (const [k, row] of expected) expect(got.get(k), k).toEqual(row);
    expect(Math.max(...sizes)).toBe(70);
    expect(sizes.every((x) => x >= 1 && x <= 70)).toBe(true);
  });

  it('commit, stop, a new source in the group: continues exactly at the committed offsets', async () => {
    const topic = unique('lean-src-restart');
    const groupId = unique('g-lean-restart');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    await produceTo(topic, 0, 120);
    await produceTo(topic, 1, 80);
    const changed = signal();
    const first = new Map<number, number[]>([
      [0, []],
      [1, []],
    ]);
    const s1 = source({ topics: [topic], groupId, maxMessagesPerCall: 25 });
    await within(
      s1.start(async (b) => {
        first.get(b.partition)!.push(...offsets(b));
        changed.notify();
      }),
      30_000,
      'the first source to join',
    );
    await changed.until(() => first.get(0)!.length === 120 && first.get(1)!.length === 80, 30_000, 'everything delivered');
    expect(first.get(0)).toEqual(range(0, 120));
    expect(first.get(1)).toEqual(range(0, 80));
    const commits: CommitOffset[] = [
      { topic, partition: 0, offset: '37' },
      { topic, partition: 1, offset: '61' },
    ];
    await s1.commit(commits);
    await within(s1.stop(), 15_000, 'the first source to stop');

    const second = new Map<number, number[]>([
      [0, []],
      [1, []],
    ]);
    const s2 = source({ topics: [topic], groupId, fromBeginning: true });
    await within(
      s2.start(async (b) => {
        second.get(b.partition)!.push(...offsets(b));
        changed.notify();
      }),
      30_000,
      'the second source to join',
    );
    await changed.until(() => second.get(0)!.length >= 120 - 37 && second.get(1)!.length >= 80 - 61, 30_000, 'the rest delivered');
    // A message after the rest on each partition: nothing before the committed offset came meanwhile.
    await produceTo(topic, 0, 1, 'after');
    await produceTo(topic, 1, 1, 'after');
    await changed.until(() => second.get(0)!.length >= 120 - 37 + 1 && second.get(1)!.length >= 80 - 61 + 1, 30_000, 'the messages after');
    expect(second.get(0)).toEqual(range(37, 121));
    expect(second.get(1)).toEqual(range(61, 81));
  });

  it('a group without commits starts at the beginning (fromBeginning true) or at the end (false)', async () => {
    const topic = unique('lean-src-reset');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    await produceTo(topic, 0, 30);
    await produceTo(topic, 1, 20);
    const changed = signal();
    const seen = { begin: [] as string[], end: [] as string[] };
    const begin = source({ topics: [topic], groupId: unique('g-lean-begin'), fromBeginning: true });
    const end = source({ topics: [topic], groupId: unique('g-lean-end'), fromBeginning: false });
    await within(
      Promise.all([
        begin.start(async (b) => {
          for (const m of b.messages) seen.begin.push(`${b.partition}:${m.offset}:${m.value}`);
          changed.notify();
        }),
        // start() resolves once the partitions are assigned, and their start positions are known by then.
        end.start(async (b) => {
          for (const m of b.messages) seen.end.push(`${b.partition}:${m.offset}:${m.value}`);
          changed.notify();
        }),
      ]),
      30_000,
      'both sources to join',
    );
    await produceTo(topic, 0, 2, 'late');
    await produceTo(topic, 1, 2, 'late');
    await changed.until(() => seen.begin.length >= 54 && seen.end.length >= 4, 30_000, () => `deliveries (begin ${seen.begin.length}, end ${seen.end.length})`);
    expect(seen.end.sort()).toEqual(['0:30:late-0', '0:31:late-1', '1:20:late-0', '1:21:late-1']);
    expect(seen.begin.length).toBe(54);
    expect(seen.begin.filter((x) => x.startsWith('0:')).map((x) => Number(x.split(':')[1]))).toEqual(range(0, 32));
    expect(seen.begin.filter((x) => x.startsWith('1:')).map((x) => Number(x.split(':')[1]))).toEqual(range(0, 22));
  });

  it('two sources in one group under continuous production: partitions split and move back, never delivered by both at once, nothing lost, duplicates only where a commit was refused', async () => {
    const topic = unique('lean-src-pair');
    const groupId = unique('g-lean-pair');
    const P = 4;
    await ensureTopics(admin, { topics: [topic], partitions: P });
    let producing = true;
    let produced = 0;
    const production = (async () => {
      for (let i = 0; producing; i++) {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 8 }, (_, j) => ({ partition: (i + j) % P, value: `p-${i}-${j}` })) });
        produced += 8;
        await sleep(15);
      }
    })();

    // One event log for both sources, in the order things happened (JavaScript runs one thing at a time).
    type Ev = { who: 'A' | 'B'; what: 'start' | 'end' | 'flush-start' | 'flush-end' | 'assigned'; partition?: number; partitions?: number[] };
    const events: Ev[] = [];
    const delivered = new Map<number, number[]>();
    const byWho = { A: new Map<number, number[]>(), B: new Map<number, number[]>() };
    const owns = { A: [] as number[], B: [] as number[] };
    const refused: { who: string; partition: number; offsets: number[]; err: string }[] = [];
    const flushProblems: string[] = [];
    const inCall = { A: false, B: false };
    const changed = signal();
    const make = (who: 'A' | 'B'): LeanKafkaSource => {
      const s = source({
        topics: [topic],
        groupId,
        maxMessagesPerCall: 20,
        onAssignment: (a) => {
          owns[who] = [...(a[topic] ?? [])];
          events.push({ who, what: 'assigned', partitions: owns[who] });
          changed.notify();
        },
      });
      s.onRevoking(async () => {
        events.push({ who, what: 'flush-start' });
        if (inCall[who]) flushProblems.push(`${who}: flush while a handler call is in flight`);
        // The service's snapshot work, then a commit of the position (the handler committed it already).
        await sleep(300);
        const position: CommitOffset[] = [...byWho[who]].filter(([, os]) => os.length > 0).map(([partition, os]) => ({ topic, partition, offset: String(os[os.length - 1] + 1) }));
        await s.commit(position).catch((e: unknown) => flushProblems.push(`${who}: the flush's commit failed: ${(e as Error).message}`));
        events.push({ who, what: 'flush-end' });
      });
      return s;
    };
    /** Set to have A's next call stop A (not awaited): stop() then comes while a call is in flight. */
    let stopAInCall = false;
    let aStopping: Promise<void> | null = null;
    let stopAt = 0;
    const handler = (who: 'A' | 'B', s: LeanKafkaSource) => async (b: InputBatch) => {
      inCall[who] = true;
      events.push({ who, what: 'start', partition: b.partition });
      if (who === 'A' && stopAInCall && aStopping === null) {
        stopAt = Date.now();
        aStopping = s.stop();
      }
      const os = offsets(b);
      for (const m of [delivered, byWho[who]]) m.set(b.partition, [...(m.get(b.partition) ?? []), ...os]);
      await sleep(5); // some work, so that calls are in flight when things happen
      try {
        await s.commit([{ topic, partition: b.partition, offset: next(b) }]);
      } catch (e) {
        refused.push({ who, partition: b.partition, offsets: os, err: (e as Error).message });
      }
      events.push({ who, what: 'end', partition: b.partition });
      inCall[who] = false;
      changed.notify();
    };

    const a = make('A');
    await within(a.start(handler('A', a)), 30_000, 'A to join');
    await changed.until(() => owns.A.length === P && [...byWho.A.values()].reduce((x, os) => x + os.length, 0) >= 200, 30_000, 'A to deliver 200 messages');

    const b = make('B');
    const bJoined = Date.now();
    await within(b.start(handler('B', b)), 30_000, 'B to join (it gets partitions once A released them)');
    await changed.until(() => owns.A.length === P / 2 && owns.B.length === P / 2, 30_000, () => `the split (A ${owns.A}, B ${owns.B})`);
    const splitMs = Date.now() - bJoined;
    await changed.until(() => owns.B.every((p) => (byWho.B.get(p)?.length ?? 0) >= 20), 30_000, 'B to deliver on its partitions');
    const aKept = [...owns.A];
    const aMark = new Map(aKept.map((p) => [p, byWho.A.get(p)!.length]));
    await changed.until(() => aKept.every((p) => byWho.A.get(p)!.length >= aMark.get(p)! + 20), 30_000, 'A to go on delivering its half');

    stopAInCall = true;
    await changed.until(() => aStopping !== null, 30_000, 'a call of A that stops A');
    await within(aStopping!, 15_000, 'A to stop');
    await changed.until(() => owns.B.length === P, 30_000, () => `B to get A's partitions (B ${owns.B})`);
    const takeoverMs = Date.now() - stopAt;
    await changed.until(() => aKept.every((p) => (byWho.B.get(p)?.length ?? 0) >= 20), 30_000, 'B to deliver on the partitions A had');

    producing = false;
    await production;
    const high = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
    expect([...high.values()].reduce((x, y) => x + y, 0)).toBe(produced);
    const covered = (p: number): boolean => new Set(delivered.get(p) ?? []).size === high.get(p);
    await changed.until(() => range(0, P).every(covered), 30_000, () => `everything delivered (${range(0, P).map((p) => `${p}: ${new Set(delivered.get(p)).size}/${high.get(p)}`)})`);
    await within(b.stop(), 15_000, 'B to stop');

    // Moves: both halves of the group, and B took A's partitions within a heartbeat interval or two (the session timeout is 45 s).
    expect(splitMs).toBeLessThan(15_000);
    expect(takeoverMs).toBeLessThan(15_000);
    expect(flushProblems).toEqual([]);
    // A flushed once, for the split (not at its stop); its flush held A's deliveries.
    const flushes = events.filter((e) => e.who === 'A' && e.what === 'flush-start').length;
    expect(flushes).toBe(1);
    const fs = events.findIndex((e) => e.who === 'A' && e.what === 'flush-start');
    const fe = events.findIndex((e) => e.who === 'A' && e.what === 'flush-end');
    expect(events.slice(fs, fe).filter((e) => e.who === 'A' && e.what === 'start')).toEqual([]);
    for (let p = 0; p < P; p++) {
      // Calls of one partition never overlap, whoever makes them.
      const calls = events.filter((e) => (e.what === 'start' || e.what === 'end') && e.partition === p);
      for (let i = 0; i < calls.length; i++) expect(`${p}#${i}:${calls[i].what}`).toBe(`${p}#${i}:${i % 2 === 0 ? 'start' : 'end'}`);
      for (let i = 2; i < calls.length; i += 2) {
        if (calls[i].who === calls[i - 2].who) continue;
        // A change of hands: the old owner's last call ended, its flush (for the split) ended and
        // it announced the partition gone before the new owner's first delivery.
        const firstNew = events.indexOf(calls[i]);
        const lastOld = events.indexOf(calls[i - 1]);
        const old = calls[i - 1].who;
        expect(lastOld).toBeLessThan(firstNew);
        const released = events.findIndex((e, j) => j > lastOld && e.who === old && e.what === 'assigned' && !e.partitions!.includes(p));
        expect(released, `${old} announced ${p} gone`).toBeGreaterThan(-1);
        expect(released).toBeLessThan(firstNew);
        if (old === 'A' && aKept.includes(p)) continue; // moved at A's stop: no flush then
        expect(fe, `partition ${p}: A's flush ended before B's first delivery`).toBeLessThan(firstNew);
      }
      // Every offset up to the end, each source in order; a duplicate only for a batch whose commit was refused.
      const all = delivered.get(p)!;
      expect([...new Set(all)].sort((x, y) => x - y)).toEqual(range(0, high.get(p)!));
      for (const who of ['A', 'B'] as const) {
        const mine = byWho[who].get(p) ?? [];
        expect(mine.every((o, i) => i === 0 || o > mine[i - 1])).toBe(true);
      }
      const dup = all.filter((o, i) => all.indexOf(o) !== i).sort((x, y) => x - y);
      const allowed = refused.filter((r) => r.partition === p).flatMap((r) => r.offsets).sort((x, y) => x - y);
      expect(dup, `duplicates of partition ${p}`).toEqual(allowed);
    }
    // The one refused commit: A's call in flight when it stopped (the source takes no commits once
    // stop() was called), so B delivered that batch again.
    expect(refused.map((r) => r.who)).toEqual(['A']);
    expect(aKept).toContain(refused[0].partition);
    expect(refused[0].err).toMatch(/the Kafka source is stopping/);
  });

  it('stop() while start() still waits for partitions (all held by another member): both settle promptly', async () => {
    const topic = unique('lean-src-wait');
    const groupId = unique('g-lean-wait');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    const a = source({ topics: [topic], groupId });
    await within(
      a.start(async () => {}),
      30_000,
      'A to join',
    );
    const joined = signal();
    let bJoined = false;
    const bLog: StructuredLogger = {
      ...quiet,
      info: (_o: unknown, msg?: string) => {
        if (msg === 'lean consumer group member joined') bJoined = true;
        joined.notify();
      },
    };
    const b = source({ topics: [topic], groupId, logger: bLog });
    let bCalls = 0;
    const starting = b.start(async () => {
      bCalls++;
    });
    starting.catch(() => {});
    // B is a member without partitions: a stop now must not wait for the join timeout (60 s).
    await joined.until(() => bJoined, 30_000, 'B to join the group');
    const t0 = Date.now();
    await within(Promise.allSettled([starting, b.stop()]), 10_000, 'B to start and stop');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(bCalls).toBe(0);
    await produceTo(topic, 0, 3);
    await within(a.stop(), 15_000, 'A to stop');
  });

  it('more members than partitions: the one without partitions starts anyway (empty assignment announced) and takes the partition over when the other stops', async () => {
    const topic = unique('lean-src-spare');
    const groupId = unique('g-lean-spare');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produceTo(topic, 0, 5);
    const progress = signal();
    const a = source({ topics: [topic], groupId });
    const aSeen: number[] = [];
    await within(
      a.start(async (b) => {
        aSeen.push(...offsets(b));
        await a.commit([{ topic, partition: 0, offset: next(b) }]);
        progress.notify();
      }),
      30_000,
      'A to start',
    );
    const bAssignments: number[][] = [];
    const bSeen: number[] = [];
    const b = source({
      topics: [topic],
      groupId,
      firstAssignmentWaitMs: 3000,
      onAssignment: (x) => {
        bAssignments.push([...(x[topic] ?? [])]);
        progress.notify();
      },
    });
    // start() resolves (no join-timeout failure) although the only partition is A's.
    await within(
      b.start(async (batch) => {
        bSeen.push(...offsets(batch));
        await b.commit([{ topic, partition: 0, offset: next(batch) }]);
        progress.notify();
      }),
      30_000,
      'B to start without partitions',
    );
    expect(bAssignments).toEqual([[]]);
    await progress.until(() => aSeen.length === 5, 30_000, 'A to deliver the first 5');
    await within(a.stop(), 15_000, 'A to stop');
    await produceTo(topic, 0, 3);
    await progress.until(() => bSeen.length === 3, 30_000, 'B to take over and deliver the next 3');
    expect(aSeen).toEqual(range(0, 5));
    expect(bSeen).toEqual(range(5, 8));
    expect(bAssignments.at(-1)).toEqual([0]);
  });

  it('reuseMessages: the message objects come again two rounds later, every message is still delivered once in order, a handed-over round lets go of its bytes, and the key and value Buffers read from one stay valid', async () => {
    const topic = unique('lean-src-reuse');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    // batches of 10 records, so that a 1 KiB fetch holds a few of them
    for (let i = 0; i < 600; i += 10) {
      await producer.send({ topic, acks: -1, messages: range(i, i + 10).map((j) => ({ partition: 0, key: `k${j % 5}`, value: `p0-${j}` })) });
      if (i < 400) await producer.send({ topic, acks: -1, messages: range(i, i + 10).map((j) => ({ partition: 1, key: `k${j % 5}`, value: `p1-${j}` })) });
    }
    const seen: Record<number, string[]> = { 0: [], 1: [] };
    const kept: { partition: number; offset: number; key: Buffer | null; value: Buffer | null }[] = [];
    const objects = new Map<object, number>(); // how many messages each object carried
    let delivered = 0;
    const changed = signal();
    const s = source({ topics: [topic], groupId: unique('g-lean-reuse'), maxBytesPerPartition: 1024, maxMessagesPerCall: 7, reuseMessages: true });
    await within(
      s.start(async (b) => {
        for (const m of b.messages) {
          objects.set(m, (objects.get(m) ?? 0) + 1);
          seen[b.partition].push(`${m.offset}:${m.key?.toString()}:${m.value?.toString()}`);
          kept.push({ partition: b.partition, offset: Number(m.offset), key: m.key, value: m.value });
        }
        delivered += b.messages.length;
        await sleep(1); // the next round is fetched meanwhile
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => delivered >= 1000, 60_000, () => `all 1000 messages (delivered ${delivered})`);
    await within(s.stop(), 15_000, 'stop');
    expect(seen[0]).toEqual(range(0, 600).map((i) => `${i}:k${i % 5}:p0-${i}`));
    expect(seen[1]).toEqual(range(0, 400).map((i) => `${i}:k${i % 5}:p1-${i}`));
    // 1 KiB rounds hold a few dozen messages (two rounds' worth of objects per partition): objects carry several messages each
    expect(objects.size).toBeLessThanOrEqual(delivered / 2);
    expect(Math.max(...objects.values())).toBeGreaterThanOrEqual(3);
    // a round's messages let go of its fetched bytes once it is handed over (all were, here)
    for (const m of objects.keys()) expect([(m as LeanMessage).value, (m as LeanMessage).bytes.length]).toEqual([null, 0]);
    // Buffers read in a handler outlive the message objects being filled again
    for (const k of kept) {
      expect(k.key?.toString()).toBe(`k${k.offset % 5}`);
      expect(k.value?.toString()).toBe(`p${k.partition}-${k.offset}`);
    }
  });

  it('seek from inside the handler: delivery goes on from the sought offset, the rest of the batch and the prefetched answer are dropped', async () => {
    const topic = unique('lean-src-seek');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    for (let c = 0; c < 10; c++) await produceTo(topic, 0, 30, `c${c}`);
    const calls: number[][] = [];
    const changed = signal();
    let s: LeanKafkaSource | null = null;
    s = source({ topics: [topic], groupId: unique('g-lean-seek'), maxMessagesPerCall: 10, maxBytesPerPartition: 1024 });
    await within(
      s.start(async (b) => {
        calls.push(offsets(b));
        // The first call (0..9): back to 5. The call holding 150: ahead to 200.
        if (calls.length === 1) s!.seek(topic, 0, '5');
        else if (offsets(b).includes(150) && !calls.slice(0, -1).some((c) => c.includes(150))) s!.seek(topic, 0, '200');
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => calls.length >= 2, 30_000, 'a second call');
    // An offset that is not one is refused at once (not by a failing fetch later).
    for (const bad of ['', 'x', '-1', '1.5', '9007199254740993']) expect(() => s!.seek(topic, 0, bad), JSON.stringify(bad)).toThrow(/bad|offset/);
    expect(() => s!.seek(topic, 1, '0')).toThrow(/does not own/);
    await changed.until(() => calls.flat().includes(299), 30_000, () => `delivery to the end after the seeks (calls: ${JSON.stringify(calls.map((c) => [c[0], c[c.length - 1]]))})`);
    await produceTo(topic, 0, 1, 'after');
    await changed.until(() => calls.flat().includes(300), 30_000, 'the message after');
    await within(s.stop(), 15_000, 'stop');
    const flat = calls.flat();
    expect(calls[0]).toEqual(range(0, 10));
    const i150 = calls.findIndex((c) => c.includes(150));
    expect(calls[i150][calls[i150].length - 1]).toBeLessThan(200);
    expect(flat).toEqual([...range(0, 10), ...range(5, calls[i150][calls[i150].length - 1] + 1), ...range(200, 301)]);
  });

  it('pause(): nothing more is delivered after the call in flight, though more is there; stop() then resolves', async () => {
    const topic = unique('lean-src-pause');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    await produceTo(topic, 0, 200);
    await produceTo(topic, 1, 200);
    let calls = 0;
    let afterPause = 0;
    let paused = false;
    const changed = signal();
    const s = source({ topics: [topic], groupId: unique('g-lean-pause'), maxMessagesPerCall: 10, maxBytesPerPartition: 1024 });
    await within(
      s.start(async () => {
        if (paused) afterPause++;
        calls++;
        if (calls === 3) {
          s.pause();
          paused = true;
          await sleep(200); // the call in flight goes on a while; the prefetch answers meanwhile
        }
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => calls >= 3, 30_000, 'three calls');
    await produceTo(topic, 0, 10, 'more');
    await sleep(1500); // a window of many fetch rounds (maxWaitTimeMs 100): nothing may arrive in it
    expect(afterPause).toBe(0);
    expect(calls).toBe(3);
    await within(s.stop(), 5000, 'stop after pause');
  });

  it('a handler that throws: exhausted rejects with handler-failed, the source stops, uncommitted messages come again to a new source', async () => {
    const topic = unique('lean-src-fail');
    const groupId = unique('g-lean-fail');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produceTo(topic, 0, 50);
    const calls: number[][] = [];
    const s = source({ topics: [topic], groupId, maxMessagesPerCall: 10 });
    await within(
      s.start(async (b) => {
        calls.push(offsets(b));
        if (calls.length === 3) throw new Error('pipeline exploded');
        await s.commit([{ topic, partition: 0, offset: next(b) }]);
      }),
      30_000,
      'the source to join',
    );
    const err = await within(
      s.exhausted.then(
        () => null,
        (e: unknown) => e,
      ),
      30_000,
      'exhausted to reject',
    );
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('handler-failed');
    expect((err as KafkaAdapterError).message).toContain('pipeline exploded');
    expect((err as KafkaAdapterError).message).toContain('20..29');
    await within(s.stop(), 15_000, 'the failed source to finish stopping');
    await expect(s.commit([{ topic, partition: 0, offset: '30' }])).rejects.toThrow(/stopp/);
    expect(calls).toEqual([range(0, 10), range(10, 20), range(20, 30)]);

    const again: number[] = [];
    const changed = signal();
    const s2 = source({ topics: [topic], groupId });
    await within(
      s2.start(async (b) => {
        again.push(...offsets(b));
        changed.notify();
      }),
      30_000,
      'the second source to join',
    );
    await changed.until(() => again.length >= 30, 30_000, 'the uncommitted messages');
    expect(again).toEqual(range(20, 50));
  });

  it('a handler that throws synchronously (a plain function returning promises) fails the source the same way, not as a fetch error retried forever', async () => {
    const topic = unique('lean-src-sync');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produceTo(topic, 0, 30);
    let calls = 0;
    const s = source({ topics: [topic], groupId: unique('g-lean-sync'), maxMessagesPerCall: 10 });
    const handler = (_b: InputBatch): Promise<void> => {
      calls++;
      if (calls === 2) throw new Error('thrown before any promise');
      return Promise.resolve();
    };
    await within(s.start(handler), 30_000, 'the source to join');
    const err = await within(
      s.exhausted.then(
        () => null,
        (e: unknown) => e,
      ),
      10_000,
      () => `exhausted to reject (${calls} calls so far)`,
    );
    expect((err as KafkaAdapterError).code).toBe('handler-failed');
    expect((err as KafkaAdapterError).message).toContain('thrown before any promise');
    await within(s.stop(), 15_000, 'stop');
    expect(calls).toBe(2);
  });

  it('commitAfterLeaving after stop(): the offsets are committed for the (then empty) group', async () => {
    const topic = unique('lean-src-leave');
    const groupId = unique('g-lean-leave');
    await ensureTopics(admin, { topics: [topic], partitions: 2 });
    await produceTo(topic, 0, 20);
    await produceTo(topic, 1, 20);
    let got = 0;
    const changed = signal();
    const s = source({ topics: [topic], groupId });
    await within(
      s.start(async (b) => {
        got += b.messages.length;
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => got >= 40, 30_000, 'all delivered');
    await within(s.stop(), 15_000, 'stop');
    await within(
      s.commitAfterLeaving([
        { topic, partition: 0, offset: '13' },
        { topic, partition: 1, offset: '20' },
      ]),
      15_000,
      'commitAfterLeaving',
    );
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(t.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '13'],
      [1, '20'],
    ]);
  });

  it('a topic deleted and created again: its partitions go, the other topic goes on, the new topic is read from its start; few warnings', async () => {
    const gone = unique('lean-src-gone');
    const stays = unique('lean-src-stays');
    const groupId = unique('g-lean-gone');
    await ensureTopics(admin, { topics: [gone, stays], partitions: 1 });
    await produceTo(gone, 0, 30);
    await produceTo(stays, 0, 30);
    const changed = signal();
    const log = capturing(() => changed.notify());
    const got = new Map<string, number[]>();
    let assignment: Readonly<Record<string, readonly number[]>> = {};
    const s = source({
      topics: [gone, stays],
      groupId,
      logger: log.logger,
      onAssignment: (a) => {
        assignment = a;
        changed.notify();
      },
    });
    await within(
      s.start(async (b) => {
        got.set(b.topic, [...(got.get(b.topic) ?? []), ...offsets(b)]);
        await s.commit([{ topic: b.topic, partition: b.partition, offset: next(b) }]);
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => got.get(gone)?.length === 30 && got.get(stays)?.length === 30, 30_000, 'both topics delivered');
    await admin.deleteTopics({ topics: [gone] });
    const deletedAt = Date.now();
    await changed.until(() => (assignment[gone]?.length ?? 0) === 0, 30_000, () => `the deleted topic's partition revoked (${JSON.stringify(assignment)})`);
    const revokedMs = Date.now() - deletedAt;
    await produceTo(stays, 0, 5, 'later');
    await changed.until(() => got.get(stays)!.length === 35, 30_000, 'the other topic goes on');
    await ensureTopics(admin, { topics: [gone], partitions: 1 });
    await changed.until(() => assignment[gone]?.length === 1, 30_000, () => `the new topic's partition assigned (${JSON.stringify(assignment)})`);
    await produceTo(gone, 0, 3, 'new');
    await changed.until(() => got.get(gone)!.length === 33, 30_000, () => `the new topic's messages (${got.get(gone)!.slice(30)})`);
    expect(got.get(gone)).toEqual([...range(0, 30), 0, 1, 2]);
    expect(got.get(stays)).toEqual(range(0, 35));
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    // The failed fetches until the revocation are retried with a growing delay and logged now and then, not every round.
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings.length, `${warnings.length} warnings in the ${revokedMs} ms before the revocation: ${warnings.map((w) => w.msg).join(' | ')}`).toBeLessThanOrEqual(3);
  });

  it('partitions added to the topic: assigned and fetched at once (not after the metadata cache expires)', async () => {
    const topic = unique('lean-src-grow');
    const other = unique('lean-src-other');
    await ensureTopics(admin, { topics: [topic, other], partitions: 1 });
    await produceTo(topic, 0, 10);
    const changed = signal();
    const got = new Map<number, number[]>();
    let assignment: readonly number[] = [];
    // Two topics: the start-offset look-up of the new partitions then refreshes another metadata answer than the fetch loop's.
    const s = source({
      topics: [topic, other],
      groupId: unique('g-lean-grow'),
      onAssignment: (a) => {
        assignment = a[topic] ?? [];
        changed.notify();
      },
    });
    await within(
      s.start(async (b) => {
        if (b.topic !== topic) return;
        got.set(b.partition, [...(got.get(b.partition) ?? []), ...offsets(b)]);
        changed.notify();
      }),
      30_000,
      'the source to join',
    );
    await changed.until(() => got.get(0)?.length === 10, 30_000, 'partition 0 delivered');
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    await changed.until(() => assignment.length === 3, 30_000, () => `the new partitions assigned (${assignment})`);
    // A new producer: the shared one's metadata still says one partition (kafkajs then drops the others' messages).
    const fresh = kafka.producer();
    await fresh.connect();
    try {
      for (const partition of [1, 2]) await fresh.send({ topic, acks: -1, messages: range(0, 4).map((i) => ({ partition, value: `new-${i}` })) });
    } finally {
      await fresh.disconnect();
    }
    await changed.until(() => got.get(1)?.length === 4 && got.get(2)?.length === 4, 20_000, () => `the new partitions' messages (${JSON.stringify([...got])})`);
    expect(got.get(1)).toEqual(range(0, 4));
    expect(got.get(2)).toEqual(range(0, 4));
  });

  it('partitions assigned while their committed offsets cannot be read (a transaction holds pending offsets): fetching starts once they can', async () => {
    const topic = unique('lean-src-unstable');
    const groupId = unique('g-lean-unstable');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produceTo(topic, 0, 20);
    const tx = kafka.producer({ transactionalId: unique('lean-src-pending'), idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    try {
      const t = await tx.transaction();
      // Pending offsets of the group: OffsetFetch (require_stable) answers UNSTABLE_OFFSET_COMMIT until the transaction ends.
      await t.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] });
      const changed = signal();
      const log = capturing(() => changed.notify());
      const got: number[] = [];
      const s = source({ topics: [topic], groupId, logger: log.logger });
      const started = s.start(async (b) => {
        got.push(...offsets(b));
        changed.notify();
      });
      started.catch(() => {});
      await changed.until(() => log.lines.length > 0, 30_000, 'the source to say it cannot read the committed offsets');
      expect(got).toEqual([]);
      await t.commit();
      await within(started, 20_000, () => `start() once the offsets are stable (log: ${JSON.stringify(log.lines.map((l) => `${l.level}: ${l.msg}`))})`);
      await changed.until(() => got.length >= 15, 20_000, () => `the messages from the transaction's offset (got ${got.length})`);
      expect(got).toEqual(range(5, 20));
      expect(log.lines.map((l) => l.level)).toEqual(['warn']);
      expect(log.lines[0].msg).toMatch(/UNSTABLE_OFFSET_COMMIT/);
    } finally {
      await tx.disconnect();
    }
  });

  it('a committed offset below the log start (deleteRecords): OFFSET_OUT_OF_RANGE, continues at the new log start with a warning', async () => {
    const topic = unique('lean-src-oor');
    const groupId = unique('g-lean-oor');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await produceTo(topic, 0, 100);
    const s1 = source({ topics: [topic], groupId });
    const changed = signal();
    let first = 0;
    await within(
      s1.start(async (b) => {
        first += b.messages.length;
        changed.notify();
      }),
      30_000,
      'the first source to join',
    );
    await changed.until(() => first >= 100, 30_000, 'all delivered');
    await s1.commit([{ topic, partition: 0, offset: '10' }]);
    await within(s1.stop(), 15_000, 'stop');
    // kafkajs's DeleteRecords version is gone from Kafka 4: platformatic's admin client.
    const pa = new PlatformaticAdmin({ clientId: 'lean-source-int', bootstrapBrokers: requireBrokers().split(',') });
    try {
      await pa.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 0, offset: 60n }] }] });
    } finally {
      await pa.close();
    }

    const log = capturing(() => changed.notify());
    const got: number[] = [];
    const s2 = source({ topics: [topic], groupId, logger: log.logger });
    await within(
      s2.start(async (b) => {
        got.push(...offsets(b));
        changed.notify();
      }),
      30_000,
      'the second source to join',
    );
    await changed.until(() => got.length >= 40, 30_000, () => `the messages from the log start (got ${got.length})`);
    await produceTo(topic, 0, 1, 'after');
    await changed.until(() => got.length >= 41, 30_000, 'the message after');
    expect(got).toEqual(range(60, 101));
    const warned = log.lines.filter((l) => l.level === 'warn' && /out of range/.test(l.msg));
    expect(warned.length).toBe(1);
    expect(warned[0].msg).toContain('offset 10 is out of range; continuing at 60');
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
