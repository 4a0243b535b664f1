import type { TopicSpec } from './topics.js';

/** The learner's topic names (SPEC §2 defaults: events, scores, metrics, events-dlq, model-snapshots). */
export interface LearnerTopicNames {
  readonly events: string;
  readonly scores: string;
  readonly metrics: string;
  readonly dlq: string;
  readonly snapshots: string;
}

/** `max.message.bytes` of a created snapshots topic (64 MiB). */
export const SNAPSHOT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** SPEC §2 default topic names. */
export const DEFAULT_LEARNER_TOPICS: LearnerTopicNames = Object.freeze({
  events: 'events',
  scores: 'scores',
  metrics: 'metrics',
  dlq: 'events-dlq',
  snapshots: 'model-snapshots',
});

/**
 * The topic specs a learner needs, for ensureTopics: every topic with `partitions`, except metrics
 * (one partition: one ordered stream of reports) and the snapshots topic, compacted, with
 * `max.message.bytes` = {@link SNAPSHOT_MAX_MESSAGE_BYTES}.
 *
 * @param names topic names (default SPEC §2's)
 * @param partitions partitions of the events, scores and DLQ topics (default 1)
 * @example
 * await ensureTopics(admin, { topics: learnerTopicSpecs(DEFAULT_LEARNER_TOPICS, 3) });
 */
export function learnerTopicSpecs(names: LearnerTopicNames = DEFAULT_LEARNER_TOPICS, partitions = 1): TopicSpec[] {
  return [
    { name: names.events, partitions },
    { name: names.scores, partitions },
    { name: names.metrics, partitions: 1 },
    { name: names.dlq, partitions },
    // A snapshot of a dense or densely used hashed model can exceed the 1 MiB default even gzip'd.
    { name: names.snapshots, partitions, compacted: true, config: { 'max.message.bytes': String(SNAPSHOT_MAX_MESSAGE_BYTES) } },
  ];
}
