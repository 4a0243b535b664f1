/**
 * SPEC §4 / issue 5 crash test on the real broker with the built CLI (`node dist/cli.js run`, what
 * `pnpm logit run` starts): 200 000 events on one partition; the learner is SIGKILLed at 4 seeded
 * random points and restarted each time; at the end its model (--model-out, and the whole learner
 * state in the final snapshot) equals, bit for bit, the model of an uninterrupted run, and every
 * event id has a score (at-least-once: re-sent scores identical to the first ones; exactly-once:
 * read_committed sees each id exactly once). Needs KAFKA_BROKERS and a build.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnlineLearner, encodeState } from '@logit-stream/core';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { readLatestSnapshot } from './read-latest-snapshot.js';
import { produceDense, readToEnd, seededUniform, topicSize, waitFor } from './recovery-int-support.js';
import { requireBuiltCli, spawnCli } from '../testing/kafka-test-kit.js';

const N = 200_000;
const KILLS = 4;
const silent = { info() {}, warn() {}, error() {}, debug() {} };

let brokers: string;
let kafka: Kafka;
let admin: Admin;
let events: string;
let dir: string;
let reference: { model: string; state: string; seconds: number };

interface Lane {
  scores: string;
  metrics: string;
  dlq: string;
  snapshots: string;
  group: string;
  modelOut: string;
}

function lane(tag: string): Lane {
  return {
    scores: unique(`cr-${tag}-scores`),
    metrics: unique(`cr-${tag}-metrics`),
    dlq: unique(`cr-${tag}-dlq`),
    snapshots: unique(`cr-${tag}-snap`),
    group: unique(`cr-${tag}-group`),
    modelOut: join(dir, `${tag}-model.json`),
  };
}

function args(l: Lane, extra: readonly string[] = []): string[] {
  return [
    'run',
    '--events-topic', events,
    '--scores-topic', l.scores,
    '--metrics-topic', l.metrics,
    '--dlq-topic', l.dlq,
    '--snapshots-topic', l.snapshots,
    '--group-id', l.group,
    '--dense-dim', '4',
    '--snapshot-every', '20000',
    '--session-timeout-ms', '6000',
    '--exit-on-idle', '3',
    '--model-out', l.modelOut,
    '--log-level', 'info',
    ...extra,
  ];
}

/** The whole learner state of the newest snapshot of lane `l`, encoded (canonical, exact). */
async function finalState(l: Lane): Promise<string> {
  const r = await readLatestSnapshot({ kafka, topic: l.snapshots, groupId: l.group, learnerId: 'learner-0', logger: silent, timeoutMs: 30_000 });
  expect(r.snapshot).not.toBeNull();
  return encodeState(OnlineLearner.fromState(r.snapshot!.state).toState());
}

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('crash-recovery-int');
  admin = kafka.admin();
  await admin.connect();
  dir = mkdtempSync(join(tmpdir(), 'logit-crash-'));
  events = unique('cr-events');
  await ensureTopics(admin, { topics: [events], partitions: 1 });
  const t0 = Date.now();
  await produceDense(kafka, events, N);
  console.log(`[crash] produced ${N} events in ${Date.now() - t0} ms`);
  const ref = lane('ref');
  const t1 = Date.now();
  const r = await spawnCli(args(ref), { brokers }, 120_000).done;
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  reference = { model: readFileSync(ref.modelOut, 'utf8'), state: await finalState(ref), seconds: (Date.now() - t1) / 1000 };
  console.log(`[crash] uninterrupted run: ${reference.seconds.toFixed(1)} s wall (incl. ~3 s idle exit); ${r.stderr.match(/"msg":"checkpoints"/) ? r.stderr.split('\n').find((x) => x.includes('"checkpoints"')) : ''}`);
}, 180_000);

afterAll(async () => {
  await admin?.disconnect();
});

