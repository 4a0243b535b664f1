import type { OnlineLearner, Score } from '@logit-stream/core';
import type { Dataset } from './dataset.js';
import { fillDenseEvent } from './fill-dense-event.js';

/** Called after each learned event with the learner's pre-update score and the label it learned. */
export type StreamObserver = (out: Score, label: number, position: number) => void;

/**
 * Streams `rows` of a data set through an `OnlineLearner` as labelled events, in the given order
 * (prequential: each event is scored, then learned), optionally with replacement labels and trusted
 * flags.
 *
 * @param learner the learner (dense features of dimension ds.dim)
 * @param ds the data set
 * @param rows row indices in stream order
 * @param o labels: label per position of `rows` (default ds.y[row]); trusted / sourceLabel: per position
 * @example
 * streamRows(learner, ds, split.train);
 */
export function streamRows(
  learner: OnlineLearner,
  ds: Dataset,
  rows: ArrayLike<number>,
  o: {
    labels?: ArrayLike<number>;
    trusted?: ArrayLike<number>;
    sourceLabels?: ArrayLike<number>;
    observe?: StreamObserver;
  } = {},
): void {
  const ev = learner.newEvent();
  const out = learner.newScore();
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const label = o.labels !== undefined ? o.labels[k] : ds.y[row];
    const trusted = o.trusted !== undefined && o.trusted[k] === 1;
    fillDenseEvent(ev, ds.X, row, ds.dim, label, trusted, trusted && o.sourceLabels !== undefined ? o.sourceLabels[k] : null);
    learner.process(ev, out);
    if (o.observe !== undefined) o.observe(out, label, k);
  }
}

/**
 * Scores `rows` as unlabelled events (never learned from) and returns z, p = σ(z) for log loss
 * (the hinge model's calibrated p otherwise) and pCalibrated per row.
 *
 * @param learner the trained learner
 * @param ds the data set
 * @param rows held-out row indices
 * @example
 * const { p } = scoreRows(learner, ds, split.test);
 */
export function scoreRows(
  learner: OnlineLearner,
  ds: Dataset,
  rows: ArrayLike<number>,
): { z: Float64Array; p: Float64Array; pCalibrated: Float64Array } {
  const ev = learner.newEvent();
  const out = learner.newScore();
  const z = new Float64Array(rows.length);
  const p = new Float64Array(rows.length);
  const pc = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    fillDenseEvent(ev, ds.X, rows[k], ds.dim, null);
    learner.process(ev, out);
    z[k] = out.z;
    p[k] = out.p;
    pc[k] = out.pCalibrated;
  }
  return { z, p, pCalibrated: pc };
}
