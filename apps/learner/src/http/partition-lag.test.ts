import { describe, expect, it } from 'vitest';
import type { InputBatch } from '../io/types.js';
import { PartitionLagTracker } from './partition-lag.js';

const batch = (partition: number, offsets: number[], hw?: number): InputBatch => ({
  topic: 'events',
  partition,
  highWatermark: hw === undefined ? undefined : String(hw),
  messages: offsets.map((o) => ({ topic: 'events', partition, offset: String(o), key: null, value: null, timestamp: 0 })),
});

describe('PartitionLagTracker', () => {
  it('lag = high watermark − (last offset + 1), per partition; ignores batches without a watermark', () => {
    const t = new PartitionLagTracker();
    expect(t.total()).toBeNull();
    t.observe(batch(1, [10, 11, 12], 20));
    t.observe(batch(0, [0, 1], 2));
    t.observe(batch(2, [5])); // embedded source: no watermark
    t.observe(batch(0, [], 9)); // empty batch: nothing learned
    expect(t.list()).toEqual([
      { topic: 'events', partition: 0, lag: 0, nextOffset: 2, highWatermark: 2 },
      { topic: 'events', partition: 1, lag: 7, nextOffset: 13, highWatermark: 20 },
    ]);
    expect(t.total()).toBe(7);
    t.observe(batch(1, [13, 14], 20));
    expect(t.total()).toBe(5);
    t.retain({ events: [0] });
    expect(t.list().map((l) => l.partition)).toEqual([0]);
  });
});
