/**
 * One scale-out scenario on a real broker (issue 8): several `logit run` processes (the built CLI) in
 * one consumer group on an events topic that is already filled (or that `afterJoin` fills), some of them
 * started late or SIGKILLed once the scores topic holds a given number of records; the survivors run
 * until idle; the scores topic is read back. Used by `group-bench.ts` (1 M events) and by the reduced
 * integration test `scale-out.int.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Admin, Kafka } from 'kafkajs';
import { AppError } from '../app-error.js';
import { readTopicToEnd } from '../kafka/read-topic-to-end.js';
import { ensureTopics } from '../kafka/topics.js';
import { learnerTopicSpecs } from '../kafka/learner-topics.js';
import { readProcCpuSeconds } from './proc-cpu.js';
import { LEARNER_NODE_FLAGS } from '../node-flags.js';
import type { ScoreRow } from './group-score-summary.js';

/** One learner process of a scenario. */
export interface GroupInstancePlan {
  /** Its `--learner-id`. */
  readonly learnerId: string;
  /** Start it once the scores topic holds this many records (default 0: at the start). */
  readonly startAtScores?: number;
  /** SIGKILL it once the scores topic holds this many records (default: never). */
  readonly killAtScores?: number;
  /** Further CLI arguments of this instance only (e.g. `--scores-out FILE`). */
  readonly extraArgs?: readonly string[];
}

/** Settings of {@link runGroupScenario}. */
export interface GroupScenarioOptions {
  /** A client on the broker (reads the scores topic) and a connected admin of it. */
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** `--brokers` of the learners. */
  readonly brokers: string;
  /** The built CLI (`apps/learner/dist/cli.js`). */
  readonly cliPath: string;
  /** The events topic the group consumes. */
  readonly eventsTopic: string;
  /** Partitions of the scenario's scores, DLQ and snapshot topics (and `--partitions`). */
  readonly partitions: number;
  /** Prefix of the scenario's fresh topic and group names. */
  readonly name: string;
  readonly instances: readonly GroupInstancePlan[];
  /** Learning options of every instance, e.g. `['--dense-dim', '20']`. */
  readonly learnerArgs: readonly string[];
  /** `--exit-on-idle` of every instance, seconds. */
  readonly idleSeconds: number;
  /** `--session-timeout-ms`: how long a SIGKILLed instance holds its partitions. */
  readonly sessionTimeoutMs: number;
  /** Bound of the whole scenario; every learner is SIGKILLed and it fails after this. */
  readonly timeoutMs: number;
  /**
   * Called once every instance that starts at once is a member of the stable group (e.g. to produce
   * the events only then, so that no member consumes alone at the start); default: none, the events
   * are in the topic already.
   */
  readonly afterJoin?: () => Promise<void>;
  /** Progress lines (default: none). */
  readonly log?: (msg: string) => void;
  /** Leave the scenario's topics on the broker (default false: deleted once read). */
  readonly keepTopics?: boolean;
}

/** How one learner process of a scenario went. */
export interface GroupInstanceResult {
  readonly learnerId: string;
  /** Records on the scores topic when it was started / SIGKILLed (null: at once / not killed). */
  readonly startedAtScores: number | null;
  readonly killedAtScores: number | null;
  readonly code: number | null;
  readonly signal: string | null;
  /** Wall time from its spawn to its exit, seconds. */
  readonly seconds: number;
  /** CPU time (user + system) it used, sampled from /proc every 50 ms until it exited, seconds. */
  readonly cpuSeconds: number;
  /** The last line of its stdout as JSON: its final metrics report (null when killed or unparsable). */
  readonly finalMetrics: Record<string, unknown> | null;
  /** Its stderr lines about snapshots restored, mixes and partition assignments (the first 30 and the last 10). */
  readonly notableLog: readonly string[];
  /** The end of its stderr. */
  readonly stderrTail: string;
}

