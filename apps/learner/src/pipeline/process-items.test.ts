import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { InputBatch, OutputRecord } from '../io/types.js';
import { processItems, type BatchJob, type ItemProcessor } from './process-items.js';
import { TICK, type Tick } from './with-ticks.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const batch = (offset: number): InputBatch => ({
  topic: 't',
  partition: 0,
  messages: [{ topic: 't', partition: 0, offset: String(offset), key: null, value: Buffer.from('x'), timestamp: 0 }],
});
const job = (offset: number): BatchJob => ({ batch: batch(offset), resolve: () => undefined, reject: () => undefined });

/** A fake processor: one record per message, commit = next offset; a tick yields one metrics record. */
const fake: ItemProcessor = {
  processBatch(b) {
    if (b.messages[0].offset === '666') throw new Error('processor failed');
    const records: OutputRecord[] = b.messages.map((m) => ({ topic: 'scores', key: null, value: m.offset }));
    return { records, commits: [{ topic: b.topic, partition: b.partition, offset: String(Number(b.messages[0].offset) + 1) }], events: 1 };
  },
  tick: () => [{ topic: 'metrics', key: 'l', value: '{}' }],
};

describe('processItems (marbles)', () => {
  it('maps batch jobs to their records and commits, and ticks to time-driven records', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const a = job(0);
      const b = job(5);
      const out = cold<BatchJob | Tick>('-a-t-b|', { a, b, t: TICK }).pipe(processItems(fake));
      expectObservable(out).toBe('-a-t-b|', {
        a: { job: a, records: [{ topic: 'scores', key: null, value: '0' }], commits: [{ topic: 't', partition: 0, offset: '1' }], events: 1 },
        t: { job: null, records: [{ topic: 'metrics', key: 'l', value: '{}' }], commits: [], events: 0 },
        b: { job: b, records: [{ topic: 'scores', key: null, value: '5' }], commits: [{ topic: 't', partition: 0, offset: '6' }], events: 1 },
      });
    });
  });

  it('completes empty on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<BatchJob | Tick>('|').pipe(processItems(fake))).toBe('|');
    });
  });

  it('sends a processor failure and a source error down the error channel', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<BatchJob | Tick>('-a|', { a: job(666) }).pipe(processItems(fake))).toBe('-#', undefined, new Error('processor failed'));
      expectObservable(cold<BatchJob | Tick>('-#').pipe(processItems(fake))).toBe('-#');
    });
  });

  it('stops on early unsubscribe', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot<BatchJob | Tick>('-t-t-t', { t: TICK });
      expectObservable(src.pipe(processItems(fake)), '--!').toBe('-t', {
        t: { job: null, records: [{ topic: 'metrics', key: 'l', value: '{}' }], commits: [], events: 0 },
      });
      expectSubscriptions(src.subscriptions).toBe('^-!');
    });
  });
});
