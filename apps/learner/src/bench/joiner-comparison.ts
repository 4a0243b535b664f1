import { LogLossMetric } from '@logit-stream/kernel';
import type { ScoreRow } from './group-score-summary.js';

/** Score records and their mean log loss over some stretch of a stream. */
export interface ScoreStretch {
  /** Score records in the stretch. */
  readonly scores: number;
  /** Mean log loss of its labelled records; NaN when none is labelled. */
  readonly logLoss: number;
}

/** How a learner that joined a running group scored at first (see {@link compareJoiner}). */
export interface JoinerComparison {
  /** The joiner's first `n` scores (fewer if it wrote fewer), with their time span (record timestamps, ms). */
  readonly joiner: ScoreStretch & { readonly fromTimestamp: number; readonly toTimestamp: number };
  /** Every score of the other learners with a timestamp in the joiner's span. */
  readonly othersSamePeriod: ScoreStretch;
  /** The first `n` scores of a model that started from zero (null when no such rows were given). */
  readonly freshModel: ScoreStretch | null;
  /** joiner.logLoss / othersSamePeriod.logLoss: ≈ 1 when the joiner started from the group's state. */
  readonly ratioToOthers: number;
  /** joiner.logLoss / freshModel.logLoss: < 1 when it starts better than a model from zero (NaN without one). */
  readonly ratioToFresh: number;
}

/** The indices of `rows` that `keep` accepts, in timestamp order (ties in row order). */
function byTime(rows: readonly ScoreRow[], keep: (r: ScoreRow) => boolean): number[] {
  const idx: number[] = [];
  for (let i = 0; i < rows.length; i++) if (keep(rows[i])) idx.push(i);
  return idx.sort((a, b) => rows[a].timestamp - rows[b].timestamp || a - b);
}

function stretch(rows: readonly ScoreRow[], idx: readonly number[]): ScoreStretch {
  let sum = 0;
  let labelled = 0;
  for (const i of idx) {
    const r = rows[i];
    if (r.label === null) continue;
    sum += LogLossMetric.pointLoss(r.label, r.p);
    labelled++;
  }
  return { scores: idx.length, logLoss: labelled > 0 ? sum / labelled : NaN };
}

/**
 * Compares the first `n` scores (by record timestamp) of the learner `joinerId`, which joined a running
 * group, with the other learners' scores over the same time span, and with the first `n` scores of a
 * model that started from zero (`freshRows`, e.g. a single learner's scores of the same stream). A
 * joiner that starts from the group's state scores like the others (ratioToOthers ≈ 1) and better than
 * a fresh model (ratioToFresh < 1); one that starts from zero scores like the fresh model. Log loss as
 * {@link LogLossMetric} (p clipped to [1e-15, 1 − 1e-15]), every record counted.
 *
 * @param rows - the group's score records (any order)
 * @param joinerId - the joiner's learner id
 * @param n - how many of its first scores to compare (e.g. 5000)
 * @param freshRows - scores of a model from zero on the same stream, or null
 * @example
 * const c = compareJoiner(groupRows, 'learner-2', 5000, singleLearnerRows);
 * c.ratioToOthers; // ≈ 1 when learner-2 restored the group's state
 */
export function compareJoiner(rows: readonly ScoreRow[], joinerId: string, n: number, freshRows: readonly ScoreRow[] | null): JoinerComparison {
  const mine = byTime(rows, (r) => r.learnerId === joinerId).slice(0, n);
  const from = mine.length > 0 ? rows[mine[0]].timestamp : NaN;
  const to = mine.length > 0 ? rows[mine[mine.length - 1]].timestamp : NaN;
  const joiner = { ...stretch(rows, mine), fromTimestamp: from, toTimestamp: to };
  const others = stretch(
    rows,
    byTime(rows, (r) => r.learnerId !== joinerId && r.timestamp >= from && r.timestamp <= to),
  );
  const fresh = freshRows === null ? null : stretch(freshRows, byTime(freshRows, () => true).slice(0, n));
  return {
    joiner,
    othersSamePeriod: others,
    freshModel: fresh,
    ratioToOthers: joiner.logLoss / others.logLoss,
    ratioToFresh: fresh === null ? NaN : joiner.logLoss / fresh.logLoss,
  };
}
