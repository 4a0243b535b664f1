import { map, type OperatorFunction } from 'rxjs';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import { TICK, type Tick } from './with-ticks.js';

/** A batch delivered by the source, with the callbacks that settle the source handler's promise. */
export interface BatchJob {
  readonly batch: InputBatch;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * What the pipeline does with one item: send `records`, then `after` (a model snapshot, sent only
 * once the records are accepted), then commit `commits`, then settle `job`.
 */
export interface PipelineStep {
  readonly job: BatchJob | null;
  readonly records: readonly OutputRecord[];
  readonly after?: readonly OutputRecord[];
  readonly commits: readonly CommitOffset[];
  readonly events: number;
}

/** What an {@link ItemProcessor} made of one batch. */
export interface ProcessedItem {
  readonly records: OutputRecord[];
  /** Records sent after `records` are accepted and before `commits` (a checkpoint). */
  readonly after?: OutputRecord[];
  readonly commits: CommitOffset[];
  readonly events: number;
}

/** The synchronous part of the work: what {@link processItems} calls for a batch and for a tick. */
export interface ItemProcessor {
  processBatch(batch: InputBatch): ProcessedItem;
  tick(): OutputRecord[];
}

/**
 * Maps each batch job (decode → score → learn, in the processor) and each tick (time-driven metrics)
 * to a {@link PipelineStep}. A processor error errors the stream (and the service rejects the job).
 *
 * @example
 * jobs$.pipe(withTicks(1000), processItems(new BatchProcessor({ learner, topics })))
 */
export function processItems(processor: ItemProcessor): OperatorFunction<BatchJob | Tick, PipelineStep> {
  return map((item: BatchJob | Tick): PipelineStep => {
    if (item === TICK) return { job: null, records: processor.tick(), commits: [], events: 0 };
    const r = processor.processBatch(item.batch);
    return r.after === undefined
      ? { job: item, records: r.records, commits: r.commits, events: r.events }
      : { job: item, records: r.records, after: r.after, commits: r.commits, events: r.events };
  });
}
