import { concat, defer, EMPTY, pipe, tap, type OperatorFunction } from 'rxjs';
import type { EventSource, ResultSink } from '../io/types.js';
import { concatAsync } from './concat-async.js';
import { processItems, type BatchJob, type ItemProcessor, type PipelineStep } from './process-items.js';
import type { Tick } from './with-ticks.js';

/**
 * The service's pipeline (SPEC §3): source batches → decode/validate → score → emit scores →
 * metrics and drift → learn (in `processor`) → send the batch's records → commit its offsets →
 * settle the source handler's promise. Everything is serial: one step's send and commit finish
 * before the next step's send starts, and the source cannot hand over another batch until the
 * previous one's outputs are sent and its offsets committed (back-pressure).
 *
 * @example
 * jobs$.pipe(withTicks(1000), learnerPipeline(processor, sink, source)).subscribe()
 */
export function learnerPipeline(
  processor: ItemProcessor,
  sink: Pick<ResultSink, 'send'>,
  source: Pick<EventSource, 'commit'>,
): OperatorFunction<BatchJob | Tick, PipelineStep> {
  return pipe(
    processItems(processor),
    concatAsync((s: PipelineStep) =>
      concat(
        s.records.length > 0 ? defer(() => sink.send(s.records)) : EMPTY,
        s.commits.length > 0 ? defer(() => source.commit(s.commits)) : EMPTY,
      ),
    ),
    tap((s: PipelineStep) => s.job?.resolve()),
  );
}
