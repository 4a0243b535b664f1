import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import { learnerPipeline } from './learner-pipeline.js';
import type { BatchJob, ItemProcessor } from './process-items.js';
import { TICK, type Tick } from './with-ticks.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const fake: ItemProcessor = {
  processBatch: (b: InputBatch) => ({
    records: [{ topic: 'scores', key: null, value: b.messages[0].offset }],
    commits: [{ topic: b.topic, partition: 0, offset: String(Number(b.messages[0].offset) + 1) }],
    events: 1,
  }),
  tick: () => [],
};

function job(offset: number, journal: string[]): BatchJob {
  return {
    batch: { topic: 't', partition: 0, messages: [{ topic: 't', partition: 0, offset: String(offset), key: null, value: null, timestamp: 0 }] },
    resolve: () => journal.push(`resolve ${offset}`),
    reject: () => journal.push(`reject ${offset}`),
  };
}

type Cold = (marbles: string, values?: undefined, error?: unknown) => Observable<void>;

/** A sink whose every send journals its first record's value and then runs `marbles` (cold). */
function journalSink(cold: Cold, journal: string[], marbles: string, error?: unknown) {
  return {
    send: (r: readonly OutputRecord[]) =>
      new Observable<void>((s) => {
        journal.push(`send ${r[0].value}`);
        return cold(marbles, undefined, error).subscribe(s);
      }),
  };
}

/** A source whose every commit journals its first offset and then runs `marbles` (cold). */
function journalSource(cold: Cold, journal: string[], marbles: string) {
  return {
    commit: (c: readonly CommitOffset[]) =>
      new Observable<void>((s) => {
        journal.push(`commit ${c[0].offset}`);
        return cold(marbles).subscribe(s);
      }),
  };
}

/** The steps' first commit offsets, as marble values. */
const offsets = (o: Observable<{ commits: readonly CommitOffset[] }>) =>
  new Observable<string>((s) => o.subscribe({ next: (v) => s.next(v.commits[0].offset), error: (e) => s.error(e), complete: () => s.complete() }));

describe('learnerPipeline (marbles)', () => {
  it('sends each batch, then commits it, then settles its job; the next batch waits for all three', () => {
    scheduler().run(({ cold, hot, expectObservable, flush }) => {
      const journal: string[] = [];
      // The sink takes 3 frames per send, the commit 2 frames.
      const sink = journalSink(cold as Cold, journal, '---|');
      const source = journalSource(cold as Cold, journal, '--|');
      const src = hot<BatchJob | Tick>('-a-b-------|', { a: job(0, journal), b: job(1, journal) });
      const out = src.pipe(learnerPipeline(fake, sink as never, source as never));
      // a: send 1–4, commit 4–6 → out at 6; b (arrived at 3) waits: send 6–9, commit 9–11 → out at 11.
      expectObservable(out.pipe(offsets)).toBe('------x----(y|)', { x: '1', y: '2' });
      flush();
      expect(journal).toEqual(['send 0', 'commit 1', 'resolve 0', 'send 1', 'commit 2', 'resolve 1']);
    });
  });

  it('with overlap, settles a job as its send begins: the next batch is processed during that send, its send waits', () => {
    scheduler().run(({ cold, hot, expectObservable, flush }) => {
      const journal: string[] = [];
      const processor: ItemProcessor = {
        processBatch: (b) => {
          journal.push(`process ${b.messages[0].offset}`);
          return fake.processBatch(b);
        },
        tick: () => [],
      };
      const sink = journalSink(cold as Cold, journal, '---|');
      const source = journalSource(cold as Cold, journal, '--|');
      const src = hot<BatchJob | Tick>('-a-b-------|', { a: job(0, journal), b: job(1, journal) });
      const out = src.pipe(learnerPipeline(processor, sink as never, source as never, { overlap: true }));
      // The same timing as without overlap (the sends are the bottleneck), but job a is settled at 1,
      // b is processed at 3 while a's send runs, and b's job is settled only when its own send begins (6).
      expectObservable(out.pipe(offsets)).toBe('------x----(y|)', { x: '1', y: '2' });
      flush();
      expect(journal).toEqual(['process 0', 'resolve 0', 'send 0', 'process 1', 'commit 1', 'resolve 1', 'send 1', 'commit 2']);
    });
  });

  it('with overlap, a failed send stops everything after it: no commit, no later send, the waiting job not settled', () => {
    scheduler().run(({ cold, hot, expectObservable, flush }) => {
      const journal: string[] = [];
      const sink = journalSink(cold as Cold, journal, '--#', new Error('broker down'));
      const source = { commit: () => { journal.push('commit'); return cold('|'); } };
      const out = hot<BatchJob | Tick>('-ab-', { a: job(0, journal), b: job(1, journal) }).pipe(learnerPipeline(fake, sink as never, source as never, { overlap: true }));
      expectObservable(out).toBe('---#', undefined, new Error('broker down'));
      flush();
      expect(journal).toEqual(['resolve 0', 'send 0']);
    });
  });

  it('ignores overlap with a transactional sink: the job is settled after its transaction', () => {
    scheduler().run(({ cold, hot, expectObservable, flush }) => {
      const journal: string[] = [];
      const sink = {
        send: () => cold('|'),
        sendWithOffsets: (r: readonly OutputRecord[]) =>
          new Observable<void>((s) => {
            journal.push(`txn ${r[0].value}`);
            return cold<void>('--|').subscribe(s);
          }),
      };
      const out = hot<BatchJob | Tick>('-a-', { a: job(0, journal) }).pipe(learnerPipeline(fake, sink as never, { commit: () => cold('|') } as never, { overlap: true }));
      expectObservable(out.pipe((o) => new Observable<string>((s) => o.subscribe({ next: (v) => s.next(v.commits[0].offset) })))).toBe('---x', { x: '1' });
      flush();
      expect(journal).toEqual(['txn 0', 'resolve 0']);
    });
  });

  it('skips sending and committing for a tick with no records', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const calls: string[] = [];
      const out = cold<BatchJob | Tick>('-t|', { t: TICK }).pipe(
        learnerPipeline(fake, { send: async () => void calls.push('send') }, { commit: async () => void calls.push('commit') }),
      );
      expectObservable(out).toBe('-t|', { t: { job: null, records: [], commits: [], events: 0 } });
    });
  });

  it('completes on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<BatchJob | Tick>('|').pipe(learnerPipeline(fake, { send: async () => undefined }, { commit: async () => undefined }))).toBe('|');
    });
  });

  it('errors when the sink fails, and does not commit or settle that batch', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const journal: string[] = [];
      const sink = { send: () => cold('-#', undefined, new Error('broker down')) };
      const source = { commit: () => { journal.push('commit'); return cold('|'); } };
      const out = cold<BatchJob | Tick>('-a|', { a: job(0, journal) }).pipe(learnerPipeline(fake, sink as never, source as never));
      expectObservable(out).toBe('--#', undefined, new Error('broker down'));
      flush();
      expect(journal).toEqual([]);
    });
  });

  it('unsubscribes from a running send on early unsubscribe', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const send = cold('-----|');
      const out = hot<BatchJob | Tick>('-a-', { a: job(0, []) }).pipe(learnerPipeline(fake, { send: () => send } as never, { commit: () => cold('|') } as never));
      expectObservable(out, '---!').toBe('');
      expectSubscriptions(send.subscriptions).toBe('-^-!');
    });
  });
});
