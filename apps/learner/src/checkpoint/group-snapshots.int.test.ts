/**
 * GroupSnapshots on the real broker: the restore view (`own`) is fixed at the catch-up, and the
 * learner's own snapshots written afterwards (a running learner reads back every one it writes) are
 * counted but not kept, while peers' snapshots keep coming in. Needs KAFKA_BROKERS.
 */
import { OnlineLearner } from '@logit-stream/core';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique } from '../kafka/int-test-support.js';
import { defaultKafkaLogger } from '../kafka/structured-logger.js';
import { ensureTopics } from '../kafka/topics.js';
import { GroupSnapshots } from './group-snapshots.js';
import { waitFor } from './recovery-int-support.js';
import { snapshotKey, snapshotKeyBase } from './snapshot-keys.js';
import { encodeSnapshotValue } from './snapshot-value.js';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  requireBrokers();
  kafka = testKafka('group-snapshots-int');
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

/** Snapshot number `seq` of `learnerId` in `group`, with `seen` events behind it. */
async function writeSnapshot(topic: string, group: string, learnerId: string, seq: number, seen: number): Promise<void> {
  const learner = new OnlineLearner({ features: { kind: 'dense', dim: 2 } }, learnerId);
  const value = encodeSnapshotValue({
    learnerId,
    createdAt: Date.now(),
    offsets: [{ topic: 'events', partition: 0, next: String(seen) }],
    state: learner.toState(),
    config: { seq, groupId: group, options: learner.options },
  });
  await producer.send({ topic, messages: [{ key: snapshotKey(snapshotKeyBase(group, learnerId), seq), value }] });
}

describe('GroupSnapshots (real broker)', () => {
  it('own() is the newest snapshot at the catch-up; own snapshots read later are counted, not kept; peers keep updating', async () => {
    const topic = unique('gs-snapshots');
    const group = unique('gs-group');
    await ensureTopics(admin, { topics: [topic], partitions: 1 });
    await writeSnapshot(topic, group, 'learner-0', 1, 100);
    await writeSnapshot(topic, group, 'learner-0', 2, 200);
    await writeSnapshot(topic, group, 'learner-1', 1, 50);

    const g = new GroupSnapshots({ kafka, topic, groupId: group, learnerId: 'learner-0', logger: defaultKafkaLogger('silent') });
    await g.start(60_000);
    try {
      const atStart = g.own();
      expect(atStart.read).toBe(2);
      expect(atStart.snapshot?.offsets[0].next).toBe('200');
      expect(g.peers().map((p) => [p.learnerId, p.seq])).toEqual([['learner-1', 1]]);

      // What a running learner-0 writes next, then a peer's newer snapshot behind it in the partition.
      await writeSnapshot(topic, group, 'learner-0', 3, 300);
      await writeSnapshot(topic, group, 'learner-1', 2, 150);
      await waitFor(async () => g.peers()[0]?.seq === 2, 30_000, () => `peer snapshot 2 not seen: ${JSON.stringify(g.peers().map((p) => p.seq))}`);

      const later = g.own();
      expect(later.read).toBe(3); // seq 3 was read (it precedes the peer's seq 2)…
      expect(later.snapshot?.offsets[0].next).toBe('200'); // …but the restore view is still the catch-up's
      expect(later.at).toEqual(atStart.at);
    } finally {
      await g.stop();
    }
  });
});
