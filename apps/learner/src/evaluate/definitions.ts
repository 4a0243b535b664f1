import type { LearnerOptionsInput } from '@logit-stream/core';

/** The three experiments `evaluate` runs. */
export type ExperimentName = 'noise' | 'calibration' | 'drift';

/** All experiments, in report order. */
export const EXPERIMENTS: readonly ExperimentName[] = ['noise', 'calibration', 'drift'];

/** A real data set of `../shared/data` (a header row, numeric columns, a 0/1 `label` column). */
export interface CsvDatasetRef {
  /** Short name used in the tables. */
  readonly name: string;
  /** File name inside the data folder. */
  readonly file: string;
}

/** WDBC (569 rows, 30 features) and spambase (4601 rows, 57 features, sorted by class). */
export const DATASETS: readonly CsvDatasetRef[] = [
  { name: 'wdbc', file: 'breast_cancer_wdbc.csv' },
  { name: 'spambase', file: 'spambase.csv' },
];

/** One learner configuration compared in an experiment. */
export interface Variant {
  /** Stable key (JSON, tests). */
  readonly key: string;
  /** Column or row title in the tables. */
  readonly title: string;
  /** Learner options on top of the experiment's common ones. */
  readonly options: LearnerOptionsInput;
}

/** How the training labels of a label-noise variant are made. */
export type NoiseLabels = 'clean' | 'noisy' | 'noisy+trusted';

/** A label-noise variant: which labels it trains on and how it corrects. */
export interface NoiseVariant extends Variant {
  readonly labels: NoiseLabels;
}

/** Settings of the label-noise experiment (table 1). */
export interface NoiseSetup {
  readonly datasets: readonly (CsvDatasetRef & { readonly passes: number })[];
  readonly seeds: readonly number[];
  /** Share of rows held out with their clean labels. */
  readonly testFraction: number;
  readonly rho0: number;
  readonly rho1: number;
  /** Share of training events audited (clean label plus `sourceLabel`). */
  readonly trustedFraction: number;
  /** Options every variant shares (the dense feature space is added per data set). */
  readonly common: LearnerOptionsInput;
  readonly variants: readonly NoiseVariant[];
}

/** One stream of the calibration experiment. */
export interface CalibrationStream {
  readonly name: string;
  readonly kind: 'csv' | 'logistic';
  /** CSV file (kind 'csv'). */
  readonly file?: string;
  /** Number of events (kind 'logistic'). */
  readonly events?: number;
  /** Feature count of the logistic stream. */
  readonly dim?: number;
}

/** Settings of the calibration experiment (table 2). */
export interface CalibrationSetup {
  readonly streams: readonly CalibrationStream[];
  readonly seeds: readonly number[];
  readonly common: LearnerOptionsInput;
  readonly variants: readonly Variant[];
}

/** One synthetic stream of the drift experiment, with its known change points. */
export interface DriftStream {
  readonly name: string;
  readonly kind: 'sea' | 'hyperplane-redraw' | 'hyperplane-rotating' | 'hyperplane-stationary';
  readonly events: number;
  /** Positions of the first event of each new concept (empty: no abrupt change). */
  readonly changes: readonly number[];
  /** Human description for the setup list. */
  readonly description: string;
}

/** Settings of the drift experiment (table 3). */
export interface DriftSetup {
  readonly streams: readonly DriftStream[];
  readonly seeds: readonly number[];
  readonly detectors: readonly ('adwin' | 'page-hinkley' | 'ddm')[];
  /** A detection up to this many events after a change counts as detecting it. */
  readonly tolerance: number;
  readonly common: LearnerOptionsInput;
}

/** Everything one evaluation run does, derived from `--quick` and `--seeds`. */
export interface EvaluationSetup {
  readonly quick: boolean;
  readonly noise: NoiseSetup;
  readonly calibration: CalibrationSetup;
  readonly drift: DriftSetup;
}

const seedList = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The experiment definitions. The full run uses 10 seeds (1..10) unless `seeds` is given; `quick`
 * uses 2 seeds for the label-noise table and 1 for the others, shorter synthetic streams and fewer
 * passes, and finishes in seconds.
 *
 * @param quick - the reduced version
 * @param seeds - number of seeds (1..seeds) for every table, overriding the defaults
 * @example
 * const s = evaluationSetup(false);
 * s.noise.rho0 // 0.2
 */
