import type { DecodedEvent } from '@logit-stream/core';

/**
 * Refills a reused {@link DecodedEvent} with one dense row (indices 0..dim−1) and its label fields,
 * the way the decoder would for `{"features": [...], "label": ..., "trusted": ..., "sourceLabel": ...}`.
 * Allocation-free: the id is the constant `evaluate` (the harness never publishes scores).
 *
 * @param ev - the event to overwrite (its `x` needs capacity ≥ dim)
 * @param X - row-major features
 * @param row - row index into X
 * @param dim - features per row
 * @param label - the label to learn from, or null to score only
 * @param trusted - whether the label is audited clean
 * @param sourceLabel - for a trusted event, what the noisy source said; else null
 * @example
 * fillDenseEvent(ev, ds.X, 3, ds.dim, 1, false, null);
 * learner.process(ev, out);
 */
export function fillDenseEvent(
  ev: DecodedEvent,
  X: Float64Array,
  row: number,
  dim: number,
  label: number | null,
  trusted: boolean,
  sourceLabel: number | null,
): void {
  const x = ev.x;
  x.clear();
  const base = row * dim;
  for (let j = 0; j < dim; j++) x.push(j, X[base + j]);
  ev.id = 'evaluate';
  ev.ts = null;
  ev.label = label;
  ev.trusted = trusted;
  ev.sourceLabel = sourceLabel;
}