/** What {@link runGroupScenario} returns. */
export interface GroupScenarioResult {
  readonly groupId: string;
  readonly scoresTopic: string;
  readonly instances: readonly GroupInstanceResult[];
  /** Every record of the scores topic, in partition then offset order. */
  readonly rows: readonly ScoreRow[];
  /** Whether the score records carry a `learnerId`. */
  readonly learnerIdInScores: boolean;
  /** From the first spawn to the last exit, seconds. */
  readonly wallSeconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const NOTABLE = /restor|no model snapshot|mix|partitions assigned|no partitions/i;

interface Running {
  readonly plan: GroupInstancePlan;
  readonly child: ChildProcess;
  readonly t0: number;
  readonly startedAtScores: number | null;
  killedAtScores: number | null;
  exit: { code: number | null; signal: string | null } | null;
  endedAt: number;
  cpuSeconds: number;
  stdout: string;
  stderrHead: string[];
  /** Notable lines after the head is full: the newest 10. */
  notableTail: string[];
  stderrTail: string;
}

/**
 * `admin.fetchTopicOffsets`, retried for up to 10 s: right after a topic is created the broker can
 * still answer "not the leader for that topic-partition".
 */
async function topicOffsets(admin: Admin, topic: string): Promise<{ partition: number; high: string; low: string }[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (e) {
      if (Date.now() > until) throw e;
      await sleep(200);
    }
  }
}

/** Records in a topic: the sum of its partitions' high − low watermarks. */
async function topicRecords(admin: Admin, topic: string): Promise<number> {
  const o = await topicOffsets(admin, topic);
  return o.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
}

function spawnLearner(o: GroupScenarioOptions, plan: GroupInstancePlan, names: Names, startedAtScores: number | null): Running {
  const args = [
    ...LEARNER_NODE_FLAGS,
    o.cliPath,
    'run',
    '--brokers', o.brokers,
    '--group-id', names.group,
    '--learner-id', plan.learnerId,
    '--events-topic', o.eventsTopic,
    '--scores-topic', names.scores,
    '--metrics-topic', names.metrics,
    '--dlq-topic', names.dlq,
    '--snapshots-topic', names.snapshots,
    '--partitions', String(o.partitions),
    '--exit-on-idle', String(o.idleSeconds),
    '--session-timeout-ms', String(o.sessionTimeoutMs),
    '--log-level', 'info',
    ...o.learnerArgs,
    ...(plan.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Running = { plan, child, t0: Date.now(), startedAtScores, killedAtScores: null, exit: null, endedAt: NaN, cpuSeconds: 0, stdout: '', stderrHead: [], notableTail: [], stderrTail: '' };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    // Only the last line matters (the final metrics report); keep a bounded tail.
    r.stdout = (r.stdout + s).slice(-1_000_000);
  });
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    r.stderrTail = (r.stderrTail + s).slice(-6000);
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!NOTABLE.test(line)) continue;
      if (r.stderrHead.length < 30) r.stderrHead.push(line.slice(0, 600));
      else {
        r.notableTail.push(line.slice(0, 600));
        if (r.notableTail.length > 10) r.notableTail.shift();
      }
    }
  });
  child.on('exit', (code, signal) => {
    r.exit = { code, signal };
    r.endedAt = Date.now();
  });
  child.on('error', (e) => {
    r.exit = { code: null, signal: null };
    r.endedAt = Date.now();
    r.stderrTail += `\nspawn failed: ${e.message}`;
  });
  return r;
}

interface Names {
  readonly group: string;
  readonly scores: string;
  readonly metrics: string;
  readonly dlq: string;
  readonly snapshots: string;
}

