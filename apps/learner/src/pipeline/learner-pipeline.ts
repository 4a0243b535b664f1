import { concat, defer, EMPTY, pipe, tap, type OperatorFunction } from 'rxjs';
import type { CommitOffset, EventSource, OutputRecord, ResultSink } from '../io/types.js';
import { concatAsync } from './concat-async.js';
import { processItems, type BatchJob, type ItemProcessor, type PipelineStep } from './process-items.js';
import type { Tick } from './with-ticks.js';

/**
 * The service's pipeline (SPEC §3): source batches → decode/validate → score → emit scores →
 * metrics and drift → learn (in `processor`) → send the batch's records → commit its offsets →
 * settle the source handler's promise. Everything is serial: one step's send and commit finish
 * before the next step's send starts, and the source cannot hand over another batch until the
 * previous one's outputs are sent and its offsets committed (back-pressure). A step's `after` records
 * (a model snapshot) are sent once its records are accepted, before its commits. With a transactional
 * sink (one that has `sendWithOffsets`: exactly-once), a step's records, `after` and commits go in one
 * transaction instead.
 *
 * @example
 * jobs$.pipe(withTicks(1000), learnerPipeline(processor, sink, source)).subscribe()
 */
export function learnerPipeline(
  processor: ItemProcessor,
  sink: Pick<ResultSink, 'send'> & { sendWithOffsets?: (records: readonly OutputRecord[], offsets: readonly CommitOffset[]) => Promise<void> },
  source: Pick<EventSource, 'commit'>,
): OperatorFunction<BatchJob | Tick, PipelineStep> {
  const transactional = sink.sendWithOffsets;
  return pipe(
    processItems(processor),
    concatAsync((s: PipelineStep) =>
      transactional !== undefined
        ? // Exactly-once: the records, the snapshot and the offsets of the step in one transaction.
          s.records.length > 0 || (s.after?.length ?? 0) > 0 || s.commits.length > 0
          ? defer(() => transactional.call(sink, s.after === undefined ? s.records : [...s.records, ...s.after], s.commits))
          : EMPTY
        : concat(
            s.records.length > 0 ? defer(() => sink.send(s.records)) : EMPTY,
            s.after !== undefined && s.after.length > 0 ? defer(() => sink.send(s.after ?? [])) : EMPTY,
            s.commits.length > 0 ? defer(() => source.commit(s.commits)) : EMPTY,
          ),
    ),
    tap((s: PipelineStep) => s.job?.resolve()),
  );
}
