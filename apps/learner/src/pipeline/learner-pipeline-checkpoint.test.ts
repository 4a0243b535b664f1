import { Subject, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import { learnerPipeline } from './learner-pipeline.js';
import type { BatchJob, ItemProcessor } from './process-items.js';
import type { Tick } from './with-ticks.js';

const withSnapshot: ItemProcessor = {
  processBatch: (b: InputBatch) => ({
    records: [{ topic: 'scores', key: null, value: `score ${b.messages[0].offset}` }],
    after: [{ topic: 'snapshots', key: 'k', value: `snapshot ${b.messages[0].offset}` }],
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

describe('learnerPipeline with checkpoints', () => {
  it("sends a step's records, then its snapshot ('after'), then commits, then settles the job", async () => {
    const journal: string[] = [];
    const sink = { send: async (r: readonly OutputRecord[]) => void journal.push(`send ${r.map((x) => String(x.value)).join(', ')}`) };
    const source = { commit: async (c: readonly CommitOffset[]) => void journal.push(`commit ${c[0].offset}`) };
    const jobs = new Subject<BatchJob | Tick>();
    const done = lastValueFrom(jobs.pipe(learnerPipeline(withSnapshot, sink, source), toArray()));
    jobs.next(job(7, journal));
    jobs.complete();
    await done;
    expect(journal).toEqual(['send score 7', 'send snapshot 7', 'commit 8', 'resolve 7']);
  });

  it('with a transactional sink, records, snapshot and offsets go in ONE sendWithOffsets call and source.commit is not used', async () => {
    const journal: string[] = [];
    const sink = {
      send: async () => void journal.push('plain send'),
      sendWithOffsets: async (r: readonly OutputRecord[], c: readonly CommitOffset[]) =>
        void journal.push(`tx ${r.map((x) => String(x.value)).join(', ')} + offset ${c.map((x) => x.offset).join(',')}`),
    };
    const source = { commit: async () => void journal.push('commit') };
    const jobs = new Subject<BatchJob | Tick>();
    const done = lastValueFrom(jobs.pipe(learnerPipeline(withSnapshot, sink, source), toArray()));
    jobs.next(job(3, journal));
    jobs.complete();
    await done;
    expect(journal).toEqual(['tx score 3, snapshot 3 + offset 4', 'resolve 3']);
  });
});
