/**
 * Scale-out guard (real broker, built CLI): two live instances with ONE learner id in one group would
 * overwrite each other's snapshots. Each snapshot record names the process that wrote it (headers);
 * the instance that started later sees the earlier one's snapshots after its own catch-up, logs why,
 * and stops with exit code 1; the earlier one runs on to the end of the stream. A third instance with
 * another exactly-once flag is refused before it connects its transactional producers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { requireBuiltCli, spawnCli, uniqueLearnerTopics } from '../testing/kafka-test-kit.js';
import { produceDense, topicSize, waitFor } from './recovery-int-support.js';

const N = 40_000;
let brokers: string;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('duplicate-id-int');
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

describe('two instances with one learner id (real broker)', () => {
  it('the later one stops with a clear error, the earlier one finishes the stream; --exactly-once refuses to join a live group', async () => {
    const t = uniqueLearnerTopics('dup');
    const group = unique('dup-group');
    await ensureTopics(admin, { topics: [t.events], partitions: 2 });
    await produceDense(kafka, t.events, N);
    const args = (id: string, extra: readonly string[] = []): string[] => [
      'run',
      '--events-topic', t.events,
      '--scores-topic', t.scores,
      '--metrics-topic', t.metrics,
      '--dlq-topic', t.dlq,
      '--snapshots-topic', t.snapshots,
      '--group-id', group,
      '--learner-id', id,
      '--dense-dim', '4',
      '--snapshot-interval-ms', '300',
      '--exit-on-idle', '6',
      '--session-timeout-ms', '6000',
      '--log-level', 'info',
      ...extra,
    ];
    const first = spawnCli(args('same'), { brokers }, 150_000);
    await waitFor(async () => (await topicSize(admin, t.snapshots)) > 0, 60_000, () => `a first snapshot on ${t.snapshots}`);
    // Events keep arriving while the second instance runs, so the first keeps writing snapshots.
    let producing = true;
    let produced = N;
    const feeder = (async () => {
      while (producing) {
        await produceDense(kafka, t.events, 500, produced);
        produced += 500;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const second = await spawnCli(args('same'), { brokers }, 90_000).done;
    expect(second.code, second.stderr.slice(-2000)).toBe(1);
    expect(second.stderr).toMatch(/another instance \([0-9a-f]{12}, started .*\) runs with learner id same in group .* give every instance of a group its own --learner-id/);

    const exactlyOnce = await spawnCli(args('other', ['--exactly-once']), { brokers }, 60_000).done;
    expect(exactlyOnce.code, exactlyOnce.stderr.slice(-2000)).toBe(2);
    expect(exactlyOnce.stderr).toMatch(/--exactly-once runs one learner per group, but learner same of group/);
    producing = false;
    await feeder;

    const end = await first.done;
    expect(end.code, end.stderr.slice(-2000)).toBe(0);
    expect(end.stderr).not.toMatch(/another instance/);
    const last = JSON.parse(end.stdout.trim().split('\n').pop() as string) as { learnerId: string; events: { seen: number } };
    expect(last.learnerId).toBe('same');
    expect(last.events.seen).toBeGreaterThan(0);
  }, 240_000);
});
