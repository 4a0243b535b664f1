import { OnlineLearner, type Score } from '@logit-stream/core';
import { Rng, shuffleInPlace } from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';
import type { NoiseSetup } from './definitions.js';
import { fillDenseEvent } from './fill-dense-event.js';
import { flipLabels } from './flip-labels.js';
import { selectTrusted } from './select-trusted.js';
import { standardizeDataset } from './standardize-dataset.js';
import { summarize, type Summary } from './summarize.js';
import { trainTestSplit } from './train-test-split.js';

/** Seed offsets: each seed s drives independent generators for the split, the flips, the audit and the pass orders. */
export const NOISE_SEED_OFFSETS = { split: 0, flips: 1_000_003, trusted: 2_000_003, order: 3_000_003 } as const;

/** One (data set, seed, variant) run of the label-noise experiment. */
export interface NoiseRun {
  readonly dataset: string;
  readonly seed: number;
  readonly variant: string;
  /** Accuracy at p ≥ 0.5 on the held-out rows, against their clean labels. */
  readonly heldOutAccuracy: number;
  /** The learner's published noise rates at the end, and which estimator produced them. */
  readonly rho0: number;
  readonly rho1: number;
  readonly estimator: string;
  readonly evidence: number;
  readonly negativeLosses: number;
  /** Share of training labels actually flipped for this seed (clean 0 → 1 and clean 1 → 0). */
  readonly flipped0: number;
  readonly flipped1: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly trustedRows: number;
}

/** Per data set and variant: the mean ± sd over seeds. */
export interface NoiseSummaryRow {
  readonly dataset: string;
  readonly variant: string;
  readonly accuracy: Summary;
  readonly rho0: Summary;
  readonly rho1: Summary;
}

/** Results of the label-noise experiment. */
export interface NoiseResults {
  readonly runs: NoiseRun[];
  readonly summary: NoiseSummaryRow[];
}

/**
 * Table 1: on each data set and seed, shuffles and splits the rows (held-out share `testFraction`,
 * clean labels), standardises with the training rows' statistics, flips the training labels at
 * (ρ0, ρ1), audits `trustedFraction` of the training events, then trains one {@link OnlineLearner}
 * per variant for `passes` passes (each pass in a fresh seeded order, the same for every variant) and
 * scores the held-out rows as unlabelled events (never learned from).
 *
 * @param setup - the experiment definition
 * @param datasets - the loaded data sets by name
 * @param log - progress lines
 * @example
 * const r = runNoiseExperiment(evaluationSetup(true).noise, datasets, () => {});
 */
export function runNoiseExperiment(
  setup: NoiseSetup,
  datasets: ReadonlyMap<string, Dataset>,
  log: (line: string) => void,
): NoiseResults {
  const runs: NoiseRun[] = [];
  for (const ref of setup.datasets) {
    const raw = datasets.get(ref.name);
    if (raw === undefined) continue;
    for (const seed of setup.seeds) {
      const split = trainTestSplit(raw.rows, setup.testFraction, new Rng(seed + NOISE_SEED_OFFSETS.split));
      const ds = standardizeDataset(raw, split.train);
      const nTrain = split.train.length;
      const clean = new Uint8Array(nTrain);
      for (let k = 0; k < nTrain; k++) clean[k] = ds.y[split.train[k]];
      const noisy = flipLabels(clean, setup.rho0, setup.rho1, new Rng(seed + NOISE_SEED_OFFSETS.flips));
      const trusted = selectTrusted(nTrain, setup.trustedFraction, new Rng(seed + NOISE_SEED_OFFSETS.trusted));
      const nTrusted = trusted.reduce((a, b) => a + b, 0);
      let n0 = 0;
      let n1 = 0;
      let f0 = 0;
      let f1 = 0;
      for (let k = 0; k < nTrain; k++) {
        if (clean[k] === 0) {
          n0++;
          f0 += noisy[k];
        } else {
          n1++;
          f1 += 1 - noisy[k];
        }
      }
      const orderRng = new Rng(seed + NOISE_SEED_OFFSETS.order);
      const orders: Int32Array[] = [];
      for (let pass = 0; pass < ref.passes; pass++) {
        const o = new Int32Array(nTrain);
        for (let k = 0; k < nTrain; k++) o[k] = k;
        orders.push(shuffleInPlace(o, orderRng));
      }
      for (const v of setup.variants) {
        const learner = new OnlineLearner(
          {
            ...setup.common,
            ...v.options,
            features: { kind: 'dense', dim: ds.dim },
            // The estimate replaces the given rates once every audited pair has been seen once.
            ...(v.options.noiseEstimation === 'trusted' ? { noiseMinEvidence: Math.max(1, nTrusted) } : {}),
          },
          `evaluate-noise-${v.key}`,
        );
        const ev = learner.newEvent();
        const out: Score = learner.newScore();
        for (const order of orders) {
          for (let j = 0; j < nTrain; j++) {
            const k = order[j];
            const row = split.train[k];
            if (v.labels === 'clean') fillDenseEvent(ev, ds.X, row, ds.dim, clean[k], false, null);
            else if (v.labels === 'noisy' || trusted[k] === 0) fillDenseEvent(ev, ds.X, row, ds.dim, noisy[k], false, null);
            else fillDenseEvent(ev, ds.X, row, ds.dim, clean[k], true, noisy[k]);
            learner.process(ev, out);
          }
        }
        let correct = 0;
        for (let k = 0; k < split.test.length; k++) {
          const row = split.test[k];
          fillDenseEvent(ev, ds.X, row, ds.dim, null, false, null);
          learner.process(ev, out);
          if ((out.p >= 0.5 ? 1 : 0) === ds.y[row]) correct++;
        }
        const noise = learner.report(0).noise;
        runs.push({
          dataset: ref.name,
          seed,
          variant: v.key,
          heldOutAccuracy: correct / split.test.length,
          rho0: noise.rho0,
          rho1: noise.rho1,
          estimator: noise.estimator,
          evidence: noise.evidence,
          negativeLosses: noise.negativeLosses,
          flipped0: n0 > 0 ? f0 / n0 : NaN,
          flipped1: n1 > 0 ? f1 / n1 : NaN,
          trainRows: nTrain,
          testRows: split.test.length,
          trustedRows: nTrusted,
        });
      }
      log(`noise: ${ref.name} seed ${seed} done`);
    }
  }
  const summary: NoiseSummaryRow[] = [];
  for (const ref of setup.datasets) {
    for (const v of setup.variants) {
      const rs = runs.filter((r) => r.dataset === ref.name && r.variant === v.key);
      if (rs.length === 0) continue;
      summary.push({
        dataset: ref.name,
        variant: v.key,
        accuracy: summarize(rs.map((r) => r.heldOutAccuracy)),
        rho0: summarize(rs.map((r) => r.rho0)),
        rho1: summarize(rs.map((r) => r.rho1)),
      });
    }
  }
  return { runs, summary };
}
