import type { TopicSpec } from './topics.js';

/** The learner's topic names (SPEC §2 defaults: events, scores, metrics, events-dlq, model-snapshots). */
export interface LearnerTopicNames {
  readonly events: string;
  readonly scores: string;
  readonly metrics: string;
  readonly dlq: string;
  readonly snapshots: string;
}

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
 * (one partition: one ordered stream of reports) and the snapshots topic, compacted.
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
    { name: names.snapshots, partitions, compacted: true },
  ];
}
