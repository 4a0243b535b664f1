/**
 * Issue 8 / SPEC §4 scale-out, reduced (the full figures come from `pnpm bench:group`, 1 M events):
 * 60 000 events over 6 partitions, three `logit run` processes (the built CLI) in one consumer group,
 * one of them SIGKILLed once 40% of the events have a score; the survivors take over its partitions.
 * Every event id has a score at the end, the scores come from more than one learner, and the group's
 * prequential log loss (per id, the last score) is within 2% of a single learner's on the same stream.
 * The group forms before the events are produced, so no member learns alone at the start. Learning
 * options: `--dense-dim 20 --standardize` (see LEARNER_ARGS). Needs
 * KAFKA_BROKERS and a build.
 */
import type { Admin, Kafka } from 'kafkajs';
import { produce } from '@logit-stream/producer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGroupScenario, type GroupScenarioOptions, type GroupScenarioResult } from '../bench/group-scenario.js';
import { summarizeGroupScores } from '../bench/group-score-summary.js';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { CLI_PATH, requireBuiltCli } from '../testing/kafka-test-kit.js';

const N = 60_000;
const PARTITIONS = 6;
/**
 * `--standardize`: with it one learner's SGD is near its optimum within these 60 000 events. Without it
 * (uncentred features in [0,1)) it is still far from it here, and model averaging, which slows the
 * group's progress while the model is far from its optimum (docs/delivery-guarantees.md, Limits), left
 * the group 4.3% behind one learner at this size (and 0.05% behind at 1 M events, docs/scale-out.md).
 */
const LEARNER_ARGS = ['--dense-dim', '20', '--standardize'];
/** The group's log loss may exceed the single learner's by at most this fraction (the target of issue 8 at 1 M events, kept at this reduced size). */
const TOLERANCE = 0.02;

let brokers: string;
let kafka: Kafka;
let admin: Admin;
let events: string;

/** The stream of `pnpm bench:group`, reduced: stationary hyperplane, 20 dense features, ρ0 = ρ1 = 0.1, seed 8. */
async function produceEvents(): Promise<void> {
  let ts = 1_767_225_600_000;
  const s = await produce({
    kafka,
    topic: events,
    synthetic: { generator: 'hyperplane', dim: 20, magnitude: 0, seed: 8, noiseRates: [0.1, 0.1], clock: () => ts++ },
    count: N,
    batchSize: 1000,
    maxInFlight: 4,
  });
  expect(s.sent).toBe(N);
}

function scenario(name: string, o: Pick<GroupScenarioOptions, 'instances' | 'idleSeconds'> & Partial<GroupScenarioOptions>): Promise<GroupScenarioResult> {
  return runGroupScenario({
    kafka,
    admin,
    brokers,
    cliPath: CLI_PATH,
    eventsTopic: events,
    partitions: PARTITIONS,
    name,
    learnerArgs: LEARNER_ARGS,
    sessionTimeoutMs: 6000,
    timeoutMs: 70_000,
    log: (m) => console.log(`[scale-out] ${m}`),
    ...o,
  });
}

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('scale-out-int');
  admin = kafka.admin();
  await admin.connect();
  events = unique('so-events');
  await ensureTopics(admin, { topics: [events], partitions: PARTITIONS });
});

afterAll(async () => {
  await admin?.deleteTopics({ topics: [events] }).catch(() => {});
  await admin?.disconnect();
});

describe('scale-out (real broker, built CLI, 3 learners in one group, one SIGKILLed)', () => {
  it(`${N} events over ${PARTITIONS} partitions: every id scored, by more than one learner, the SIGKILLed one's partitions taken over; group log loss within ${TOLERANCE * 100}% of one learner's`, async () => {
    const t0 = Date.now();
    // The survivors must outwait the dead member's session (6 s) and the rebalance: idle exit after 12 s.
    const group = await scenario('so-group', {
      instances: [{ learnerId: 'learner-0' }, { learnerId: 'learner-1', killAtScores: Math.round(0.4 * N) }, { learnerId: 'learner-2' }],
      idleSeconds: 12,
      afterJoin: produceEvents,
    });
    const g = summarizeGroupScores(group.rows);
    const [l0, l1, l2] = group.instances;
    expect(l1.signal).toBe('SIGKILL');
    expect(l1.killedAtScores).toBeGreaterThanOrEqual(0.4 * N);
    expect(l1.killedAtScores).toBeLessThan(N);
    expect([l0.code, l2.code]).toEqual([0, 0]);
    expect(g.distinctIds).toBe(N);

    const single = await scenario('so-single', { instances: [{ learnerId: 'learner-0' }], idleSeconds: 4 });
    const s = summarizeGroupScores(single.rows);
    expect(s.distinctIds).toBe(N);
    const ratio = g.logLoss / s.logLoss;
    console.log(
      `[scale-out] group: log loss ${g.logLoss.toFixed(4)} over ${g.distinctIds} ids (${g.records} records, ${g.rescored} re-sent), killed at ${l1.killedAtScores} scores; ` +
        `single: ${s.logLoss.toFixed(4)}; ratio ${ratio.toFixed(4)}; per learner ${g.perLearner.map((p) => `${p.learnerId} ${p.scores}`).join(', ')}; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(group.learnerIdInScores).toBe(true);
    const scorers = g.perLearner.filter((p) => p.scores > 0).map((p) => p.learnerId);
    expect(scorers.length).toBeGreaterThan(1);
    expect(scorers).toEqual(expect.arrayContaining(['learner-0', 'learner-2']));
    expect(ratio).toBeLessThanOrEqual(1 + TOLERANCE);
  }, 115_000);
});
