/**
 * Helpers for the `*.int.test.ts` files that run against a real broker (KAFKA_BROKERS, set by
 * `bash infra/kafka/kafka.sh with-test-broker -- ...`). Not part of the public API.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { resolveKafkaConfig } from './kafka-config.js';
import { createKafkaClient } from './kafka-client.js';

/**
 * The brokers of the integration tests; throws a clear error when KAFKA_BROKERS is not set.
 *
 * @example
 * const brokers = requireBrokers();
 */
export function requireBrokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (b === undefined || b.trim() === '') {
    throw new Error(
      'KAFKA_BROKERS is not set: integration tests need a real broker. Run them through ' +
        '`bash infra/kafka/kafka.sh with-test-broker -- npx vitest run --config vitest.int.config.ts` ' +
        '(it starts one on 127.0.0.1:19092), or set KAFKA_BROKERS=host:port of a running broker.',
    );
  }
  return b;
}

/** A kafkajs client on the test broker, logging kafkajs errors only. */
export function testKafka(clientId = 'int-test'): Kafka {
  return createKafkaClient(resolveKafkaConfig({ brokers: requireBrokers(), clientId, logLevel: 'error' }));
}

/** A topic or group name no other test (or earlier run) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Resolves like `p`, or rejects with a message naming `what` after `ms` milliseconds.
 *
 * @example
 * await within(allDelivered, 30_000, 'all 900 messages delivered');
 */
export async function within<T>(p: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for: ${typeof what === 'string' ? what : what()}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise with its resolve function, for events the tests wait on. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One message read back by {@link readAll}. */
export interface ReadMessage {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Reads at least `n` messages of `topic` from the beginning with a throw-away group, bounded by
 * `timeoutMs`, and returns what it saw (compare with {@link messageCount} for "exactly").
 */
export async function readAll(kafka: Kafka, topic: string, n: number, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: unique('reader'), maxWaitTimeInMs: 200 });
  const seen: ReadMessage[] = [];
  const done = deferred();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) seen.push({ partition: batch.partition, message });
        if (seen.length >= n) done.resolve();
      },
    });
    await within(done.promise, timeoutMs, () => `${n} messages on ${topic} (got ${seen.length})`);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** How many messages a (non-transactional) topic holds: the sum of its partitions' end offsets. */
export async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
