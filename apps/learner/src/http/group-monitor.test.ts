import { OnlineLearner } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { BatchProcessor, type PublishedMetrics } from '../pipeline/batch-processor.js';
import { startGroupMonitor } from './group-monitor.js';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

describe('startGroupMonitor', () => {
  it('without Kafka shows this learner alone, from its own last report (embedded mode)', async () => {
    let t = 10_000;
    const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 1 } }, 'me'), topics: { scores: 's', metrics: 'm', dlq: 'd' }, groupId: 'g', metricsEvery: 4, now: () => t });
    const m = startGroupMonitor({ kafka: null, groupId: 'g', topic: 'm', staleAfterMs: 15_000, logger: quiet, now: () => t, ownReport: () => p.lastReport });
    expect(m.tail).toBeNull();
    await m.ready;
    expect(m.json().learners).toEqual([]); // no report yet
    p.processBatch({
      topic: 'e',
      partition: 0,
      messages: Array.from({ length: 4 }, (_, i) => ({ topic: 'e', partition: 0, offset: String(i), key: null, value: Buffer.from(`{"id":"e${i}","features":[${i}],"label":${i % 2}}`), timestamp: 9000 })),
    });
    t = 11_000;
    const j = m.json();
    expect(j.learners.map((r) => [r.learnerId, r.events, r.ageMs])).toEqual([['me', 4, 1000]]);
    expect(j.totals.logLoss).toBe((p.lastReport as PublishedMetrics).total.logLoss);
    m.json();
    expect(m.json().counts.accepted).toBe(1); // the same own report added on every read counts once
    await m.stop();
  });
});