function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const lines = stdout.trimEnd().split('\n');
  try {
    const v = JSON.parse(lines[lines.length - 1] ?? '') as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Resolves once the group has `n` members and is Stable, or rejects after `ms`. */
async function waitForMembers(admin: Admin, group: string, n: number, ms: number, running: readonly Running[]): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const d = await admin.describeGroups([group]);
    const g = d.groups[0];
    if (g !== undefined && g.state === 'Stable' && g.members.length >= n) return;
    const dead = running.find((r) => r.exit !== null);
    if (dead !== undefined) throw new AppError('bench', `learner ${dead.plan.learnerId} exited (${dead.exit?.code ?? dead.exit?.signal}) before the group formed; stderr: ${dead.stderrTail}`);
    if (Date.now() > until) throw new AppError('bench', `group ${group} did not reach ${n} stable members within ${ms} ms (state ${g?.state}, ${g?.members.length ?? 0} members)`);
    await sleep(100);
  }
}

/**
 * Reads a whole topic of score records (JSON, SPEC §2 plus `learnerId`) from its start to its current
 * end (readTopicToEnd): id, p, label, learnerId and the record timestamp of each, in
 * partition then offset order.
 *
 * @param kafka - a client on the broker
 * @param topic - the scores topic
 * @param timeoutMs - bound of the read
 * @example
 * const rows = await readScoreRows(kafka, 'scores', 120_000);
 */
export async function readScoreRows(kafka: Kafka, topic: string, timeoutMs: number): Promise<ScoreRow[]> {
  return (await readTopicToEnd(kafka, topic, { timeoutMs })).map(({ message: m }) => {
    const s = JSON.parse(m.value!.toString('utf8')) as { id: string; p: number; label?: number | null; learnerId?: string };
    return { id: s.id, p: s.p, label: s.label ?? null, learnerId: typeof s.learnerId === 'string' ? s.learnerId : null, timestamp: Number(m.timestamp) };
  });
}

/**
 * Runs one scenario: fresh scores, metrics, DLQ and snapshot topics and a fresh group named after
 * `o.name`; spawns the instances that start at once, waits until they form the group, calls
 * `afterJoin`, then every 50 ms starts the late instances and SIGKILLs the doomed ones once the scores
 * topic holds their number of records; waits until every instance exited (exit on idle), reads the
 * scores topic back and (unless `keepTopics`) deletes the scenario's topics.
 *
 * @param o - topics, instances, learning options, bounds
 * @returns each instance's exit and final metrics, and every score record
 * @throws AppError 'bench' when an instance fails (exit ≠ 0 and not killed by the scenario), a late
 *   instance's threshold is never reached, or the scenario outlives `timeoutMs`
 * @example
 * const r = await runGroupScenario({ kafka, admin, brokers, cliPath, eventsTopic, partitions: 6, name: 'k3',
 *   instances: [{ learnerId: 'learner-0' }, { learnerId: 'learner-1', killAtScores: 400_000 }, { learnerId: 'learner-2' }],
 *   learnerArgs: ['--dense-dim', '20'], idleSeconds: 8, sessionTimeoutMs: 6000, timeoutMs: 600_000 });
 */
