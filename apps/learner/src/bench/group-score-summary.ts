import { LogLossMetric } from '@logit-stream/kernel';

/** One score record read back from a scores topic: what the scale-out figures need of it. */
export interface ScoreRow {
  /** Event id. */
  readonly id: string;
  /** The model's probability `p` (SPEC §2 score). */
  readonly p: number;
  /** The event's label (null: unlabelled, no loss). */
  readonly label: number | null;
  /** The `learnerId` of the score, null when the learner did not write one. */
  readonly learnerId: string | null;
  /** The Kafka record timestamp (ms): when the learner produced the score. */
  readonly timestamp: number;
}

/** What one learner of a group scored. */
export interface LearnerScoreSummary {
  readonly learnerId: string;
  /** Score records it wrote (re-sent ones included). */
  readonly scores: number;
  /** Mean log loss of those records (each counted, labelled ones only); NaN if none is labelled. */
  readonly logLoss: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** scores / (last − first timestamp) in seconds; NaN for fewer than two distinct timestamps. */
  readonly eventsPerSec: number;
}

/** The group's prequential figures over a whole scores topic (see {@link summarizeGroupScores}). */
export interface GroupScoreSummary {
  /** Score records read. */
  readonly records: number;
  /** Distinct event ids scored. */
  readonly distinctIds: number;
  /** records − distinctIds: scores re-sent after a crash or a rebalance. */
  readonly rescored: number;
  /** Distinct ids whose last score has a label. */
  readonly labelledIds: number;
  /** Mean over distinct labelled ids of the log loss of the id's LAST score (clipped as LogLossMetric). */
  readonly logLoss: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** lastTimestamp − firstTimestamp, seconds. */
  readonly seconds: number;
  /** records / seconds: the group's throughput from its first to its last score. */
  readonly eventsPerSec: number;
  /**
   * Throughput between the 10% and the 90% quantile of the score timestamps (0.8·records over that
   * span): leaves out the start (group joins, the first member alone) and the tail (stragglers).
   */
  readonly steadyEventsPerSec: number;
  /** Per learner id (rows without one under `'(none)'`), sorted by id. */
  readonly perLearner: readonly LearnerScoreSummary[];
}

/** The learner key of rows that carry no `learnerId`. */
export const NO_LEARNER_ID = '(none)';

const rate = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : NaN);

/**
 * Summarises the scores a learner group wrote: per event id the LAST score in `rows` order counts
 * (give the rows in partition/offset order: the scores topic is keyed by event id, so all scores of an
 * id are in one partition and its last is the newest), and the group's prequential log loss is the mean
 * of those last scores' log loss −[y ln p + (1−y) ln(1−p)] (p clipped to [1e-15, 1 − 1e-15]); also the
 * distinct ids, the re-sent scores, the group's throughput (whole span and 10–90% span of the record
 * timestamps) and, per learner id, its records, their log loss and its throughput.
 *
 * @param rows - every score record of the topic
 * @returns the figures; NaN where a figure has no data
 * @example
 * const s = summarizeGroupScores([
 *   { id: 'a', p: 0.5, label: 1, learnerId: 'l0', timestamp: 0 },
 *   { id: 'a', p: 0.8, label: 1, learnerId: 'l1', timestamp: 1000 },
 * ]);
 * s.distinctIds; // 1
 * s.logLoss; // −ln 0.8 (the last score of 'a')
 */
export function summarizeGroupScores(rows: readonly ScoreRow[]): GroupScoreSummary {
  const last = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) last.set(rows[i].id, i);
  let lossSum = 0;
  let labelled = 0;
  for (const i of last.values()) {
    const r = rows[i];
    if (r.label === null) continue;
    lossSum += LogLossMetric.pointLoss(r.label, r.p);
    labelled++;
  }
  const ts = new Float64Array(rows.length);
  const per = new Map<string, { scores: number; loss: number; labelled: number; first: number; last: number }>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    ts[i] = r.timestamp;
    const key = r.learnerId ?? NO_LEARNER_ID;
    let s = per.get(key);
    if (s === undefined) {
      s = { scores: 0, loss: 0, labelled: 0, first: r.timestamp, last: r.timestamp };
      per.set(key, s);
    }
    s.scores++;
    if (r.label !== null) {
      s.loss += LogLossMetric.pointLoss(r.label, r.p);
      s.labelled++;
    }
    if (r.timestamp < s.first) s.first = r.timestamp;
    if (r.timestamp > s.last) s.last = r.timestamp;
  }
  ts.sort();
  const n = rows.length;
  const first = n > 0 ? ts[0] : NaN;
  const lastTs = n > 0 ? ts[n - 1] : NaN;
  const lo = Math.floor(0.1 * n);
  const hi = Math.floor(0.9 * n);
  const perLearner = [...per.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([learnerId, s]) => ({
      learnerId,
      scores: s.scores,
      logLoss: s.labelled > 0 ? s.loss / s.labelled : NaN,
      firstTimestamp: s.first,
      lastTimestamp: s.last,
      eventsPerSec: rate(s.scores, s.last - s.first),
    }));
  return {
    records: n,
    distinctIds: last.size,
    rescored: n - last.size,
    labelledIds: labelled,
    logLoss: labelled > 0 ? lossSum / labelled : NaN,
    firstTimestamp: first,
    lastTimestamp: lastTs,
    seconds: n > 0 ? (lastTs - first) / 1000 : NaN,
    eventsPerSec: n > 0 ? rate(n, lastTs - first) : NaN,
    steadyEventsPerSec: n >= 10 ? rate(hi - lo, ts[hi] - ts[lo]) : NaN,
    perLearner,
  };
}