export function evaluationSetup(quick: boolean, seeds?: number): EvaluationSetup {
  const noiseSeeds = seedList(seeds ?? (quick ? 2 : 10));
  const otherSeeds = seedList(seeds ?? (quick ? 1 : 10));
  const concept = quick ? 5000 : 12_500;
  const synthEvents = quick ? 20_000 : 50_000;

  const noise: NoiseSetup = {
    datasets: [
      { ...DATASETS[0], passes: quick ? 10 : 20 },
      { ...DATASETS[1], passes: quick ? 3 : 10 },
    ],
    seeds: noiseSeeds,
    testFraction: 0.3,
    rho0: 0.2,
    rho1: 0.3,
    trustedFraction: 0.05,
    common: { optimizer: 'sgd', learningRate: 0.01, schedule: 'constant', drift: { detectors: [] } },
    variants: [
      { key: 'clean', title: 'clean labels', labels: 'clean', options: {} },
      { key: 'noisy', title: 'noisy, uncorrected', labels: 'noisy', options: {} },
      {
        key: 'forward-true',
        title: 'forward, true T',
        labels: 'noisy',
        options: { noiseCorrection: 'forward', noiseRates: [0.2, 0.3] },
      },
      {
        key: 'backward-true',
        title: 'backward, true T',
        labels: 'noisy',
        options: { noiseCorrection: 'backward', noiseRates: [0.2, 0.3] },
      },
      {
        key: 'forward-trusted',
        title: 'forward, T from 5 % trusted',
        labels: 'noisy+trusted',
        options: { noiseCorrection: 'forward', noiseEstimation: 'trusted' },
      },
      {
        key: 'backward-trusted',
        title: 'backward, T from 5 % trusted',
        labels: 'noisy+trusted',
        options: { noiseCorrection: 'backward', noiseEstimation: 'trusted' },
      },
    ],
  };

  const calibration: CalibrationSetup = {
    streams: [
      { name: 'wdbc', kind: 'csv', file: DATASETS[0].file },
      { name: 'spambase', kind: 'csv', file: DATASETS[1].file },
      { name: 'logistic', kind: 'logistic', events: quick ? 10_000 : 50_000, dim: 10 },
    ],
    seeds: otherSeeds,
    common: { optimizer: 'sgd', learningRate: 0.05, drift: { detectors: [] } },
    variants: [
      { key: 'log', title: 'logistic, raw σ(z)', options: { loss: 'log', calibration: 'none' } },
      { key: 'log-platt', title: 'logistic + Platt', options: { loss: 'log', calibration: 'platt' } },
      { key: 'log-isotonic', title: 'logistic + isotonic', options: { loss: 'log', calibration: 'isotonic' } },
      { key: 'hinge-platt', title: 'hinge + Platt', options: { loss: 'hinge', calibration: 'platt' } },
      { key: 'hinge-isotonic', title: 'hinge + isotonic', options: { loss: 'hinge', calibration: 'isotonic' } },
      { key: 'ls', title: 'logistic, ε = 0.1, raw', options: { loss: 'log', labelSmoothing: 0.1, calibration: 'none' } },
      { key: 'ls-platt', title: 'logistic, ε = 0.1 + Platt', options: { loss: 'log', labelSmoothing: 0.1, calibration: 'platt' } },
      {
        key: 'ls-isotonic',
        title: 'logistic, ε = 0.1 + isotonic',
        options: { loss: 'log', labelSmoothing: 0.1, calibration: 'isotonic' },
      },
    ],
  };

  const drift: DriftSetup = {
    streams: [
      {
        name: 'sea',
        kind: 'sea',
        events: 4 * concept,
        changes: [concept, 2 * concept, 3 * concept],
        description: `SEA, concepts θ = 8, 9, 7, 9.5 for ${concept} events each, 10 % label noise`,
      },
      {
        name: 'hyperplane-redraw',
        kind: 'hyperplane-redraw',
        events: synthEvents,
        changes: [synthEvents / 2],
        description: `hyperplane (d = 10, 5 % label noise), weights redrawn at event ${synthEvents / 2}`,
      },
      {
        name: 'hyperplane-rotating',
        kind: 'hyperplane-rotating',
        events: synthEvents,
        changes: [],
        description: 'rotating hyperplane (d = 10, k = 2 weights moving by 0.001 per event, σ flip 10 %, 5 % label noise)',
      },
      {
        name: 'hyperplane-stationary',
        kind: 'hyperplane-stationary',
        events: synthEvents,
        changes: [],
        description: 'stationary hyperplane (no drift), the false-alarm control',
      },
    ],
    seeds: otherSeeds,
    detectors: ['adwin', 'page-hinkley', 'ddm'],
    tolerance: quick ? 2500 : 5000,
    common: { optimizer: 'sgd', learningRate: 0.05, standardize: true },
  };

  return { quick, noise, calibration, drift };
}
