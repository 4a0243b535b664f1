/**
 * Scale-out benchmark (issue 8, SPEC §4): several `logit run` processes in one consumer group on a real
 * broker. Prints one JSON object on stdout (progress on stderr) and writes `docs/scale-out.md`.
 *
 *   bash infra/kafka/kafka.sh with-test-broker -- node apps/learner/dist/bench/group-bench.js [options]
 *
 * Produces `--events` (default 1 000 000) events of a stationary rotating-hyperplane stream (20 dense
 * features, label noise ρ0 = ρ1 = 0.1, fixed seed) to a fresh 6-partition topic, then runs on it, each
 * with a fresh group and fresh scores/snapshot topics, until idle:
 * - K = 1, 2, 3 instances started together, and K = 3 with `--mix off` (when the CLI has it);
 * - 3 instances, one SIGKILLed once the scores topic holds 40% of the events;
 * - 2 instances, a third joining at 50% (its scores also go to a --scores-out file, so they are told
 *   apart even without `learnerId` in the scores).
 * Reads every scores topic back: per event id the last score's log loss → the group's prequential log
 * loss and its ratio to K = 1's (target ≤ 1.02), the distinct ids scored (must equal the events),
 * throughput per instance and for the group; for the joiner, its first 5000 scores against the others'
 * over the same period and against a model from zero (K = 1's first 5000).
 *
 * Options: --events N, --partitions P (6), --seed S (8), --noise R (0.1), --drift M (hyperplane rotation
 * per event, 0 = stationary), --idle-seconds S (8), --session-timeout-ms MS (6000), --window N (5000),
 * --only k1,k2,k3,k3off,kill,join (default all; k1 is always run: it is the reference),
 * --learner-args "…" (learning options of every instance, default "--dense-dim 20"),
 * --docs FILE|none (default docs/scale-out.md at the repository root), --brokers LIST (default $KAFKA_BROKERS).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Admin, Kafka } from 'kafkajs';
import { produce } from '@logit-stream/producer';
import { AppError } from '../app-error.js';
import { createKafkaClient, ensureTopics, resolveKafkaConfig } from '../kafka/index.js';
import { runGroupScenario, type GroupInstancePlan, type GroupScenarioResult } from './group-scenario.js';
import { summarizeGroupScores, type ScoreRow } from './group-score-summary.js';
import { compareJoiner } from './joiner-comparison.js';
import { renderScaleOutMarkdown, type GroupBenchResult, type ScaleOutRun } from './scale-out-report.js';

const here = dirname(fileURLToPath(import.meta.url));
const cliPath = resolve(here, '../cli.js');
const TARGET_RATIO = 1.02;

function findRepoRoot(): string | null {
  for (const start of [here, process.cwd()]) {
    for (let d = start; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'pnpm-workspace.yaml'))) return d;
  }
  return null;
}

interface BenchArgs {
  readonly events: number;
  readonly partitions: number;
  readonly seed: number;
  readonly noise: number;
  readonly drift: number;
  readonly idleSeconds: number;
  readonly sessionTimeoutMs: number;
  readonly window: number;
  readonly only: ReadonlySet<string>;
  readonly learnerArgs: readonly string[];
  readonly docs: string | null;
  readonly brokers: string;
}

const SCENARIOS = ['k1', 'k2', 'k3', 'k3off', 'kill', 'join'];

function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      partitions: { type: 'string' },
      seed: { type: 'string' },
      noise: { type: 'string' },
      drift: { type: 'string' },
      'idle-seconds': { type: 'string' },
      'session-timeout-ms': { type: 'string' },
      window: { type: 'string' },
      only: { type: 'string' },
      'learner-args': { type: 'string' },
      docs: { type: 'string' },
      brokers: { type: 'string' },
    },
    strict: true,
  });
  const num = (name: string, raw: string | undefined, dflt: number, min: number, max = Infinity): number => {
    if (raw === undefined) return dflt;
    const v = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(v) || v < min || v > max) throw new AppError('bad-option', `--${name} ${JSON.stringify(raw)} is not valid: use a number in [${min}, ${max}]`);
    return v;
  };
  const brokers = values.brokers ?? process.env.KAFKA_BROKERS ?? '';
  if (brokers.trim() === '') {
    throw new AppError('bad-option', 'no broker: run it through `bash infra/kafka/kafka.sh with-test-broker -- node apps/learner/dist/bench/group-bench.js`, or set KAFKA_BROKERS / pass --brokers');
  }
  const only = new Set((values.only ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()).filter((s) => s !== ''));
  for (const s of only) if (!SCENARIOS.includes(s)) throw new AppError('bad-option', `--only ${JSON.stringify(s)} is not a scenario: use a comma list of ${SCENARIOS.join(', ')}`);
  only.add('k1');
  const root = findRepoRoot();
  const docs = values.docs === 'none' ? null : values.docs !== undefined ? resolve(values.docs) : root === null ? null : join(root, 'docs/scale-out.md');
  return {
    events: Math.floor(num('events', values.events, 1_000_000, 1000)),
    partitions: Math.floor(num('partitions', values.partitions, 6, 1, 1000)),
    seed: Math.floor(num('seed', values.seed, 8, 0)),
    noise: num('noise', values.noise, 0.1, 0, 0.49),
    drift: num('drift', values.drift, 0, 0, 1),
    idleSeconds: num('idle-seconds', values['idle-seconds'], 8, 1),
    sessionTimeoutMs: Math.floor(num('session-timeout-ms', values['session-timeout-ms'], 6000, 1000)),
    window: Math.floor(num('window', values.window, 5000, 10)),
    only,
    learnerArgs: (values['learner-args'] ?? '--dense-dim 20').split(/\s+/).filter((s) => s !== ''),
    docs,
    brokers,
  };
}

const log = (msg: string): void => void process.stderr.write(`group-bench: ${msg}\n`);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const load1 = (): number => round(loadavg()[0], 2);

/**
 * The code the figures come from: GROUP_BENCH_BUILD when set (e.g. the commit a copied build was made
 * from), else `git log -1` of the repository now, with the tracked files under apps/ and packages/ that
 * differ from it (a build of a dirty tree includes them).
 */
