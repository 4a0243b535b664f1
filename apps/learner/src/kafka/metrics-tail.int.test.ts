import { OnlineLearner } from '@logit-stream/core';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroupMonitor } from '../http/group-monitor.js';
import { GroupView } from '../http/group-view.js';
import { BatchProcessor } from '../pipeline/batch-processor.js';
import { testKafka, unique, within } from './int-test-support.js';
import { MetricsTail } from './metrics-tail.js';

let kafka: Kafka;

beforeAll(() => {
  kafka = testKafka('metrics-tail-int');
});

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** A real published report (BatchProcessor, the count-driven one, not final) of `n` labelled events, stamped `ts`. */
function report(learnerId: string, groupId: string, n: number, ts: number): string {
  const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 1 } }, learnerId), topics: { scores: 's', metrics: 'm', dlq: 'd' }, groupId, metricsEvery: n, now: () => ts });
  const messages = Array.from({ length: n }, (_, i) => ({ topic: 'e', partition: 0, offset: String(i), key: null, value: Buffer.from(`{"id":"e${i}","features":[${i % 3}],"label":${i % 2}}`), timestamp: ts }));
  const [m] = p.processBatch({ topic: 'e', partition: 0, messages }).records.filter((r) => r.topic === 'm');
  return String(m.value);
}

describe('MetricsTail (real broker)', () => {
  it('reads the metrics topic from the beginning into the group view, follows new reports, and never commits', async () => {
    const topic = unique('mt-metrics');
    const groupId = unique('mt-group');
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const view = new GroupView({ groupId, staleAfterMs: 15_000 });
    const tail = new MetricsTail({ kafka, topic, view, logger: quiet, groupIdPrefix: `${groupId}/mt-` });
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
      const now = Date.now();
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'a', value: report('a', groupId, 100, now - 1000) },
          { key: 'b', value: report('b', groupId, 300, now - 500) },
          { key: 'c', value: report('c', groupId, 50, now - 20_000) }, // stale (older than 15 s)
          { key: 'x', value: report('x', 'another-group', 70, now - 500) },
          { key: 'old', value: report('old', groupId, 10, now - 3_600_000), timestamp: String(now - 3_600_000) }, // past the forget limit
          { key: 'junk', value: 'not json' },
        ],
      });
      await tail.start(30_000);
      expect(tail.caughtUp).toBe(true);
      expect(tail.received).toBe(6);
      expect([tail.unreadable, tail.skippedOld]).toEqual([1, 1]);
      let j = view.toJSON();
      expect(j.learners.map((r) => [r.learnerId, r.events])).toEqual([
        ['a', 100],
        ['b', 300],
      ]);
      expect(j.stale.map((r) => r.learnerId)).toEqual(['c']);
      expect(j.counts.otherGroup).toBe(1);
      expect(j.totals.events).toBe(400);
      expect(j.totals.labelled).toBe(400);

      // A new report of a arrives while the tail runs.
      await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: report('a', groupId, 250, Date.now()) }] });
      await within(
        (async () => {
          for (let i = 0; i < 300 && (view.toJSON().learners.find((r) => r.learnerId === 'a')?.events ?? 0) !== 250; i++) await new Promise((r) => setTimeout(r, 50));
        })(),
        20_000,
        () => `a's new report in the view (now ${JSON.stringify(view.toJSON().learners)})`,
      );
      j = view.toJSON();
      expect(j.totals.events).toBe(550);
      await tail.stop();

      // The tail's consumer group (the prefix, '/' made '_', then a random suffix) holds no committed offset.
      const groups = (await admin.listGroups()).groups.filter((g) => g.groupId.startsWith(`${groupId}_mt-`));
      expect(groups.length).toBe(1);
      const offsets = await admin.fetchOffsets({ groupId: groups[0].groupId, topics: [topic] });
      for (const p of offsets[0].partitions) expect(p.offset).toBe('-1');
    } finally {
      await tail.stop();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('startGroupMonitor: this learner and its peers from the topic; a stop during the catch-up leaves no consumer behind', async () => {
    const topic = unique('gm-metrics');
    const groupId = unique('gm-group');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'peer', value: report('peer', groupId, 40, Date.now()) }] });
      await producer.disconnect();
      const own = JSON.parse(report('me', groupId, 60, Date.now())) as never;
      const m = startGroupMonitor({ kafka, groupId, topic, staleAfterMs: 15_000, logger: quiet, ownReport: () => own });
      await within(m.ready, 30_000, 'the monitor read the metrics topic');
      expect(m.tail?.caughtUp).toBe(true);
      expect(m.json().learners.map((r) => [r.learnerId, r.events])).toEqual([
        ['me', 60],
        ['peer', 40],
      ]);
      expect(m.json().totals.events).toBe(100);
      await m.stop();

      // Stopped right after the start (before the tail's consumer exists, the start still reading the
      // end offsets): the start settles at once without creating its consumer (or, had it already
      // joined, the monitor stops it), so no member of the tail's group is left behind.
      const early = startGroupMonitor({ kafka, groupId: `${groupId}-early`, topic, staleAfterMs: 15_000, logger: quiet, ownReport: () => null });
      await early.stop();
      await within(early.ready, 70_000, 'the interrupted start settled');
      expect(early.tail?.caughtUp).toBe(false);
      const mine = (await admin.listGroups()).groups.filter((g) => g.groupId.startsWith(`${groupId}-early_metrics-`));
      expect(mine.length).toBeLessThanOrEqual(1);
      if (mine.length === 1) expect((await admin.describeGroups([mine[0].groupId])).groups[0].members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