export async function runGroupScenario(o: GroupScenarioOptions): Promise<GroupScenarioResult> {
  const tag = `${o.name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const names: Names = { group: `${tag}-group`, scores: `${tag}-scores`, metrics: `${tag}-metrics`, dlq: `${tag}-dlq`, snapshots: `${tag}-snap` };
  const log = o.log ?? (() => {});
  await ensureTopics(o.admin, { topics: learnerTopicSpecs({ events: o.eventsTopic, ...names }, o.partitions) });
  const running: Running[] = [];
  const waiting = [...o.instances];
  const t0 = Date.now();
  const deadline = t0 + o.timeoutMs;
  try {
    for (const plan of o.instances) {
      if ((plan.startAtScores ?? 0) > 0) continue;
      running.push(spawnLearner(o, plan, names, null));
      waiting.splice(waiting.indexOf(plan), 1);
    }
    log(`${o.name}: started ${running.map((r) => r.plan.learnerId).join(', ')} in group ${names.group}`);
    // afterJoin runs beside the loop below (the kill and start points are watched while it produces).
    let feeding: { done: boolean; failure: unknown } = { done: true, failure: null };
    if (o.afterJoin !== undefined) {
      await waitForMembers(o.admin, names.group, running.length, Math.min(60_000, o.timeoutMs), running);
      const f = { done: false, failure: null as unknown };
      feeding = f;
      o.afterJoin().then(
        () => (f.done = true),
        (e: unknown) => {
          f.failure = e;
          f.done = true;
        },
      );
    }
    for (;;) {
      if (Date.now() > deadline) throw new AppError('bench', `scenario ${o.name} did not finish within ${o.timeoutMs} ms`);
      if (feeding.failure !== null) throw new AppError('bench', `scenario ${o.name}: afterJoin failed: ${(feeding.failure as Error)?.message ?? String(feeding.failure)}`, { cause: feeding.failure });
      const failed = running.find((r) => r.exit !== null && r.killedAtScores === null && r.exit.code !== 0);
      if (failed !== undefined) {
        throw new AppError('bench', `learner ${failed.plan.learnerId} of scenario ${o.name} exited with ${failed.exit?.code ?? failed.exit?.signal}; stderr: ${failed.stderrTail}`);
      }
      const live = running.filter((r) => r.exit === null);
      for (const r of live) {
        const cpu = r.child.pid === undefined ? null : readProcCpuSeconds(r.child.pid);
        if (cpu !== null) r.cpuSeconds = cpu;
      }
      if (live.length === 0 && waiting.length === 0 && feeding.done) break;
      if (live.length === 0 && !feeding.done) throw new AppError('bench', `scenario ${o.name}: every learner exited before afterJoin finished; raise the idle time`);
      const scores = await topicRecords(o.admin, names.scores);
      for (const plan of [...waiting]) {
        if (scores < (plan.startAtScores ?? 0)) continue;
        if (live.length === 0) break;
        running.push(spawnLearner(o, plan, names, scores));
        waiting.splice(waiting.indexOf(plan), 1);
        log(`${o.name}: started ${plan.learnerId} at ${scores} scores`);
      }
      if (live.length === 0 && waiting.length > 0) {
        throw new AppError('bench', `scenario ${o.name}: every learner exited at ${scores} scores, before ${waiting.map((p) => `${p.learnerId} (start at ${p.startAtScores})`).join(', ')} could start; raise --exit-on-idle or lower the start point`);
      }
      for (const r of live) {
        if (r.plan.killAtScores !== undefined && r.killedAtScores === null && scores >= r.plan.killAtScores) {
          r.killedAtScores = scores;
          r.child.kill('SIGKILL');
          log(`${o.name}: SIGKILLed ${r.plan.learnerId} at ${scores} scores`);
        }
      }
      await sleep(50);
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    const rows = await readScoreRows(o.kafka, names.scores, 300_000);
    return {
      groupId: names.group,
      scoresTopic: names.scores,
      wallSeconds,
      rows,
      learnerIdInScores: rows.some((r) => r.learnerId !== null),
      instances: running.map((r) => ({
        learnerId: r.plan.learnerId,
        startedAtScores: r.startedAtScores,
        killedAtScores: r.killedAtScores,
        code: r.exit?.code ?? null,
        signal: r.exit?.signal ?? null,
        seconds: (r.endedAt - r.t0) / 1000,
        cpuSeconds: r.cpuSeconds,
        finalMetrics: r.killedAtScores === null ? lastJsonLine(r.stdout) : null,
        notableLog: [...r.stderrHead, ...r.notableTail],
        stderrTail: r.stderrTail,
      })),
    };
  } finally {
    for (const r of running) if (r.exit === null) r.child.kill('SIGKILL');
    if (o.keepTopics !== true) await o.admin.deleteTopics({ topics: [names.scores, names.metrics, names.dlq, names.snapshots] }).catch(() => {});
  }
}