function codeVersion(): string {
  const given = process.env.GROUP_BENCH_BUILD;
  if (given !== undefined && given.trim() !== '') return given.trim();
  const root = findRepoRoot();
  if (root === null) return 'unknown';
  try {
    const head = execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 120);
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '-uno', '--', 'apps', 'packages'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(3));
    return dirty.length === 0 ? head : `${head} + ${dirty.length} modified tracked file(s): ${dirty.slice(0, 8).join(', ')}${dirty.length > 8 ? ', …' : ''}`;
  } catch {
    return 'unknown';
  }
}

function cliHasMixing(): boolean {
  try {
    return execFileSync(process.execPath, [cliPath, 'run', '--help'], { encoding: 'utf8' }).includes('--mix-every');
  } catch {
    return false;
  }
}

/** The scenario's figures against the single learner's log loss (NaN for the single learner itself). */
function figures(name: string, r: GroupScenarioResult, rows: readonly ScoreRow[], events: number, singleLogLoss: number, load: number): ScaleOutRun {
  const s = summarizeGroupScores(rows);
  const cpu = new Map(r.instances.map((i) => [i.learnerId, i.cpuSeconds]));
  const cpuSeconds = r.instances.reduce((sum, i) => sum + i.cpuSeconds, 0);
  return {
    name,
    instances: r.instances.length,
    logLoss: s.logLoss,
    ratioToSingle: s.logLoss / (Number.isFinite(singleLogLoss) ? singleLogLoss : s.logLoss),
    distinctIds: s.distinctIds,
    events,
    records: s.records,
    rescored: s.rescored,
    groupEventsPerSec: Math.round(s.eventsPerSec),
    steadyEventsPerSec: Math.round(s.steadyEventsPerSec),
    perInstance: s.perLearner.map((p) => ({ learnerId: p.learnerId, scores: p.scores, eventsPerSec: Math.round(p.eventsPerSec), cpuSeconds: round(cpu.get(p.learnerId) ?? NaN) })),
    cpuSeconds: round(cpuSeconds),
    eventsPerCpuSecond: Math.round(s.records / cpuSeconds),
    wallSeconds: round(r.wallSeconds),
    load1m: load,
  };
}

/** What each instance said about itself: exit, final metrics' events and log loss, restore lines. */
function instanceNotes(r: GroupScenarioResult): Record<string, unknown>[] {
  return r.instances.map((i) => {
    const total = (i.finalMetrics?.total ?? null) as { logLoss?: number } | null;
    return {
      learnerId: i.learnerId,
      code: i.code,
      signal: i.signal,
      seconds: round(i.seconds),
      cpuSeconds: round(i.cpuSeconds),
      startedAtScores: i.startedAtScores,
      killedAtScores: i.killedAtScores,
      finalEvents: i.finalMetrics?.events ?? null,
      finalLogLoss: total?.logLoss ?? null,
      restoreLog: i.notableLog.filter((l) => /restor|no model snapshot/i.test(l)).slice(0, 4),
      checkpointLog: i.notableLog.filter((l) => /"mixes"/.test(l)).slice(-1),
    };
  });
}

