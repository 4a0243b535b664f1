import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka, unique } from './int-test-support.js';
import { ensureTopics } from './topics.js';

let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka('topics-int');
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

async function cleanupPolicy(topic: string): Promise<string | undefined> {
  const r = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }], includeSynonyms: false });
  return r.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
}

async function partitions(topic: string): Promise<number> {
  const m = await admin.fetchTopicMetadata({ topics: [topic] });
  return m.topics[0].partitions.length;
}

describe('ensureTopics (real broker)', () => {
  it('creates missing topics with leaders, compacts the snapshot topic, and is idempotent', async () => {
    const events = unique('t-events');
    const snapshots = unique('t-snapshots');
    const first = await ensureTopics(admin, { topics: [events, { name: snapshots, compacted: true }], partitions: 3 });
    expect([...first.created].sort()).toEqual([events, snapshots].sort());
    expect(first.existing).toEqual([]);
    expect(await partitions(events)).toBe(3);
    expect(await partitions(snapshots)).toBe(3);
    expect(await cleanupPolicy(snapshots)).toBe('compact');
    expect(await cleanupPolicy(events)).toBe('delete');
    const meta = await admin.fetchTopicMetadata({ topics: [events] });
    for (const p of meta.topics[0].partitions) expect(p.leader).toBeGreaterThanOrEqual(0);

    const again = await ensureTopics(admin, { topics: [events, { name: snapshots, compacted: true }], partitions: 3 });
    expect(again.created).toEqual([]);
    expect([...again.existing].sort()).toEqual([events, snapshots].sort());
  });

  it('leaves an existing topic alone (partitions and config unchanged)', async () => {
    const topic = unique('t-existing');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const r = await ensureTopics(admin, { topics: [{ name: topic, compacted: true }], partitions: 4 });
    expect(r.existing).toEqual([topic]);
    expect(await partitions(topic)).toBe(1);
    expect(await cleanupPolicy(topic)).toBe('delete');
  });

  it('refuses an invalid topic name before asking the broker', async () => {
    await expect(ensureTopics(admin, { topics: ['bad name!'] })).rejects.toThrow(/topic name "bad name!" is not valid/);
  });
});
