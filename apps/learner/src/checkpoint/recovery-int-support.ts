/**
 * Helpers of the checkpoint/recovery integration tests (real broker, built CLI). Not public API.
 * Spawning the CLI (`spawnCli`, `requireBuiltCli`) is in `../testing/kafka-test-kit.ts`.
 */
import type { Admin, Kafka } from 'kafkajs';
import { readTopicToEnd } from '../kafka/read-topic-to-end.js';

/** Records in a topic (sum of high − low over partitions; markers and aborted records count too). */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
}

/**
 * Resolves once `cond()` holds (polled every `everyMs`), or rejects after `timeoutMs` naming `what`.
 * A poll that throws a retriable Kafka error (a topic the learner has just created, whose leader the
 * broker does not know yet: NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION) counts as "not yet";
 * any other error rejects at once.
 */
export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, what: () => string, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let holds = false;
    try {
      holds = await cond();
    } catch (e) {
      if ((e as { retriable?: unknown } | null)?.retriable !== true) throw e;
    }
    if (holds) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Deterministic uniform numbers in [0, 1) (mulberry32) for seeded kill points. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Produces `n` dense 4-feature labelled events `c-<i>` to one partition of `topic`, in batches of 2000. */
export async function produceDense(kafka: Kafka, topic: string, n: number, from = 0): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let s = from; s < from + n; s += 2000) {
      const messages: { key: string; value: string }[] = [];
      for (let i = s; i < Math.min(from + n, s + 2000); i++) messages.push(denseEvent(i));
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Event `c-<i>`: four features from fixed sequences, a label from a fixed linear rule with 10% flips. */
export function denseEvent(i: number): { key: string; value: string } {
  const x1 = ((i * 37) % 101) / 50 - 1;
  const x2 = ((i * 53) % 97) / 48 - 1;
  const x3 = ((i * 29) % 89) / 44 - 1;
  const x4 = ((i * 61) % 83) / 41 - 1;
  const clean = 2 * x1 - x2 + 0.5 * x3 - x4 > 0 ? 1 : 0;
  const label = (i * 7919) % 10 === 0 ? 1 - clean : clean;
  const id = `c-${i}`;
  return { key: id, value: JSON.stringify({ id, ts: 1_767_225_600_000 + i, features: [x1, x2, x3, x4], label }) };
}

/**
 * Reads a topic from its beginning to its current end (read_committed unless `readUncommitted`):
 * every record's key and value as strings, in partition order.
 */
export async function readToEnd(kafka: Kafka, topic: string, timeoutMs: number, readUncommitted = false): Promise<{ key: string; value: string }[]> {
  const records = await readTopicToEnd(kafka, topic, { timeoutMs, readUncommitted });
  return records.map(({ message: m }) => ({ key: m.key?.toString('utf8') ?? '', value: m.value?.toString('utf8') ?? '' }));
}