async function produceStream(kafka: Kafka, admin: Admin, a: BenchArgs): Promise<{ topic: string; seconds: number; eventsPerSec: number }> {
  const topic = `group-bench-events-${Date.now().toString(36)}`;
  await ensureTopics(admin, { topics: [{ name: topic, partitions: a.partitions }] });
  let ts = 1_767_225_600_000;
  const t0 = performance.now();
  const s = await produce({
    kafka,
    topic,
    synthetic: { generator: 'hyperplane', dim: 20, magnitude: a.drift, seed: a.seed, noiseRates: [a.noise, a.noise], clock: () => ts++ },
    count: a.events,
    batchSize: 1000,
    maxInFlight: 4,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (s.sent !== a.events) throw new AppError('bench', `produced ${s.sent} of ${a.events} events to ${topic}`);
  return { topic, seconds: round(seconds, 1), eventsPerSec: Math.round(a.events / seconds) };
}

async function main(): Promise<void> {
  const a = parseBenchArgs(process.argv.slice(2));
  if (!existsSync(cliPath)) throw new AppError('bench', `${cliPath} is missing: build the learner first (pnpm turbo run build --filter @logit-stream/learner...)`);
  const t0 = performance.now();
  const loadStart = load1();
  const commit = codeVersion();
  const cliMixing = cliHasMixing();
  const kafka = createKafkaClient(resolveKafkaConfig({ brokers: a.brokers, clientId: 'group-bench', logLevel: 'error' }));
  const admin = kafka.admin();
  await admin.connect();
  const work = mkdtempSync(join(tmpdir(), 'group-bench-'));
  let eventsTopic: string | null = null;
  try {
    log(`producing ${a.events} events (hyperplane, 20 dense features, noise ${a.noise}, drift ${a.drift}, seed ${a.seed}) to ${a.partitions} partitions`);
    const p = await produceStream(kafka, admin, a);
    eventsTopic = p.topic;
    log(`produced in ${p.seconds} s (${p.eventsPerSec} events/s)`);
    const timeoutMs = 120_000 + a.events; // a minute or two of start-up and idle exits, then 1 ms per event
    const scenario = (name: string, instances: GroupInstancePlan[], learnerArgs = a.learnerArgs): Promise<GroupScenarioResult> =>
      runGroupScenario({ kafka, admin, brokers: a.brokers, cliPath, eventsTopic: p.topic, partitions: a.partitions, name: `gb-${name}`, instances, learnerArgs, idleSeconds: a.idleSeconds, sessionTimeoutMs: a.sessionTimeoutMs, timeoutMs, log });
    const ids = (k: number): GroupInstancePlan[] => Array.from({ length: k }, (_, i) => ({ learnerId: `learner-${i}` }));
    const notes: Record<string, unknown> = {};
    let learnerIdInScores = false;

    const scaling: ScaleOutRun[] = [];
    let singleRows: readonly ScoreRow[] = [];
    for (const k of [1, 2, 3]) {
      if (!a.only.has(`k${k}`)) continue;
      const load = load1();
      const r = await scenario(`k${k}`, ids(k));
      learnerIdInScores ||= r.learnerIdInScores;
      if (k === 1) singleRows = r.rows;
      const run = figures(`K=${k}`, r, r.rows, a.events, scaling[0]?.logLoss ?? NaN, load);
      scaling.push(run);
      notes[`k${k}`] = instanceNotes(r);
      log(`K=${k}: log loss ${run.logLoss.toFixed(4)} (ratio ${run.ratioToSingle.toFixed(4)}), ${run.distinctIds}/${a.events} ids, ${run.steadyEventsPerSec} events/s (10–90%), load ${load}`);
    }
    const singleLogLoss = scaling[0].logLoss;

    let noMix: ScaleOutRun | null = null;
    if (a.only.has('k3off') && cliMixing) {
      // The same three instances without model averaging: what mixing buys on this stream.
      const load = load1();
      const r = await scenario('k3off', ids(3), [...a.learnerArgs, '--mix', 'off']);
      noMix = figures('K=3, --mix off', r, r.rows, a.events, singleLogLoss, load);
      notes.k3off = instanceNotes(r);
      log(`K=3 --mix off: log loss ${noMix.logLoss.toFixed(4)} (ratio ${noMix.ratioToSingle.toFixed(4)}), ${noMix.distinctIds}/${a.events} ids`);
    }

    let kill: GroupBenchResult['kill'] = null;
    if (a.only.has('kill')) {
      const load = load1();
      const at = Math.round(0.4 * a.events);
      const plan = ids(3);
      plan[1] = { ...plan[1], killAtScores: at };
      const r = await scenario('kill', plan);
      learnerIdInScores ||= r.learnerIdInScores;
      const killed = r.instances[1];
      kill = { ...figures('K=3, one SIGKILLed at 40%', r, r.rows, a.events, singleLogLoss, load), killed: killed.learnerId, killedAtScores: killed.killedAtScores ?? NaN };
      notes.kill = instanceNotes(r);
      log(`kill: log loss ${kill.logLoss.toFixed(4)} (ratio ${kill.ratioToSingle.toFixed(4)}), ${kill.distinctIds}/${a.events} ids, ${kill.rescored} re-sent`);
    }

    let joined: GroupBenchResult['join'] = null;
    if (a.only.has('join')) {
      const load = load1();
      const at = Math.round(0.5 * a.events);
      const file = join(work, 'joiner-scores.jsonl');
      const plan: GroupInstancePlan[] = [...ids(2), { learnerId: 'learner-2', startAtScores: at, extraArgs: ['--scores-out', file] }];
      const r = await scenario('join', plan);
      learnerIdInScores ||= r.learnerIdInScores;
      let rows = r.rows;
      let attribution = 'the learnerId of the scores';
      if (!r.learnerIdInScores) {
        // No learnerId in this build's scores: the joiner's ids are the ones in its --scores-out file.
        const mine = new Set<string>();
        if (existsSync(file)) for (const line of readFileSync(file, 'utf8').split('\n')) if (line !== '') mine.add((JSON.parse(line) as { id: string }).id);
        rows = rows.map((x) => ({ ...x, learnerId: mine.has(x.id) ? 'learner-2' : 'learner-0/1' }));
        attribution = "the joiner's --scores-out file (no learnerId in this build's scores)";
      }
      const comparison = compareJoiner(rows, 'learner-2', a.window, singleRows);
      const joiner = r.instances[2];
      joined = { ...figures('K=2, a third joining at 50%', r, rows, a.events, singleLogLoss, load), joiner: 'learner-2', joinedAtScores: joiner?.startedAtScores ?? NaN, window: a.window, attribution, comparison };
      notes.join = instanceNotes(r);
      log(`join: joiner's first ${comparison.joiner.scores} log loss ${comparison.joiner.logLoss.toFixed(4)}, others ${comparison.othersSamePeriod.logLoss.toFixed(4)}, fresh ${comparison.freshModel?.logLoss.toFixed(4)}`);
    }

    const c = cpus();
    const result: GroupBenchResult = {
      bench: 'group-scale-out',
      generatedAt: new Date().toISOString(),
      commit,
      cliMixing,
      learnerIdInScores,
      machine: { cpuModel: c[0]?.model ?? 'unknown', cores: c.length, node: process.version, loadAverage1mAtStart: loadStart, loadAverage1mAtEnd: load1() },
      config: {
        events: a.events,
        partitions: a.partitions,
        stream: `rotating hyperplane (20 dense features in [0,1), rotation ${a.drift} per event${a.drift === 0 ? ': stationary' : ''}), class-conditional label noise ρ0 = ρ1 = ${a.noise}, seed ${a.seed}`,
        learnerArgs: a.learnerArgs,
        idleSeconds: a.idleSeconds,
        sessionTimeoutMs: a.sessionTimeoutMs,
        targetRatio: TARGET_RATIO,
      },
      produce: { seconds: p.seconds, eventsPerSec: p.eventsPerSec },
      scaling,
      noMix,
      kill,
      join: joined,
      benchSeconds: round((performance.now() - t0) / 1000),
    };
    process.stdout.write(`${JSON.stringify({ ...result, instances: notes }, null, 2)}\n`);
    if (a.docs !== null) {
      // The command as run, without where the document went.
      const shown = process.argv.slice(2).filter((x, i, all) => x !== '--docs' && all[i - 1] !== '--docs' && !x.startsWith('--docs='));
      const command = `pnpm bench:group${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`;
      writeFileSync(a.docs, renderScaleOutMarkdown(result, command));
      log(`wrote ${a.docs}`);
    }
  } finally {
    if (eventsTopic !== null) await admin.deleteTopics({ topics: [eventsTopic] }).catch(() => {});
    await admin.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`group-bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
