import type { DecodedEvent } from '@logit-stream/core';

/**
 * Fills a learner's event with row `row` of a dense matrix (indices 0..dim−1), as core's decoder
 * would for a dense-array event, and the label fields.
 *
 * @param ev the event to overwrite (its `x` needs capacity ≥ dim)
 * @param X row-major matrix
 * @param row the row
 * @param dim columns
 * @param label the label, or null for a score-only event (never learned from)
 * @param trusted the SPEC `trusted` flag (an audited label)
 * @param sourceLabel the SPEC `sourceLabel` (the unaudited label of a trusted event), or null
 * @example
 * fillDenseEvent(learner.newEvent(), X, 0, 3, 1);
 */
export function fillDenseEvent(
  ev: DecodedEvent,
  X: Float64Array,
  row: number,
  dim: number,
  label: number | null,
  trusted = false,
  sourceLabel: number | null = null,
): void {
  const x = ev.x;
  x.clear();
  const base = row * dim;
  for (let j = 0; j < dim; j++) x.push(j, X[base + j]);
  ev.id = 'experiment';
  ev.ts = null;
  ev.label = label;
  ev.trusted = trusted;
  ev.sourceLabel = sourceLabel;
}
