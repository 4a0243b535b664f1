import type { DriftDetectorName, LearnerOptions } from './options.js';

/**
 * Quality metrics over a set of labelled events, judged on `pCalibrated` against the observed label.
 * A value is `null` when it is undefined for the events seen (no events; AUC with only one class).
 *
 * - `logLoss`: mean −[y ln p + (1−y) ln(1−p)], p clipped to [1e-15, 1 − 1e-15].
 * - `brier`: mean (p − y)².
 * - `accuracy`: share of events with (p ≥ 0.5) = (y ≥ 0.5).
 * - `auc`: ROC AUC (binned; soft labels weight positives by y and negatives by 1 − y).
 * - `ece`: expected calibration error, positive-class version, 15 equal-width bins of p.
 * - `meanLabel`, `meanP`: mean y and mean p. `count`: number of events.
 */
export interface QualityMetrics {
  logLoss: number | null;
  brier: number | null;
  accuracy: number | null;
  auc: number | null;
  ece: number | null;
  meanLabel: number | null;
  meanP: number | null;
  count: number;
}

/** One bin of the reliability diagram: p in [lower, upper) (the last bin includes 1). Means are null for an empty bin. */
export interface ReliabilityBinReport {
  lower: number;
  upper: number;
  count: number;
  meanP: number | null;
  meanY: number | null;
}

/** One drift detector on one model's 0/1 error. */
export interface DriftDetectorReport {
  detector: DriftDetectorName;
  /** Whose error it watches: the live (learning) model or the frozen reference model. */
  model: 'live' | 'reference';
  /** Detections so far. */
  detections: number;
  /** Input offset of the last detection (the `offset` given to `process`, else its position), or null. */
  lastOffset: number | null;
  /** Position (0-based index among all processed events) of the last detection, or null. */
  lastPosition: number | null;
  /** Whether the detector is in its warning zone now (false for detectors without one). */
  warning: boolean;
}

/** One detection, as listed in `drift.recent` (newest last, at most 50). */
export interface DriftEventReport {
  /** Key of the detector in `drift.detectors`, e.g. `'adwin/reference'`. */
  key: string;
  detector: DriftDetectorName;
  model: 'live' | 'reference';
  offset: number;
  position: number;
  /** Event timestamp (epoch ms) of the event that completed the detection, or null. */
  ts: number | null;
}

/** Drift section of the report. */
export interface DriftReport {
  /** Keyed `'<detector>/<model>'`, e.g. `'adwin/live'`, `'adwin/reference'`. */
  detectors: Record<string, DriftDetectorReport>;
  /** The last detections (at most 50), oldest first. */
  recent: DriftEventReport[];
  /** The frozen reference model: whether one is in use, at which position it was taken, how many times. */
  reference: { ready: boolean; takenAtPosition: number | null; copies: number };
  /**
   * Population stability index (0 = same distribution; < 0.1 stable, 0.1–0.25 moderate, > 0.25 major shift).
   * `score`: of p, 10 equal-width bins, the `psiWindow` labelled events after the reference copy vs the
   * last `psiWindow` labelled events (sliding); null until both windows are full.
   * `features`: dense input with at most 256 features, else null: per feature (column order) of the
   * raw values, sampled every 4th labelled event after the reference copy: 10 quantile bins of the
   * first `psiWindow` samples vs the last complete (tumbling) window of `psiWindow` samples; an entry
   * is null until its first window completes.
   */
  psi: { score: number | null; features: (number | null)[] | null };
  /** The configured reaction and how many labelled events a running boost still lasts. */
  reaction: LearnerOptions['drift']['reaction'];
  boostRemaining: number;
}

/** Label-noise section: the correction in use and the transition-matrix rates it uses now. */
export interface NoiseReport {
  correction: LearnerOptions['noiseCorrection'];
  /**
   * Which estimate the published rates come from: `'config'` (given `noiseRates`), `'trusted-pairs'`,
   * `'posterior-regression'`, `'anchor-points'`, or `'none'` (no rates: ρ0 = ρ1 = 0).
   */
  estimator: 'none' | 'config' | 'trusted-pairs' | 'posterior-regression' | 'anchor-points';
  rho0: number;
  rho1: number;
  /** Evidence behind the published estimate (pairs or events; 0 for config/none). */
  evidence: number;
  /** Labelled events whose corrected (backward) loss was negative. */
  negativeLosses: number;
  /** Trusted events seen, and of those how many carried a sourceLabel. */
  trustedEvents: number;
  trustedPairs: number;
}

/**
 * SPEC §2 metrics report of an {@link OnlineLearner}, minus `throughput` and `lagMs` (the app adds
 * those). Field names are stable: users script against them.
 *
 * ```
 * { learnerId, ts, modelVersion,
 *   events: { seen, labelled, unlabelled, trusted },
 *   window: QualityMetrics (last metricsWindow labelled events), total: QualityMetrics (since start),
 *   reliability: ReliabilityBinReport[15] (window),
 *   drift: { detectors: { 'adwin/live': {...}, 'adwin/reference': {...} }, recent: [...], reference, psi: { score }, reaction, boostRemaining },
 *   noise: { correction, estimator, rho0, rho1, evidence, negativeLosses, trustedEvents, trustedPairs } }
 * ```
 */
export interface MetricsReport {
  learnerId: string;
  /** The `nowMs` given to `report`. */
  ts: number;
  /** Updates applied so far. */
  modelVersion: number;
  events: { seen: number; labelled: number; unlabelled: number; trusted: number };
  window: QualityMetrics;
  total: QualityMetrics;
  reliability: ReliabilityBinReport[];
  drift: DriftReport;
  noise: NoiseReport;
}
