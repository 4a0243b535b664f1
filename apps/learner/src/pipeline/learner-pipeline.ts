import { concat, defer, EMPTY, pipe, tap, type OperatorFunction } from 'rxjs';
import type { CommitOffset, EventSource, OutputRecord, ResultSink } from '../io/types.js';
import { concatAsync } from './concat-async.js';
import { processItems, type BatchJob, type ItemProcessor, type PipelineStep } from './process-items.js';
import type { Tick } from './with-ticks.js';

/**
 * The service's pipeline (SPEC §3): source batches → decode/validate → score → emit scores →
 * metrics and drift → learn (in `processor`) → send the batch's records → commit its offsets →
 * settle the source handler's promise. Everything is serial: one step's send and commit finish
 * before the next step's send starts, and (without `overlap`) the source cannot hand over another
 * batch until the previous one's outputs are sent and its offsets committed (back-pressure). A step's `after` records
 * (a model snapshot) are sent once its records are accepted, before its commits. With a transactional
 * sink (one that has `sendWithOffsets`: exactly-once), a step's records, `after` and commits go in one
 * transaction instead.
 *
 * With `overlap` (at-least-once sinks only; ignored with a transactional sink) a step's job is settled
 * as soon as its send begins rather than after its commit, so the source hands over the next batch
 * and the CPU decodes, scores and learns it while the broker acknowledges the previous one. The sends
 * and commits keep their order, and nothing is sent or committed after a failed send (the stream
 * errors there): at most one batch is processed ahead of the send in progress, and a commit or
 * snapshot never covers records that were not acknowledged. A caller that waits for "everything
 * sent" (a flush before a rebalance or a stop) must count steps, not settled jobs.
 *
 * @param processor - decode/score/learn of a batch, the time-driven metrics of a tick
 * @param sink - where records go (`sendWithOffsets`: exactly-once, one transaction per step)
 * @param source - commits the steps' offsets
 * @param options - `overlap` (default false): see above
 * @example
 * jobs$.pipe(withTicks(1000), learnerPipeline(processor, sink, source, { overlap: true })).subscribe()
 */
export function learnerPipeline(
  processor: ItemProcessor,
  sink: Pick<ResultSink, 'send'> & { sendWithOffsets?: (records: readonly OutputRecord[], offsets: readonly CommitOffset[]) => Promise<void> },
  source: Pick<EventSource, 'commit'>,
  options: { readonly overlap?: boolean } = {},
): OperatorFunction<BatchJob | Tick, PipelineStep> {
  const transactional = sink.sendWithOffsets;
  const overlap = options.overlap === true && transactional === undefined;
  return pipe(
    processItems(processor),
    concatAsync((s: PipelineStep) =>
      transactional !== undefined
        ? // Exactly-once: the records, the snapshot and the offsets of the step in one transaction.
          s.records.length > 0 || (s.after?.length ?? 0) > 0 || s.commits.length > 0
          ? defer(() => transactional.call(sink, s.after === undefined ? s.records : [...s.records, ...s.after], s.commits))
          : EMPTY
        : concat(
            overlap ? defer(() => (s.job?.resolve(), EMPTY)) : EMPTY,
            s.records.length > 0 ? defer(() => sink.send(s.records)) : EMPTY,
            s.after !== undefined && s.after.length > 0 ? defer(() => sink.send(s.after ?? [])) : EMPTY,
            s.commits.length > 0 ? defer(() => source.commit(s.commits)) : EMPTY,
          ),
    ),
    tap((s: PipelineStep) => {
      if (!overlap) s.job?.resolve();
    }),
  );
}
