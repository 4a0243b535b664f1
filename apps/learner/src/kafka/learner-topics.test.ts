import { describe, expect, it } from 'vitest';
import { DEFAULT_LEARNER_TOPICS, learnerTopicSpecs } from './learner-topics.js';

describe('learnerTopicSpecs', () => {
  it('compacts only the snapshots topic and keeps metrics on one partition', () => {
    const specs = learnerTopicSpecs(DEFAULT_LEARNER_TOPICS, 3);
    expect(specs.map((s) => s.name)).toEqual(['events', 'scores', 'metrics', 'events-dlq', 'model-snapshots']);
    expect(specs.filter((s) => s.compacted === true).map((s) => s.name)).toEqual(['model-snapshots']);
    expect(specs.find((s) => s.name === 'metrics')?.partitions).toBe(1);
    expect(specs.find((s) => s.name === 'events')?.partitions).toBe(3);
    expect(specs.find((s) => s.name === 'model-snapshots')?.config).toEqual({ 'max.message.bytes': String(64 * 1024 * 1024) });
  });
});
