import { afterAll, describe, expect, it } from 'vitest';
import { messageCount, readAll, requireBrokers, testKafka, unique, within } from './kafka/int-test-support.js';
import { createLogger } from './logger.js';
import { runConfigFromFlags } from './options.js';
import type { PublishedMetrics } from './pipeline/batch-processor.js';
import { runService } from './run.js';

const kafka = testKafka('run-int');
const silent = createLogger({ learnerId: 'int', level: 'silent' });

function capture() {
  const out: string[] = [];
  return { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, out };
}

describe('runService on Kafka (integration)', () => {
  const base = unique('a-run');
  const topics = { events: `${base}-events`, scores: `${base}-scores`, metrics: `${base}-metrics`, dlq: `${base}-dlq`, snapshots: `${base}-snap` };
  const groupId = `${base}-group`;
  const flags = {
    brokers: requireBrokers(),
    groupId,
    eventsTopic: topics.events,
    scoresTopic: topics.scores,
    metricsTopic: topics.metrics,
    dlqTopic: topics.dlq,
    snapshotsTopic: topics.snapshots,
    partitions: '2',
    exitOnIdle: '3',
    metricsEvery: '500',
    logLevel: 'silent',
  };

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('scores every good event, dead-letters the bad ones, publishes metrics, commits, and a restart resumes after the commits', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topics.events, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const good = 2000;
    const messages = [];
    for (let i = 0; i < good; i++) {
      messages.push({ key: `k${i}`, value: JSON.stringify({ id: `e-${i}`, ts: Date.now(), features: { a: (i % 7) / 7, b: (i % 5) / 5 }, label: (i % 7) / 7 > (i % 5) / 5 ? 1 : 0 }) });
    }
    messages.push({ key: 'bad-1', value: '{"id":' }, { key: 'bad-2', value: '{"id":"x","features":[1],"label":2}' }, { key: 'bad-3', value: '[]' });
    await producer.send({ topic: topics.events, messages });
    await producer.disconnect();

    const io = capture();
    const s = await within(runService(runConfigFromFlags(flags, {}), { ...io, logger: silent }), 90_000, 'the learner to go idle and stop');
    expect(s.exitCode).toBe(0);
    expect(s.reason).toBe('idle');
    expect(s.scored).toBe(good);
    expect(s.rejected).toBe(3);

    const scores = await readAll(kafka, topics.scores, good);
    expect(new Set(scores.map((m) => (JSON.parse(m.message.value!.toString()) as { id: string }).id)).size).toBe(good);
    expect(await messageCount(kafka, topics.scores)).toBe(good);
    // A score is keyed like its event.
    const one = scores.find((m) => (JSON.parse(m.message.value!.toString()) as { id: string }).id === 'e-17')!;
    expect(one.message.key!.toString()).toBe('k17');
    const dlq = await readAll(kafka, topics.dlq, 3);
    const codes = dlq.map((m) => (JSON.parse(m.message.value!.toString()) as { error: { code: string } }).error.code).sort();
    expect(codes).toEqual(['bad-json', 'label-range', 'not-an-object']);
    const metrics = await readAll(kafka, topics.metrics, 2);
    const last = JSON.parse(metrics[metrics.length - 1].message.value!.toString()) as PublishedMetrics;
    expect(last.events.seen).toBe(good);
    expect(JSON.parse(io.out.join('').trimEnd().split('\n').at(-1)!)).toMatchObject({ events: { seen: good } });

    const a2 = kafka.admin();
    await a2.connect();
    const committed = await a2.fetchOffsets({ groupId, topics: [topics.events] });
    const high = await a2.fetchTopicOffsets(topics.events);
    await a2.disconnect();
    for (const p of committed[0].partitions) {
      expect(p.offset).toBe(high.find((h) => h.partition === p.partition)!.high);
    }

    // Same group again: nothing left to read, so it idles out having processed nothing.
    const again = await within(runService(runConfigFromFlags(flags, {}), { ...capture(), logger: silent }), 90_000, 'the second learner to go idle');
    expect(again.exitCode).toBe(0);
    expect(again.events).toBe(0);
  });
});
