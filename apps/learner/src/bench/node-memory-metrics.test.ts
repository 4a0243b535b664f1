import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createLearnerRegistry, type LearnerMetricsState } from '../http/learner-metrics.js';
import { nodeMemoryOfMetrics } from './node-memory-metrics.js';

const idle: LearnerMetricsState = { report: null, eventsIn: 0, eventsScored: 0, eventsLearned: 0, eventsRejected: 0, rejectedByCode: new Map(), lag: [], ready: true, snapshotAgeSeconds: null };

describe('nodeMemoryOfMetrics', () => {
  it('maps each prom-client memory metric to its field, whatever the other labels', () => {
    const text = [
      '# HELP nodejs_heap_size_total_bytes Process heap size from Node.js in bytes.',
      'nodejs_heap_size_total_bytes{learner_id="a"} 100',
      'nodejs_heap_size_used_bytes{learner_id="a"} 60',
      'nodejs_external_memory_bytes{learner_id="a"} 7e+3',
      'nodejs_heap_space_size_total_bytes{space="new",learner_id="a"} 11',
      'nodejs_heap_space_size_total_bytes{space="old",learner_id="a"} 22',
      'nodejs_heap_space_size_used_bytes{space="old",learner_id="a"} 5',
      'nodejs_heap_space_size_total_bytes{space="code",learner_id="a"} 33',
      'nodejs_heap_space_size_total_bytes{space="large_object",learner_id="a"} 44',
      '',
    ].join('\n');
    expect(nodeMemoryOfMetrics(text)).toEqual({ heapTotal: 100, heapUsed: 60, external: 7000, newSpace: 11, oldSpace: 22, codeSpace: 33, largeObjectSpace: 44 });
  });

  it('says null for a figure the text does not hold', () => {
    const m = nodeMemoryOfMetrics('logit_up 1\nnodejs_heap_size_used_bytes 5\n');
    expect(m.heapUsed).toBe(5);
    expect(m.heapTotal).toBeNull();
    expect(m.external).toBeNull();
    expect(m.oldSpace).toBeNull();
  });

  it("reads a learner registry's own scrape: heapTotal within 16 MiB of process.memoryUsage(), the spaces' sizes within V8's", async () => {
    const reg = createLearnerRegistry({ learnerId: 'l', state: () => idle });
    const m = nodeMemoryOfMetrics(await reg.metrics());
    const mu = process.memoryUsage();
    expect(Math.abs(m.heapTotal! - mu.heapTotal)).toBeLessThan(16 * 1024 * 1024);
    expect(m.heapUsed!).toBeLessThanOrEqual(m.heapTotal!);
    expect(m.external!).toBeGreaterThan(0);
    const spaces = getHeapSpaceStatistics();
    const size = (name: string) => spaces.find((s) => s.space_name === name)!.space_size;
    // the space sizes are what V8 committed at the scrape; a GC in between moves them by at most a few pages
    expect(Math.abs(m.oldSpace! - size('old_space'))).toBeLessThan(16 * 1024 * 1024);
    expect(Math.abs(m.newSpace! - size('new_space'))).toBeLessThan(64 * 1024 * 1024);
    expect(m.newSpace! + m.oldSpace! + m.codeSpace! + m.largeObjectSpace!).toBeLessThanOrEqual(m.heapTotal! + 1);
  });
});
