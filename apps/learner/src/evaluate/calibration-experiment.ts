import { OnlineLearner, type QualityMetrics, type Score } from '@logit-stream/core';
import {
  AccuracyMetric,
  BrierMetric,
  CalibrationErrorMetric,
  LogLossMetric,
  Rng,
  shuffleInPlace,
  type Metric,
} from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';
import type { CalibrationSetup, CalibrationStream } from './definitions.js';
import { fillDenseEvent } from './fill-dense-event.js';
import { LogisticStream } from './logistic-stream.js';
import { summarize, type Summary } from './summarize.js';

/** The prequential metrics of one (stream, seed, variant) run, read from the learner's `report().total`. */
export interface CalibrationRun {
  readonly stream: string;
  readonly seed: number;
  readonly variant: string;
  readonly events: number;
  readonly ece: number;
  readonly brier: number;
  readonly logLoss: number;
  readonly accuracy: number;
  readonly auc: number;
  /** The same metrics over the learner's sliding window (the last `metricsWindow` labelled events): the state reached, without the warm-up. */
  readonly window: { readonly events: number; readonly ece: number; readonly brier: number; readonly logLoss: number; readonly accuracy: number };
}

/** Per stream and variant: mean ± sd over seeds of each metric. */
export interface CalibrationSummaryRow {
  readonly stream: string;
  readonly variant: string;
  readonly ece: Summary;
  readonly brier: Summary;
  readonly logLoss: Summary;
  readonly accuracy: Summary;
  /** ECE over the last `metricsWindow` events. */
  readonly eceWindow: Summary;
}

/** Results of the calibration experiment. */
export interface CalibrationResults {
  readonly runs: CalibrationRun[];
  readonly summary: CalibrationSummaryRow[];
}

const num = (v: number | null): number => (v === null ? NaN : v);

/** Key of the reference row on the synthetic stream: the true probability σ(w·x + b) itself. */
export const ORACLE_KEY = 'oracle';

/** Size of the trailing window the oracle's windowed ECE is taken over (the learners' `metricsWindow`). */
const ORACLE_WINDOW = 1000;

/**
 * The metrics of the true probability on the logistic stream (the same events the learners see, by
 * seed), with the kernel metrics: the floor that finite-sample ECE has even for a perfectly
 * calibrated predictor.
 */
function oracleRun(stream: CalibrationStream, seed: number): CalibrationRun {
  const gen = new LogisticStream({ dim: stream.dim ?? 10, seed });
  const x = new Float64Array(gen.dim);
  const n = stream.events ?? 10_000;
  const total: Metric[] = [new CalibrationErrorMetric(), new BrierMetric(), new LogLossMetric(), new AccuracyMetric()];
  const win: Metric[] = [new CalibrationErrorMetric(), new BrierMetric(), new LogLossMetric(), new AccuracyMetric()];
  const w = Math.min(ORACLE_WINDOW, n);
  for (let t = 0; t < n; t++) {
    const y = gen.nextInto(x);
    const p = gen.lastP;
    for (const m of total) m.update(y, p);
    if (t >= n - w) for (const m of win) m.update(y, p);
  }
  return {
    stream: stream.name,
    seed,
    variant: ORACLE_KEY,
    events: n,
    ece: total[0].get(),
    brier: total[1].get(),
    logLoss: total[2].get(),
    accuracy: total[3].get(),
    auc: NaN,
    window: { events: w, ece: win[0].get(), brier: win[1].get(), logLoss: win[2].get(), accuracy: win[3].get() },
  };
}

/** Feeds one stream through one learner, prequentially; returns the learner's since-start and windowed metrics. */
function runStream(
  stream: CalibrationStream,
  seed: number,
  ds: Dataset | undefined,
  learner: OnlineLearner,
): { total: QualityMetrics; window: QualityMetrics } {
  const ev = learner.newEvent();
  const out: Score = learner.newScore();
  if (stream.kind === 'csv') {
    if (ds === undefined) throw new RangeError(`calibration stream ${stream.name} has no data set`);
    const order = new Int32Array(ds.rows);
    for (let r = 0; r < ds.rows; r++) order[r] = r;
    shuffleInPlace(order, new Rng(seed));
    for (let k = 0; k < ds.rows; k++) {
      const row = order[k];
      fillDenseEvent(ev, ds.X, row, ds.dim, ds.y[row], false, null);
      learner.process(ev, out);
    }
  } else {
    const gen = new LogisticStream({ dim: stream.dim ?? 10, seed });
    const x = new Float64Array(gen.dim);
    const n = stream.events ?? 10_000;
    for (let t = 0; t < n; t++) {
      const y = gen.nextInto(x);
      fillDenseEvent(ev, x, 0, gen.dim, y, false, null);
      learner.process(ev, out);
    }
  }
  const rep = learner.report(0);
  return { total: rep.total, window: rep.window };
}

/**
 * Table 2: each variant (loss, label smoothing, calibrator) on each stream and seed, one prequential
 * pass (score, then metrics, then learn), dense features standardised online by the learner. CSV
 * rows are shuffled with the seed; the logistic stream is drawn with it.
 *
 * @param setup - the experiment definition
 * @param datasets - the loaded CSV data sets by name (raw features)
 * @param log - progress lines
 * @example
 * const r = runCalibrationExperiment(evaluationSetup(true).calibration, datasets, () => {});
 */
export function runCalibrationExperiment(
  setup: CalibrationSetup,
  datasets: ReadonlyMap<string, Dataset>,
  log: (line: string) => void,
): CalibrationResults {
  const runs: CalibrationRun[] = [];
  for (const stream of setup.streams) {
    const ds = stream.kind === 'csv' ? datasets.get(stream.name) : undefined;
    if (stream.kind === 'csv' && ds === undefined) continue;
    const dim = ds?.dim ?? stream.dim ?? 10;
    for (const seed of setup.seeds) {
      for (const v of setup.variants) {
        const learner = new OnlineLearner(
          { ...setup.common, ...v.options, standardize: true, features: { kind: 'dense', dim } },
          `evaluate-calibration-${v.key}`,
        );
        const { total: m, window: w } = runStream(stream, seed, ds, learner);
        runs.push({
          stream: stream.name,
          seed,
          variant: v.key,
          events: m.count,
          ece: num(m.ece),
          brier: num(m.brier),
          logLoss: num(m.logLoss),
          accuracy: num(m.accuracy),
          auc: num(m.auc),
          window: { events: w.count, ece: num(w.ece), brier: num(w.brier), logLoss: num(w.logLoss), accuracy: num(w.accuracy) },
        });
      }
      if (stream.kind === 'logistic') runs.push(oracleRun(stream, seed));
      log(`calibration: ${stream.name} seed ${seed} done`);
    }
  }
  const summary: CalibrationSummaryRow[] = [];
  for (const stream of setup.streams) {
    for (const key of [...setup.variants.map((v) => v.key), ORACLE_KEY]) {
      const rs = runs.filter((r) => r.stream === stream.name && r.variant === key);
      if (rs.length === 0) continue;
      summary.push({
        stream: stream.name,
        variant: key,
        ece: summarize(rs.map((r) => r.ece)),
        brier: summarize(rs.map((r) => r.brier)),
        logLoss: summarize(rs.map((r) => r.logLoss)),
        accuracy: summarize(rs.map((r) => r.accuracy)),
        eceWindow: summarize(rs.map((r) => r.window.ece)),
      });
    }
  }
  return { runs, summary };
}
