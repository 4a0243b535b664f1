/**
 * The lean broker registry on the real broker (KAFKA_BROKERS): Metadata v12 of a 4-partition topic
 * (topic id, leaders, leader epochs, node addresses), node connections reused and re-opened after a
 * close, FindCoordinator v6 for a group.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBrokers, testKafka, unique } from '../int-test-support.js';
import { resolveKafkaConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';
import { ensureTopics } from '../topics.js';
import { createLeanBrokers } from './lean-brokers.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const config = () => resolveKafkaConfig({ brokers: requireBrokers(), logLevel: 'error' }, {});
let admin: Admin;

beforeAll(async () => {
  admin = testKafka('lean-brokers-int').admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
});

describe('createLeanBrokers (real broker)', () => {
  it('metadata: a non-zero topic id (the index maps it back to the name), 4 partitions with their leader and leader epoch, node addresses; unknown topics carry their error code', async () => {
    const topic = unique('lean-brokers');
    const missing = unique('lean-missing');
    await ensureTopics(admin, { topics: [topic], partitions: 4 });
    const brokers = createLeanBrokers(config(), 'lean-brokers-int', quiet);
    try {
      const m = await brokers.metadata([topic, missing]);
      const t = m.topics.get(topic)!;
      expect(t.errorCode).toBe(0);
      expect(t.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3]);
      const kjs = await admin.fetchTopicMetadata({ topics: [topic] });
      const byPartition = new Map(kjs.topics[0].partitions.map((p) => [p.partitionId, p.leader]));
      for (const p of t.partitions) {
        expect(p.errorCode).toBe(0);
        expect(p.leaderId).toBe(byPartition.get(p.partition));
        expect(p.leaderEpoch).toBeGreaterThanOrEqual(0);
      }
      expect(t.topicId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(t.topicId).not.toBe('00000000-0000-0000-0000-000000000000');
      expect(brokers.topicName(t.topicId)).toBe(topic);
      const leader = m.brokers.get(t.partitions[0].leaderId)!;
      expect(`${leader.host}:${leader.port}`).toBe(requireBrokers().split(',')[0]);
      expect(m.topics.get(missing)!.errorCode).toBe(3); // UNKNOWN_TOPIC_OR_PARTITION, not auto-created
      const again = await admin.fetchTopicMetadata().then((x) => x.topics.map((y) => y.name));
      expect(again).not.toContain(missing);
      // cachedMetadata: the same answer while fresh, a new one after forgetMetadata or when older than maxAgeMs
      const c1 = await brokers.cachedMetadata([topic]);
      expect(await brokers.cachedMetadata([topic])).toBe(c1);
      expect(c1.topics.get(topic)!.topicId).toBe(t.topicId);
      expect(await brokers.cachedMetadata([topic], 0)).not.toBe(c1);
      const c2 = await brokers.cachedMetadata([topic]);
      brokers.forgetMetadata();
      expect(await brokers.cachedMetadata([topic])).not.toBe(c2);
      // an answer with an unknown topic is not kept
      const u1 = await brokers.cachedMetadata([topic, missing]);
      expect(await brokers.cachedMetadata([topic, missing])).not.toBe(u1);
    } finally {
      await brokers.close();
    }
  });

  it('node(id) opens one connection and reuses it, a new one after it closed; coordinator(group) is its own connection; unknown node ids are refused', async () => {
    const brokers = createLeanBrokers(config(), 'lean-brokers-int', quiet);
    try {
      const m = await brokers.metadata([]);
      const id = [...m.brokers.keys()][0];
      const a = await brokers.node(id);
      const b = await brokers.node(id);
      expect(b).toBe(a);
      await a.close();
      const c = await brokers.node(id);
      expect(c).not.toBe(a);
      expect(c.isConnected()).toBe(true);
      const group = unique('lean-group');
      const k1 = await brokers.coordinator(group);
      expect(k1).not.toBe(c);
      expect(await brokers.coordinator(group)).toBe(k1);
      brokers.forgetCoordinator(group);
      const k2 = await brokers.coordinator(group);
      expect(k2).not.toBe(k1);
      await expect(brokers.node(4242)).rejects.toMatchObject({ code: 'unknown-node' });
    } finally {
      await brokers.close();
    }
  });
});