/** Runs lane `l` with SIGKILLs at seeded points of the scores topic's growth, then to the end. */
async function crashRun(l: Lane, extra: readonly string[], seed: number): Promise<{ points: number[]; restores: string[]; seconds: number }> {
  await ensureTopics(admin, { topics: [l.scores], partitions: 1 });
  const u = seededUniform(seed);
  // One point in each of KILLS equal stretches of the first 90% of the stream (records on the scores topic).
  const points = Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 0.1 + 0.8 * u()) / KILLS) * 0.9 * N));
  const restores: string[] = [];
  const t0 = Date.now();
  for (const point of points) {
    const run = spawnCli(args(l, extra), { brokers }, 120_000);
    let exited = false;
    void run.done.then(() => (exited = true), () => (exited = true));
    await waitFor(async () => exited || (await topicSize(admin, l.scores)) >= point, 90_000, () => `${point} records on ${l.scores}`, 25);
    expect(exited, `the learner exited before the kill point ${point}: ${run.stderr().slice(-2000)}`).toBe(false);
    run.child.kill('SIGKILL');
    const end = await run.done;
    expect(end.signal).toBe('SIGKILL');
    restores.push(end.stderr.split('\n').find((x) => x.includes('"model snapshot restored"') || x.includes('no model snapshot')) ?? '(no restore line)');
  }
  const last = await spawnCli(args(l, extra), { brokers }, 120_000).done;
  expect(last.code, last.stderr.slice(-3000)).toBe(0);
  restores.push(last.stderr.split('\n').find((x) => x.includes('"model snapshot restored"')) ?? '(no restore line)');
  return { points, restores, seconds: (Date.now() - t0) / 1000 };
}

describe('crash recovery (real broker, built CLI, SIGKILL)', () => {
  it(`at-least-once: ${KILLS} SIGKILLs at seeded random points of a ${N}-event partition → the same model bit for bit, every id scored, re-sent scores identical`, async () => {
    const l = lane('alo');
    const r = await crashRun(l, [], 20261201);
    console.log(`[crash] at-least-once kill points (records on the scores topic): ${r.points.join(', ')}; ${r.seconds.toFixed(1)} s wall in all`);
    for (const line of r.restores) console.log(`[crash]   restore: ${line.slice(0, 260)}`);
    expect(readFileSync(l.modelOut, 'utf8')).toBe(reference.model);
    expect((await finalState(l)) === reference.state).toBe(true);
    const scores = await readToEnd(kafka, l.scores, 60_000);
    const byId = new Map<string, string>();
    let resent = 0;
    for (const s of scores) {
      const id = (JSON.parse(s.value) as { id: string }).id;
      const first = byId.get(id);
      if (first === undefined) byId.set(id, s.value);
      else {
        resent++;
        if (first !== s.value) expect(s.value).toBe(first);
      }
    }
    expect(byId.size).toBe(N);
    console.log(`[crash] at-least-once: ${scores.length} score records, ${N} distinct ids, ${resent} re-sent (all identical)`);
    expect(resent).toBeGreaterThan(0);
  }, 400_000);

  it(`exactly-once: ${KILLS} SIGKILLs → the same model bit for bit, and read_committed sees each of the ${N} ids exactly once`, async () => {
    const l = lane('eos');
    const r = await crashRun(l, ['--exactly-once'], 20261202);
    console.log(`[crash] exactly-once kill points (records incl. aborted on the scores topic): ${r.points.join(', ')}; ${r.seconds.toFixed(1)} s wall in all`);
    for (const line of r.restores) console.log(`[crash]   restore: ${line.slice(0, 260)}`);
    expect(readFileSync(l.modelOut, 'utf8')).toBe(reference.model);
    expect((await finalState(l)) === reference.state).toBe(true);
    const scores = await readToEnd(kafka, l.scores, 60_000);
    const ids = new Set<string>();
    let twice = 0;
    for (const s of scores) {
      const id = (JSON.parse(s.value) as { id: string }).id;
      if (ids.has(id)) twice++;
      ids.add(id);
    }
    const raw = await topicSize(admin, l.scores);
    console.log(`[crash] exactly-once: ${scores.length} committed scores (${raw} records incl. aborted and markers), ${twice} ids twice`);
    expect(twice).toBe(0);
    expect(ids.size).toBe(N);
    expect(scores.length).toBe(N);
  }, 400_000);
});
