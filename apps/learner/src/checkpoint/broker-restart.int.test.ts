/**
 * A broker outage in the middle of a stream (issue 5), on the real broker with the built CLI: while
 * the learner consumes 40 000 events, the broker is stopped (`kafka.sh stop`, data kept) and started
 * again (`kafka.sh start`) a few seconds later, and 20 000 more events follow. The learner waits (its sends and commits are retried,
 * its consumer reconnects), finishes, and nothing is lost: every event id has a score and the final
 * model equals that of an uninterrupted run. Needs KAFKA_BROKERS naming a broker of this checkout
 * (kafka.sh with-test-broker or kafka.sh up) and a build.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { produceDense, readToEnd, topicSize, waitFor } from './recovery-int-support.js';
import { requireBuiltCli, spawnCli, uniqueLearnerTopics } from '../testing/kafka-test-kit.js';

const run = promisify(execFile);
const KAFKA_SH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../infra/kafka/kafka.sh');
const N = 60_000;

let brokers: string;
let port: string;
let dir: string;

beforeAll(() => {
  brokers = requireBrokers();
  requireBuiltCli();
  const m = /:(\d+)$/.exec(brokers.split(',')[0].trim());
  if (m === null) throw new Error(`KAFKA_BROKERS=${brokers}: cannot read the broker's port`);
  port = m[1];
  dir = mkdtempSync(join(tmpdir(), 'logit-outage-'));
});

function args(t: Record<string, string>, group: string, modelOut: string, extra: readonly string[] = []): string[] {
  return [
    'run',
    '--events-topic', t.events,
    '--scores-topic', t.scores,
    '--metrics-topic', t.metrics,
    '--dlq-topic', t.dlq,
    '--snapshots-topic', t.snapshots,
    '--group-id', group,
    '--dense-dim', '4',
    '--snapshot-every', '5000',
    '--model-out', modelOut,
    '--log-level', 'info',
    ...extra,
  ];
}

/** A fresh client per phase: one that saw the broker go away would log its reconnect attempts. */
async function withKafka<T>(f: (kafka: Kafka) => Promise<T>): Promise<T> {
  return f(testKafka('broker-restart-int'));
}

describe('broker outage (real broker stopped and started, built CLI)', () => {
  it(`the learner waits for a stopped broker, reconnects and finishes ${N} events with every id scored and the same model as without the outage`, async () => {
    const t = uniqueLearnerTopics('bo');
    const group = unique('bo-group');
    await withKafka(async (kafka) => {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, { topics: [t.events, t.scores], partitions: 1 });
      await admin.disconnect();
      await produceDense(kafka, t.events, N - 20_000);
    });
    // Slow enough to be caught mid-stream: the learner has to start over its fetches after the outage.
    const learner = spawnCli(args(t, group, join(dir, 'outage.json'), ['--session-timeout-ms', '10000', '--broker-wait-ms', '120000']), { brokers }, 240_000);
    let exited = false;
    void learner.done.then(() => (exited = true), () => (exited = true));
    const kafka = testKafka('broker-restart-int-poll');
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => exited || (await topicSize(admin, t.scores)) >= 10_000, 90_000, () => `10000 scores on ${t.scores}`, 20);
    await admin.disconnect();
    expect(exited, learner.stderr().slice(-2000)).toBe(false);
    const t0 = Date.now();
    await run('bash', [KAFKA_SH, 'stop', '--port', port], { timeout: 60_000 });
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    await run('bash', [KAFKA_SH, 'start', '--port', port], { timeout: 120_000 });
    console.log(`[outage] broker stopped after ${((stoppedAt - t0) / 1000).toFixed(1)} s, down for ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s in all`);

    await withKafka((k) => produceDense(k, t.events, 20_000, N - 20_000));
    // The learner carries on; once every event is scored it is stopped with SIGTERM (clean stop).
    await withKafka(async (k) => {
      const a = k.admin();
      await a.connect();
      await waitFor(async () => exited || (await topicSize(a, t.scores)) >= N, 180_000, () => `${N} scores on ${t.scores}`, 200);
      await a.disconnect();
    });
    expect(exited, learner.stderr().slice(-3000)).toBe(false);
    const retries = learner.stderr().split('\n').filter((l) => l.includes('the broker looks unavailable')).length;
    learner.child.kill('SIGTERM');
    const end = await learner.done;
    expect(end.code, end.stderr.slice(-3000)).toBe(0);
    console.log(`[outage] the learner retried ${retries} send(s)/commit(s) while the broker was away`);

    const ids = new Set<string>();
    await withKafka(async (k) => {
      for (const s of await readToEnd(k, t.scores, 60_000)) ids.add((JSON.parse(s.value) as { id: string }).id);
    });
    expect(ids.size).toBe(N);

    const ref = { ...t, scores: unique('bo-ref-scores'), metrics: unique('bo-ref-metrics'), dlq: unique('bo-ref-dlq'), snapshots: unique('bo-ref-snap') };
    const r = await spawnCli(args(ref, unique('bo-ref-group'), join(dir, 'ref.json'), ['--exit-on-idle', '3']), { brokers }, 120_000).done;
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(readFileSync(join(dir, 'outage.json'), 'utf8')).toBe(readFileSync(join(dir, 'ref.json'), 'utf8'));
  }, 420_000);
});
