import type { Admin, ITopicConfig } from 'kafkajs';
import { KafkaAdapterError } from './kafka-adapter-error.js';

/** One topic to make sure of; a bare string is a topic with the call's defaults. */
export interface TopicSpec {
  readonly name: string;
  /** Partitions when created (default: the call's `partitions`). */
  readonly partitions?: number;
  /** `cleanup.policy=compact` (the model-snapshots topic: the newest value per key is kept). */
  readonly compacted?: boolean;
  /** Further topic configs when created, e.g. `{ 'retention.ms': '86400000' }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/** Settings of {@link ensureTopics}. */
export interface EnsureTopicsOptions {
  readonly topics: readonly (string | TopicSpec)[];
  /** Default partitions of a created topic (default 1). */
  readonly partitions?: number;
  /** Replication factor of created topics (default 1: the local single broker). */
  readonly replicationFactor?: number;
  /** How long creation may take, leaders included (default 30000 ms). */
  readonly timeoutMs?: number;
}

/** What {@link ensureTopics} did. */
export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

function spec(t: string | TopicSpec): TopicSpec {
  return typeof t === 'string' ? { name: t } : t;
}

/**
 * Creates the topics that do not exist yet and waits until their partitions have leaders (fresh KRaft
 * topics can otherwise answer "This server does not host this topic-partition"). Existing topics are
 * left alone, whatever their partitions or configs; a concurrent creation by another process counts as
 * existing. Idempotent.
 *
 * @param admin a connected kafkajs admin client
 * @param o the topics, with default partitions and replication factor
 * @returns which topics were created and which already existed
 * @throws KafkaAdapterError 'bad-setting' for an invalid name or count, 'create-topics-failed' when the broker refuses
 * @example
 * await ensureTopics(admin, { topics: ['events', 'scores', { name: 'model-snapshots', compacted: true }], partitions: 3 });
 */
export async function ensureTopics(admin: Admin, o: EnsureTopicsOptions): Promise<EnsureTopicsResult> {
  const specs = o.topics.map(spec);
  const defaultPartitions = o.partitions ?? 1;
  const replicationFactor = o.replicationFactor ?? 1;
  for (const s of specs) {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(s.name) || s.name === '.' || s.name === '..') {
      throw new KafkaAdapterError('bad-setting', `topic name ${JSON.stringify(s.name)} is not valid: use 1..249 characters of A-Z a-z 0-9 . _ -`);
    }
    const p = s.partitions ?? defaultPartitions;
    if (!Number.isInteger(p) || p < 1 || p > 10000) {
      throw new KafkaAdapterError('bad-setting', `partitions ${p} of topic ${s.name} must be a whole number in 1..10000`);
    }
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new KafkaAdapterError('bad-setting', `replicationFactor ${replicationFactor} must be a whole number >= 1`);
  }
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !present.has(s.name));
  const created: string[] = [];
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((s) => {
      const config: Record<string, string> = { ...(s.config ?? {}) };
      if (s.compacted === true) config['cleanup.policy'] = 'compact';
      return {
        topic: s.name,
        numPartitions: s.partitions ?? defaultPartitions,
        replicationFactor,
        configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
      };
    });
    try {
      await admin.createTopics({ topics, waitForLeaders: true, timeout: o.timeoutMs ?? 30000 });
    } catch (cause) {
      // Another process may have created some of them meanwhile: that is fine, anything else is not.
      const after = new Set(await admin.listTopics());
      if (!missing.every((s) => after.has(s.name))) {
        throw new KafkaAdapterError(
          'create-topics-failed',
          `creating topics ${missing.map((s) => s.name).join(', ')} failed: ${(cause as Error).message}; check the broker's logs (replication factor ${replicationFactor} needs that many brokers)`,
          { cause, retriable: true },
        );
      }
    }
    for (const s of missing) created.push(s.name);
  }
  return { created, existing: specs.filter((s) => present.has(s.name)).map((s) => s.name) };
}
