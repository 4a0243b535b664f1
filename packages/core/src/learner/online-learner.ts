import {
  AdaGrad,
  Adwin,
  AnchorPointEstimator,
  BackwardCorrectedLoss,
  Ddm,
  Ftrl,
  ForwardCorrectedLoss,
  HingeLoss,
  IdentityCalibrator,
  IsotonicCalibrator,
  LogLoss,
  PageHinkley,
  PlattCalibrator,
  PopulationStabilityIndex,
  PosteriorRegressionEstimator,
  Sgd,
  SparseVector,
  StandardScaler,
  TrustedPairEstimator,
  clipNoiseRatesInto,
  sigmoid,
  smoothLabel,
  validateNoiseRates,
} from '@logit-stream/kernel';
import type { Calibrator, DriftDetector, LinearOptimizer, Loss, NamedState } from '@logit-stream/kernel';
import { CoreError } from '../errors/core-error.js';
import { DecodedEvent, EventDecoder } from '../events/index.js';
import { FeatureSpace } from '../features/index.js';
import type { Score } from '../events/index.js';
import type {
  DriftDetectorReport,
  DriftEventReport,
  MetricsReport,
  NoiseReport,
} from './metrics-report.js';
import { MetricsSuite } from './metrics-suite.js';
import { resolveLearnerOptions } from './options.js';
import type { DriftDetectorName, LearnerOptions, LearnerOptionsInput } from './options.js';

/** How many detections `report().drift.recent` keeps. */
export const RECENT_DETECTIONS = 50;

/** Format tag of {@link OnlineLearner.toState}; bumped on incompatible changes. */
export const LEARNER_STATE_VERSION = 1;

/** Dense inputs up to this many features also get a PSI per feature. */
export const MAX_PSI_FEATURES = 256;

/**
 * The per-feature PSI samples every FEATURE_PSI_STRIDE-th labelled event (binning d values per event
 * dominated the cost of a dense event otherwise); its windows hold psiWindow sampled events each.
 */
export const FEATURE_PSI_STRIDE = 4;

/** PSI of the score p ∈ [0, 1]: 10 equal-width bins; per feature: 10 quantile bins of the reference. */
const PSI_BINS = 10;

/** Estimated rates are clipped to ρ0 + ρ1 ≤ this before use (the correction blows up near 1). */
const MAX_RATE_SUM = 0.95;

/** Labelled events between two reads of the noise estimators. */
const RATE_REFRESH = 16;

type RateSource = NoiseReport['estimator'];
const RATE_SOURCES: readonly RateSource[] = ['none', 'config', 'trusted-pairs', 'posterior-regression', 'anchor-points'];

/** The exported model of {@link OnlineLearner.exportModel}. */
export interface ExportedModel {
  /** Bias in the original feature scale. */
  bias: number;
  /**
   * Dense input only: the weights in column order, in the ORIGINAL feature scale (standardisation
   * folded in: w_i / σ_i, and the bias shifted by −Σ w_i μ_i / σ_i), so z = bias + Σ weights_i x_i on raw x.
   */
  weights?: number[];
  /** Column names (dense input, when given). */
  columns?: string[];
  /** When standardised: the scaler's mean and std at export, and the weights as learned (on standardised x). */
  standardization?: { mean: number[]; std: number[]; weights: number[]; bias: number };
  /** Hashed input: number of non-zero weights (the weights themselves are not exported). */
  nonZeroWeights?: number;
  optimizer: LearnerOptions['optimizer'];
  loss: LearnerOptions['loss'];
  features: LearnerOptions['features'];
  calibration: LearnerOptions['calibration'];
  modelVersion: number;
}

/**
 * Backward correction on the hinge loss: the same linear combination as the kernel's
 * BackwardCorrectedLoss (which is logistic only), ((ỹ − ρ0) h(z, 1) + (1 − ỹ − ρ1) h(z, 0)) / (1 − ρ0 − ρ1)
 * with h the hinge loss; the rates are validated by the kernel's validateNoiseRates.
 */
class BackwardCorrectedHinge implements Loss {
  private readonly h = new HingeLoss();
  private r0 = 0;
  private r1 = 0;
  private invK = 1;

  constructor(rho0: number, rho1: number) {
    this.setRates(rho0, rho1);
  }

  setRates(rho0: number, rho1: number): void {
    validateNoiseRates(rho0, rho1);
    this.r0 = rho0;
    this.r1 = rho1;
    this.invK = 1 / (1 - rho0 - rho1);
  }

  loss(z: number, y: number): number {
    return ((y - this.r0) * this.h.loss(z, 1) + (1 - y - this.r1) * this.h.loss(z, 0)) * this.invK;
  }

  gradient(z: number, y: number): number {
    return ((y - this.r0) * this.h.gradient(z, 1) + (1 - y - this.r1) * this.h.gradient(z, 0)) * this.invK;
  }
}

function makeOptimizer(o: LearnerOptions, dim: number): LinearOptimizer {
  switch (o.optimizer) {
    case 'sgd':
      return new Sgd({ dim, learningRate: o.learningRate, schedule: o.schedule, powerT: o.powerT, l2: o.l2 });
    case 'adagrad':
      return new AdaGrad({ dim, learningRate: o.learningRate, l2: o.l2 });
    case 'ftrl':
      return new Ftrl({ dim, alpha: o.learningRate, beta: o.ftrlBeta, l1: o.l1, l2: o.l2 });
  }
}

function makeCalibrator(o: LearnerOptions): Calibrator {
  switch (o.calibration) {
    case 'none':
      return new IdentityCalibrator();
    case 'platt':
      return new PlattCalibrator({});
    case 'isotonic':
      return new IsotonicCalibrator({});
  }
}

function makeDetector(name: DriftDetectorName): DriftDetector {
  switch (name) {
    case 'adwin':
      return new Adwin({});
    case 'page-hinkley':
      return new PageHinkley({});
    case 'ddm':
      return new Ddm({});
  }
}

/**
 * The prequential online learner: one linear model (logistic or hinge loss) trained event by event,
 * with calibration, sliding-window and since-start metrics, drift detection on the live and on a
 * frozen reference model, and optional label-noise correction with an online estimate of T.
 *
 * Per event (`process`), in this order:
 * 1. dense standardisation (option): a labelled event's features join the running mean/std first
 *    (features only, never the label), then x is transformed in place; the raw values are kept for PSI;
 * 2. score: z = w·x + b; p = σ(z) (hinge: p = the calibrator's output); pCalibrated = calibrator(z)
 *    (σ(z) when calibration is none); `out` is filled, `modelVersion` = updates before this event;
 * 3. unlabelled events stop here (only counters change). For a labelled event: metrics on
 *    (y, pCalibrated); drift detectors on the live model's 0/1 error [z ≥ 0] ≠ [y ≥ 0.5] and on the
 *    reference model's error; PSI of p and of each raw dense feature; noise estimators observe;
 * 4. learn: calibrator.learnOne(z, y) (after it predicted), y' = smoothLabel(y, ε), g = ∂loss/∂z
 *    (noise-corrected with the current T unless the event is trusted), optimizer.step(x, g); then drift
 *    reactions and reference-model bookkeeping.
 *
 * The calibrator learns from the observed label. Under noise correction, `p` = σ(z) estimates the
 * clean posterior, while `pCalibrated` (and the metrics, which compare it with the observed labels)
 * follows the observed label stream; with `calibration: 'none'` they are equal. Trusted events are
 * learned from with the uncorrected loss.
 *
 * The reference model is a copy of the weights taken after `drift.referenceAfter` labelled events;
 * a detection on the reference model's error drops it and a fresh copy is taken `referenceAfter`
 * labelled events later (detections on the live model only trigger the reaction). Any detection
 * triggers the reaction: `boost` (η × boostFactor for the next boostEvents labelled events) or `reset`
 * (restart the η schedule). With standardisation, the reference model scores the x standardised by the current scaler.
 *
 * Per event the code creates no objects, arrays or closures (all buffers are pre-allocated; a
 * detection writes into fixed-size typed rings): checked by code review, and a test runs 200k events
 * and bounds the retained heap growth after GC. V8 still boxes some doubles passed across non-inlined
 * calls (kernel metrics, detectors): 25–80 bytes of short-lived garbage per event, measured by
 * `pnpm --filter @logit-stream/core bench`.
 *
 * @example
 * const learner = new OnlineLearner({ features: { kind: 'dense', dim: 2 } });
 * const ev = learner.newEvent();
 * const out = learner.newScore();
 * learner.decoder.decodeObject({ id: 'e-1', features: [0.5, 1], label: 1 }, ev); // null: accepted
 * learner.process(ev, out);
 * out.p // 0.5 (before any update)
 */
export class OnlineLearner {
  /** The resolved, validated options. */
  readonly options: LearnerOptions;
  readonly learnerId: string;
  /** The feature space (hashing or dense mapping) the decoder maps events into. */
  readonly space: FeatureSpace;
  /** A decoder for this learner's feature space and limits (SPEC §2 validation). */
  readonly decoder: EventDecoder;

  private readonly dim: number;
  private readonly optimizer: LinearOptimizer;
  private readonly calibrator: Calibrator;
  private readonly hinge: boolean;
  private readonly baseLoss: Loss;
  private readonly forward: ForwardCorrectedLoss | null;
  private readonly backward: BackwardCorrectedLoss | BackwardCorrectedHinge | null;
  private readonly scaler: StandardScaler | null;
  private readonly raw: SparseVector | null;
  private readonly metrics: MetricsSuite;

  // Drift: detector k of names[k] on the live model is live[k], on the reference model ref[k].
  private readonly names: DriftDetectorName[];
  private readonly live: DriftDetector[];
  private readonly ref: DriftDetector[];
  /** Per detector slot (live k at 2k, reference k at 2k+1): detections, last offset, last position. */
  private readonly detCount: Float64Array;
  private readonly detLastOffset: Float64Array;
  private readonly detLastPosition: Float64Array;
  /** Ring of the last RECENT_DETECTIONS detections: slot, offset, position, ts (NaN = null). */
  private readonly recentSlot: Int32Array;
  private readonly recentOffset: Float64Array;
  private readonly recentPosition: Float64Array;
  private readonly recentTs: Float64Array;
  private recentCount = 0;
  private readonly refWeights: Float64Array;
  private refBias = 0;
  private refReady = false;
  private refTakenAt = -1;
  private refCopies = 0;
  /** Labelled-event count at which the next reference copy is taken. */
  private refDueAt: number;
  private boostRemaining = 0;
  private readonly psi: PopulationStabilityIndex;
  /** Ring of the current PSI window's values; `psiSeen` counts values added to it since the reference copy. */
  private readonly psiRing: Float64Array;
  private psiSeen = 0;
  /**
   * Per-feature PSI of the raw dense values (dense input with dim ≤ MAX_PSI_FEATURES, else null), on
   * every FEATURE_PSI_STRIDE-th labelled event: quantile bins of a reference window (the first psiWindow
   * sampled events after the reference copy, buffered in featRef, feature f at f·psiWindow), against
   * consecutive (tumbling) current windows of psiWindow sampled events; featLast holds the PSI of the
   * last complete current window (NaN = none yet).
   */
  private readonly featPsi: PopulationStabilityIndex[] | null;
  private readonly featRef: Float64Array;
  private readonly featVals: Float64Array;
  private readonly featLast: Float64Array;
  private featRefCount = 0;
  private featCurCount = 0;

  // Label noise.
  private readonly trustedEst: TrustedPairEstimator | null;
  private readonly posteriorEst: PosteriorRegressionEstimator | null;
  private readonly anchorEst: AnchorPointEstimator | null;
  /** The clean model of posterior regression, trained on trusted events only (log loss, plain SGD). */
  private readonly clean: LinearOptimizer | null;
  private rho0 = 0;
  private rho1 = 0;
  private readonly clipped = new Float64Array(2);
  private rateSource: RateSource = 'none';
  private rateEvidence = 0;
  private negativeLosses = 0;
  private trustedEvents = 0;
  private trustedPairs = 0;

  private seen = 0;
  private labelled = 0;

  /**
   * @param options - any subset of {@link LearnerOptions} (validated by {@link resolveLearnerOptions})
   * @param learnerId - the id published with every report
   * @throws CoreError 'bad-option' for invalid options
   */
  constructor(options: LearnerOptionsInput = {}, learnerId = 'learner-0') {
    const o = resolveLearnerOptions(options);
    this.options = o;
    this.learnerId = learnerId;
    this.space =
      o.features.kind === 'hashed'
        ? new FeatureSpace({ kind: 'hashed', bits: o.features.bits, seed: o.features.seed })
        : new FeatureSpace({ kind: 'dense', dim: o.features.dim });
    this.decoder = new EventDecoder({ space: this.space, maxFeatures: o.maxFeatures, maxBytes: o.maxEventBytes });
    const dim = this.space.dim;
    this.dim = dim;
    this.optimizer = makeOptimizer(o, dim);
    this.calibrator = makeCalibrator(o);
    this.hinge = o.loss === 'hinge';
    this.baseLoss = this.hinge ? new HingeLoss() : new LogLoss();
    const [r0, r1] = o.noiseRates ?? [0, 0];
    if (o.noiseRates !== null) {
      this.rho0 = r0;
      this.rho1 = r1;
      this.rateSource = 'config';
    }
    this.forward = o.noiseCorrection === 'forward' ? new ForwardCorrectedLoss(r0, r1) : null;
    this.backward =
      o.noiseCorrection !== 'backward'
        ? null
        : this.hinge
          ? new BackwardCorrectedHinge(r0, r1)
          : new BackwardCorrectedLoss(r0, r1);
    this.scaler = o.standardize ? new StandardScaler({ dim }) : null;
    this.metrics = new MetricsSuite(o.metricsWindow);

    this.names = [...o.drift.detectors];
    this.live = this.names.map(makeDetector);
    this.ref = this.names.map(makeDetector);
    const slots = 2 * this.names.length;
    this.detCount = new Float64Array(slots);
    this.detLastOffset = new Float64Array(slots).fill(-1);
    this.detLastPosition = new Float64Array(slots).fill(-1);
    this.recentSlot = new Int32Array(RECENT_DETECTIONS);
    this.recentOffset = new Float64Array(RECENT_DETECTIONS);
    this.recentPosition = new Float64Array(RECENT_DETECTIONS);
    this.recentTs = new Float64Array(RECENT_DETECTIONS);
    this.refWeights = new Float64Array(dim);
    this.refDueAt = o.drift.referenceAfter;
    this.psi = new PopulationStabilityIndex({ bins: PSI_BINS, lower: 0, upper: 1 });
    this.psiRing = new Float64Array(o.drift.psiWindow);
    const featPsiOn = o.features.kind === 'dense' && dim <= MAX_PSI_FEATURES;
    // The raw values are kept only for the per-feature PSI of standardised input.
    this.raw = o.standardize && featPsiOn ? new SparseVector(o.maxFeatures) : null;
    this.featPsi = featPsiOn ? Array.from({ length: dim }, () => new PopulationStabilityIndex({ bins: PSI_BINS })) : null;
    this.featRef = new Float64Array(featPsiOn ? dim * o.drift.psiWindow : 0);
    this.featVals = new Float64Array(featPsiOn ? dim : 0);
    this.featLast = new Float64Array(featPsiOn ? dim : 0).fill(Number.NaN);

    const est = o.noiseEstimation;
    this.trustedEst = est === 'trusted' ? new TrustedPairEstimator() : null;
    this.posteriorEst = est === 'trusted' ? new PosteriorRegressionEstimator() : null;
    this.anchorEst = est === 'anchor' ? new AnchorPointEstimator() : null;
    this.clean = est === 'trusted' ? new Sgd({ dim, learningRate: o.learningRate }) : null;
  }

  /** A fresh reusable event sized for this learner's `maxFeatures`. */
  newEvent(): DecodedEvent {
    return new DecodedEvent(this.options.maxFeatures);
  }

  /** A fresh reusable score record. */
  newScore(): Score {
    return { id: '', ts: null, z: 0, p: 0.5, pCalibrated: 0.5, modelVersion: 0, label: null };
  }

  /** Updates applied so far (the model version of the next score). */
  get modelVersion(): number {
    return this.optimizer.updates;
  }

  /** Events processed so far (labelled or not). */
  get eventsSeen(): number {
    return this.seen;
  }

  /** Labelled events processed so far. */
  get eventsLabelled(): number {
    return this.labelled;
  }

  /**
   * Scores one decoded event into `out` and, if it has a label, updates metrics and drift and learns
   * from it (prequential: the score never depends on the event's own label). `ev.x` is standardised
   * in place when `standardize` is on. Creates no objects (see the class comment).
   *
   * @param ev - an event filled by `decoder` (indices in this learner's space, duplicates merged)
   * @param out - the score record to fill (reuse one from `newScore()`)
   * @param offset - the input offset of the event (for drift reports); defaults to its position
   */
  process(ev: DecodedEvent, out: Score, offset = -1): void {
    const x = ev.x;
    const position = this.seen++;
    const at = offset >= 0 ? offset : position;

    // (a) standardisation: a labelled event first joins the running statistics (unsupervised: its
    // features, never its label), then x is mapped to (x − mean) / std in place. Learning the statistics
    // first bounds a standardised value by √(n − 1), so one outlier cannot throw SGD off (a raw spambase
    // run length of 10 000 would otherwise reach the model as 100+ standard deviations).
    const scaler = this.scaler;
    const raw = this.raw;
    if (scaler !== null) {
      if (raw !== null) raw.copyFrom(x); // the raw values, for the per-feature PSI
      if (ev.label !== null) scaler.learnOne(x);
      scaler.transformInPlace(x);
    }

    // (b) score.
    const opt = this.optimizer;
    const version = opt.updates;
    const z = opt.score(x);
    const pCal = this.calibrator.predict(z);
    const p = this.hinge ? pCal : sigmoid(z);
    out.id = ev.id;
    out.ts = ev.ts;
    out.z = z;
    out.p = p;
    out.pCalibrated = pCal;
    out.modelVersion = version;
    const y = ev.label;
    out.label = y;
    if (y === null) return;

    // (c) metrics, drift, noise estimation: all before learning.
    this.labelled++;
    this.metrics.update(y, pCal);
    const yHard = y >= 0.5;
    let detected = false;
    let refDetected = false;
    const names = this.names;
    const errLive = z >= 0 !== yHard ? 1 : 0;
    for (let k = 0; k < names.length; k++) {
      const d = this.live[k];
      d.update(errLive);
      if (d.driftDetected) {
        this.recordDetection(2 * k, at, position, ev.ts);
        detected = true;
      }
    }
    if (this.refReady && names.length > 0) {
      const w = this.refWeights;
      const val = x.val;
      const n = x.nnz;
      let zr = this.refBias;
      if (x.isDense && n <= w.length) {
        for (let k = 0; k < n; k++) zr += w[k] * val[k]; // dense order: idx[k] = k
      } else {
        const idx = x.idx;
        for (let k = 0; k < n; k++) zr += w[idx[k]] * val[k];
      }
      const errRef = zr >= 0 !== yHard ? 1 : 0;
      for (let k = 0; k < names.length; k++) {
        const d = this.ref[k];
        d.update(errRef);
        if (d.driftDetected) {
          this.recordDetection(2 * k + 1, at, position, ev.ts);
          refDetected = true;
        }
      }
    }
    if (this.refCopies > 0) {
      // PSI of p: the reference window is the first psiWindow labelled events after the last reference
      // copy (kept while a dropped reference awaits its refresh); the current window slides over the
      // last psiWindow after that.
      const psi = this.psi;
      const pw = this.psiRing.length;
      if (psi.referenceCount < pw) {
        psi.addReference(p);
      } else {
        const r = this.psiSeen % pw;
        if (this.psiSeen >= pw) psi.removeCurrent(this.psiRing[r]);
        this.psiRing[r] = p;
        psi.addCurrent(p);
        this.psiSeen++;
      }
      if (this.featPsi !== null && this.labelled % FEATURE_PSI_STRIDE === 0) this.featurePsi(raw ?? x);
    }

    const trusted = ev.trusted;
    if (trusted) {
      this.trustedEvents++;
      if (ev.sourceLabel !== null) this.trustedPairs++;
    }
    if (this.options.noiseEstimation !== 'none') this.observeNoise(ev, y, p);

    // (d) learn: calibrator first (it already predicted this event), then the model.
    this.calibrator.learnOne(z, y);
    const eps = this.options.labelSmoothing;
    const yt = eps > 0 ? smoothLabel(y, eps) : y;
    let g: number;
    if (trusted) {
      g = this.baseLoss.gradient(z, yt);
    } else if (this.forward !== null) {
      g = this.forward.gradient(z, yt);
    } else if (this.backward !== null) {
      const b = this.backward;
      if (b.loss(z, yt) < 0) this.negativeLosses++;
      g = b.gradient(z, yt);
    } else {
      g = this.baseLoss.gradient(z, yt);
    }
    opt.step(x, g);

    // (e) drift reaction and reference bookkeeping.
    if (this.boostRemaining > 0 && --this.boostRemaining === 0) opt.setRateMultiplier(1);
    if (detected || refDetected) this.onDrift(refDetected);
    if (!this.refReady && this.labelled >= this.refDueAt) this.takeReference(position);
  }

  /** Feeds one event's raw dense values to the per-feature PSI (O(dim)). */
  private featurePsi(src: SparseVector): void {
    const fp = this.featPsi as PopulationStabilityIndex[];
    const d = this.featVals.length;
    const pw = this.psiRing.length;
    // A dense event whose coordinates are 0..d−1 in order (a CSV row, a dense array) is read as it is; any other is
    // scattered into featVals first (absent coordinates are 0).
    const n = src.nnz;
    const idx = src.idx;
    let vals = src.val;
    if (!(n === d && src.isDense)) {
      vals = this.featVals;
      vals.fill(0);
      for (let k = 0; k < n; k++) vals[idx[k]] = src.val[k];
    }
    if (this.featRefCount < pw) {
      const ref = this.featRef;
      const r = this.featRefCount;
      for (let f = 0; f < d; f++) ref[f * pw + r] = vals[f];
      if (++this.featRefCount === pw) {
        // Reference complete: quantile edges per feature (once per reference copy; subarray views allocate).
        for (let f = 0; f < d; f++) {
          fp[f].clearCurrent();
          fp[f].setReference(ref.subarray(f * pw, (f + 1) * pw));
        }
      }
      return;
    }
    for (let f = 0; f < d; f++) fp[f].addCurrent(vals[f]);
    if (++this.featCurCount === pw) {
      const last = this.featLast;
      for (let f = 0; f < d; f++) {
        last[f] = fp[f].get();
        fp[f].clearCurrent();
      }
      this.featCurCount = 0;
    }
  }

  private observeNoise(ev: DecodedEvent, y: number, p: number): void {
    if (ev.trusted) {
      if (this.trustedEst !== null && ev.sourceLabel !== null) this.trustedEst.observe(y, ev.sourceLabel);
      const c = this.clean;
      if (c !== null) {
        const zc = c.score(ev.x);
        c.step(ev.x, sigmoid(zc) - y);
      }
    } else {
      const c = this.clean;
      if (c !== null && this.posteriorEst !== null && c.updates >= this.options.noiseMinEvidence) {
        this.posteriorEst.observe(sigmoid(c.score(ev.x)), y);
      }
      // Anchor points need the noisy-label posterior q = ρ0 + (1 − ρ0 − ρ1) p of the current T.
      if (this.anchorEst !== null) this.anchorEst.observe(this.rho0 + (1 - this.rho0 - this.rho1) * p);
    }
    // Re-read the estimates every RATE_REFRESH labelled events (reading an anchor estimate is O(bins)).
    if (this.labelled % RATE_REFRESH === 0) this.chooseRates();
  }

  /** Picks the rates to correct with: the best estimate with enough evidence, else the configured ones. */
  private chooseRates(): void {
    const min = this.options.noiseMinEvidence;
    let src: RateSource = this.options.noiseRates === null ? 'none' : 'config';
    let r0 = this.options.noiseRates === null ? 0 : this.options.noiseRates[0];
    let r1 = this.options.noiseRates === null ? 0 : this.options.noiseRates[1];
    let ev = 0;
    const t = this.trustedEst;
    const pr = this.posteriorEst;
    const a = this.anchorEst;
    if (t !== null && t.evidence >= min) {
      src = 'trusted-pairs';
      r0 = t.rho0;
      r1 = t.rho1;
      ev = t.evidence;
    } else if (pr !== null && pr.evidence >= min) {
      src = 'posterior-regression';
      r0 = pr.rho0;
      r1 = pr.rho1;
      ev = pr.evidence;
    } else if (a !== null && a.evidence >= min) {
      src = 'anchor-points';
      r0 = a.rho0;
      r1 = a.rho1;
      ev = a.evidence;
    }
    if (src !== 'config' && src !== 'none') {
      // Estimates can stray outside [0, 1] or near ρ0 + ρ1 = 1: clip before correcting with them.
      const c = this.clipped;
      clipNoiseRatesInto(c, r0, r1, MAX_RATE_SUM);
      r0 = c[0];
      r1 = c[1];
    }
    this.rateSource = src;
    this.rateEvidence = ev;
    if (r0 !== this.rho0 || r1 !== this.rho1) {
      this.rho0 = r0;
      this.rho1 = r1;
      if (this.forward !== null) this.forward.setRates(r0, r1);
      if (this.backward !== null) this.backward.setRates(r0, r1);
    }
  }

  private recordDetection(slot: number, offset: number, position: number, ts: number | null): void {
    this.detCount[slot]++;
    this.detLastOffset[slot] = offset;
    this.detLastPosition[slot] = position;
    const r = this.recentCount % RECENT_DETECTIONS;
    this.recentSlot[r] = slot;
    this.recentOffset[r] = offset;
    this.recentPosition[r] = position;
    this.recentTs[r] = ts === null ? Number.NaN : ts;
    this.recentCount++;
  }

  private onDrift(reference: boolean): void {
    const d = this.options.drift;
    if (d.reaction === 'boost') {
      this.optimizer.setRateMultiplier(d.boostFactor);
      this.boostRemaining = d.boostEvents;
    } else if (d.reaction === 'reset') {
      this.optimizer.resetSchedule();
    }
    if (reference) {
      // The reference model is stale: drop it; a fresh copy is taken once the live model has re-learned.
      this.refReady = false;
      this.refDueAt = this.labelled + d.referenceAfter;
    }
  }

  /** Copies the live weights into the frozen reference model (O(dim), rare). */
  private takeReference(position: number): void {
    const opt = this.optimizer;
    const w = this.refWeights;
    for (let i = 0; i < this.dim; i++) w[i] = opt.weight(i);
    this.refBias = opt.bias();
    this.refReady = true;
    this.refTakenAt = position;
    this.refCopies++;
    for (const d of this.ref) d.reset();
    this.psi.reset();
    this.psiSeen = 0;
    if (this.featPsi !== null) {
      for (const f of this.featPsi) f.clearCurrent();
      this.featRefCount = 0;
      this.featCurCount = 0;
      this.featLast.fill(Number.NaN);
    }
  }

  /**
   * The SPEC §2 metrics report (without `throughput` and `lagMs`, which the app adds). See
   * {@link MetricsReport} for the field names (stable). Allocates; call it every N events, not per event.
   *
   * @param nowMs - the report's timestamp, epoch milliseconds
   */
  report(nowMs: number): MetricsReport {
    const detectors: Record<string, DriftDetectorReport> = {};
    for (let k = 0; k < this.names.length; k++) {
      for (let m = 0; m < 2; m++) {
        const slot = 2 * k + m;
        const d = m === 0 ? this.live[k] : this.ref[k];
        detectors[this.slotKey(slot)] = {
          detector: this.names[k],
          model: m === 0 ? 'live' : 'reference',
          detections: this.detCount[slot],
          lastOffset: this.detLastOffset[slot] < 0 ? null : this.detLastOffset[slot],
          lastPosition: this.detLastPosition[slot] < 0 ? null : this.detLastPosition[slot],
          warning: m === 1 && !this.refReady ? false : d.warningDetected,
        };
      }
    }
    const recent: DriftEventReport[] = [];
    const n = Math.min(this.recentCount, RECENT_DETECTIONS);
    for (let i = this.recentCount - n; i < this.recentCount; i++) {
      const r = i % RECENT_DETECTIONS;
      const slot = this.recentSlot[r];
      recent.push({
        key: this.slotKey(slot),
        detector: this.names[slot >> 1],
        model: (slot & 1) === 0 ? 'live' : 'reference',
        offset: this.recentOffset[r],
        position: this.recentPosition[r],
        ts: Number.isNaN(this.recentTs[r]) ? null : this.recentTs[r],
      });
    }
    const pw = this.psiRing.length;
    const psiReady = this.refCopies > 0 && this.psi.referenceCount === pw && this.psi.currentCount === pw;
    const psiValue = psiReady ? this.psi.get() : Number.NaN;
    return {
      learnerId: this.learnerId,
      ts: nowMs,
      modelVersion: this.optimizer.updates,
      events: {
        seen: this.seen,
        labelled: this.labelled,
        unlabelled: this.seen - this.labelled,
        trusted: this.trustedEvents,
      },
      window: this.metrics.window(),
      total: this.metrics.total(),
      reliability: this.metrics.reliability(),
      drift: {
        detectors,
        recent,
        reference: { ready: this.refReady, takenAtPosition: this.refTakenAt < 0 ? null : this.refTakenAt, copies: this.refCopies },
        psi: {
          score: Number.isFinite(psiValue) ? psiValue : null,
          features:
            this.featPsi === null ? null : Array.from(this.featLast, (v) => (Number.isFinite(v) ? v : null)),
        },
        reaction: this.options.drift.reaction,
        boostRemaining: this.boostRemaining,
      },
      noise: {
        correction: this.options.noiseCorrection,
        estimator: this.rateSource,
        rho0: this.rho0,
        rho1: this.rho1,
        evidence: this.rateEvidence,
        negativeLosses: this.negativeLosses,
        trustedEvents: this.trustedEvents,
        trustedPairs: this.trustedPairs,
      },
    };
  }

  /**
   * The whole learner as a {@link NamedState}: options, id, counters, optimizer, scaler, calibrator,
   * metrics, detectors, reference model, PSI, noise estimators and clean model. Encode it with
   * `encodeState`; {@link OnlineLearner.fromState} restores a learner whose next outputs are identical.
   * Typed arrays are copies (later events do not change a taken state), unless `share`.
   *
   * @param share - true: the model's weight arrays (the optimiser's, and the clean model's) are its own,
   *   not copies, valid only until the next `process`, `mix` or `fromState`: for a state encoded at once,
   *   synchronously (a periodic snapshot), which then allocates no O(dim) copy. Default false.
   */
  toState(share = false): NamedState {
    return {
      kind: 'online-learner',
      version: LEARNER_STATE_VERSION,
      learnerId: this.learnerId,
      options: JSON.stringify(this.options),
      seen: this.seen,
      labelled: this.labelled,
      optimizer: this.optimizer.toState(share),
      calibrator: this.calibrator.toState(),
      scaler: this.scaler === null ? null : this.scaler.toState(),
      metrics: this.metrics.toState(),
      live: this.live.map((d) => d.toState()),
      reference: this.ref.map((d) => d.toState()),
      detCount: this.detCount.slice(),
      detLastOffset: this.detLastOffset.slice(),
      detLastPosition: this.detLastPosition.slice(),
      recentSlot: this.recentSlot.slice(),
      recentOffset: this.recentOffset.slice(),
      recentPosition: this.recentPosition.slice(),
      recentTs: this.recentTs.slice(),
      recentCount: this.recentCount,
      // Sparse (index, value) pairs: a hashed reference model is mostly zeros.
      ...this.referenceState(),
      refBias: this.refBias,
      refReady: this.refReady,
      refTakenAt: this.refTakenAt,
      refCopies: this.refCopies,
      refDueAt: this.refDueAt,
      boostRemaining: this.boostRemaining,
      psi: this.psi.toState(),
      psiRing: this.psiRing.slice(),
      psiSeen: this.psiSeen,
      featPsi: this.featPsi === null ? null : this.featPsi.map((f) => f.toState()),
      featRef: this.featPsi !== null && this.featRefCount < this.psiRing.length ? this.featRef.slice() : null,
      featRefCount: this.featRefCount,
      featCurCount: this.featCurCount,
      featLast: this.featLast.slice(),
      trustedEst: this.trustedEst === null ? null : this.trustedEst.toState(),
      posteriorEst: this.posteriorEst === null ? null : this.posteriorEst.toState(),
      anchorEst: this.anchorEst === null ? null : this.anchorEst.toState(),
      clean: this.clean === null ? null : this.clean.toState(share),
      rho0: this.rho0,
      rho1: this.rho1,
      rateSource: this.rateSource,
      rateEvidence: this.rateEvidence,
      negativeLosses: this.negativeLosses,
      trustedEvents: this.trustedEvents,
      trustedPairs: this.trustedPairs,
    };
  }

  private referenceState(): { refIdx: Int32Array | null; refVal: Float64Array | null } {
    if (!this.refReady) return { refIdx: null, refVal: null };
    const w = this.refWeights;
    let nz = 0;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) nz++;
    const refIdx = new Int32Array(nz);
    const refVal = new Float64Array(nz);
    for (let i = 0, k = 0; i < w.length; i++) {
      if (w[i] !== 0) {
        refIdx[k] = i;
        refVal[k++] = w[i];
      }
    }
    return { refIdx, refVal };
  }

  /**
   * Model averaging for scale-out (SPEC §4): several learners of one group train on their own
   * partitions and periodically mix in each other's newest states. This replaces the model (weights,
   * bias, optimiser state), the Platt calibrator and the scaler's statistics by their weighted average
   * over this learner (weight `self`) and the peers' `states` (weights `weights`), and sets the model
   * version to `version`. Metrics, drift detectors, the reference model, noise estimators and an
   * isotonic calibrator's window stay this learner's own: they describe what this replica saw.
   *
   * @param self - weight of this learner's model (the events it learned since it last mixed)
   * @param states - the peers' {@link OnlineLearner.toState} output (typically decoded snapshots)
   * @param weights - one per state (the events each peer learned since this learner last mixed it in)
   * @param version - the model version afterwards (the events the mixed model stands for)
   * @throws CoreError 'bad-state' when a state was trained with other options or does not fit; nothing is changed then
   * @example
   * a.mix(a.modelVersion - lastMix, [peerState], [peerLearned], a.modelVersion + peerLearned);
   */
  mix(self: number, states: readonly NamedState[], weights: readonly number[], version: number): void {
    const mine = JSON.stringify(this.options);
    for (const st of states) {
      if (st.kind !== 'online-learner' || st.version !== LEARNER_STATE_VERSION) {
        throw new CoreError('bad-state', `cannot mix a state of kind ${String(st.kind)} version ${String(st.version)}; pass OnlineLearner.toState() output of version ${LEARNER_STATE_VERSION}`);
      }
      if (st.options !== mine) {
        throw new CoreError(
          'bad-state',
          `cannot mix the model of learner ${String(st.learnerId)}: it was trained with other learning options (${String(st.options)}) than this one (${mine}); run every learner of a group with the same options`,
        );
      }
    }
    try {
      this.optimizer.mix(self, states.map((st) => sub(st, 'optimizer')), weights, version);
      this.calibrator.mix(self, states.map((st) => sub(st, 'calibrator')), weights);
      if (this.scaler !== null) this.scaler.mix(self, states.map((st) => sub(st, 'scaler')), weights);
    } catch (e) {
      throw new CoreError('bad-state', `cannot mix the peers' models: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Rebuilds a learner from {@link OnlineLearner.toState} output (typically after `decodeState`).
   * The restored learner's next scores, reports and states are identical to the original's.
   *
   * @throws CoreError 'bad-state' when `state` is not a learner state of this version or does not fit
   *   its own options (the message names the field)
   * @example
   * const copy = OnlineLearner.fromState(decodeState(encodeState(learner.toState())));
   */
  static fromState(state: NamedState): OnlineLearner {
    if (state.kind !== 'online-learner' || state.version !== LEARNER_STATE_VERSION) {
      throw new CoreError(
        'bad-state',
        `state of kind ${String(state.kind)} version ${String(state.version)} is not an online-learner state version ${LEARNER_STATE_VERSION}; pass OnlineLearner.toState() output`,
      );
    }
    let options: LearnerOptionsInput;
    try {
      options = JSON.parse(str(state, 'options')) as LearnerOptionsInput;
    } catch (e) {
      throw new CoreError('bad-state', 'learner state field options is not JSON; pass OnlineLearner.toState() output', {
        cause: e,
      });
    }
    let l: OnlineLearner;
    try {
      l = new OnlineLearner(options, str(state, 'learnerId'));
      l.restore(state);
    } catch (e) {
      if (e instanceof CoreError && e.code === 'bad-state') throw e;
      throw new CoreError(
        'bad-state',
        `learner state does not restore (${(e as Error).message}); pass OnlineLearner.toState() output of this version`,
        { cause: e },
      );
    }
    return l;
  }

  private restore(s: NamedState): void {
    this.seen = num(s, 'seen');
    this.labelled = num(s, 'labelled');
    this.optimizer.fromState(sub(s, 'optimizer'));
    this.calibrator.fromState(sub(s, 'calibrator'));
    if (this.scaler !== null) this.scaler.fromState(sub(s, 'scaler'));
    this.metrics.fromState(sub(s, 'metrics'));
    const live = list(s, 'live', this.live.length);
    const ref = list(s, 'reference', this.ref.length);
    for (let k = 0; k < this.live.length; k++) {
      this.live[k].fromState(live[k] as NamedState);
      this.ref[k].fromState(ref[k] as NamedState);
    }
    copyInto(this.detCount, s, 'detCount');
    copyInto(this.detLastOffset, s, 'detLastOffset');
    copyInto(this.detLastPosition, s, 'detLastPosition');
    copyInto(this.recentSlot, s, 'recentSlot');
    copyInto(this.recentOffset, s, 'recentOffset');
    copyInto(this.recentPosition, s, 'recentPosition');
    copyInto(this.recentTs, s, 'recentTs');
    this.recentCount = num(s, 'recentCount');
    this.refReady = s.refReady === true;
    this.refWeights.fill(0);
    if (this.refReady) {
      const idx = s.refIdx;
      const val = s.refVal;
      if (!(idx instanceof Int32Array && val instanceof Float64Array && idx.length === val.length)) {
        throw badField('refIdx/refVal', 'of wrong type or length');
      }
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k];
        if (!(i >= 0 && i < this.dim)) throw badField('refIdx', i);
        this.refWeights[i] = val[k];
      }
    }
    this.refBias = num(s, 'refBias');
    this.refTakenAt = num(s, 'refTakenAt');
    this.refCopies = num(s, 'refCopies');
    this.refDueAt = num(s, 'refDueAt');
    this.boostRemaining = num(s, 'boostRemaining');
    this.psi.fromState(sub(s, 'psi'));
    copyInto(this.psiRing, s, 'psiRing');
    this.psiSeen = num(s, 'psiSeen');
    if (this.featPsi !== null) {
      const fs = list(s, 'featPsi', this.featPsi.length);
      for (let f = 0; f < fs.length; f++) this.featPsi[f].fromState(fs[f] as NamedState);
      this.featRefCount = num(s, 'featRefCount');
      this.featCurCount = num(s, 'featCurCount');
      if (this.featRefCount < this.psiRing.length) copyInto(this.featRef, s, 'featRef');
      copyInto(this.featLast, s, 'featLast');
    }
    if (this.trustedEst !== null) this.trustedEst.fromState(sub(s, 'trustedEst'));
    if (this.posteriorEst !== null) this.posteriorEst.fromState(sub(s, 'posteriorEst'));
    if (this.anchorEst !== null) this.anchorEst.fromState(sub(s, 'anchorEst'));
    if (this.clean !== null) this.clean.fromState(sub(s, 'clean'));
    this.rho0 = num(s, 'rho0');
    this.rho1 = num(s, 'rho1');
    if (this.forward !== null) this.forward.setRates(this.rho0, this.rho1);
    if (this.backward !== null) this.backward.setRates(this.rho0, this.rho1);
    const src = str(s, 'rateSource') as RateSource;
    if (!RATE_SOURCES.includes(src)) throw badField('rateSource', src);
    this.rateSource = src;
    this.rateEvidence = num(s, 'rateEvidence');
    this.negativeLosses = num(s, 'negativeLosses');
    this.trustedEvents = num(s, 'trustedEvents');
    this.trustedPairs = num(s, 'trustedPairs');
  }

  /**
   * The model as plain JSON (SPEC §3 `--model-out`): bias and, for dense input, the weights in column
   * order in the ORIGINAL feature scale (standardisation folded in; the scaler's mean/std and the
   * weights as learned are given alongside under `standardization`). Hashed input exports the bias
   * and the count of non-zero weights only.
   *
   * @param columns - dense input: the column names, exactly `features.dim` of them (optional)
   * @throws CoreError 'bad-option' when `columns` does not match the dense dimension
   */
  exportModel(columns?: readonly string[]): ExportedModel {
    const o = this.options;
    const opt = this.optimizer;
    const base = {
      optimizer: o.optimizer,
      loss: o.loss,
      features: o.features,
      calibration: o.calibration,
      modelVersion: opt.updates,
    };
    if (o.features.kind === 'hashed') {
      if (columns !== undefined) {
        throw new CoreError('bad-option', 'column names are only for dense features; omit columns for hashed input');
      }
      let nz = 0;
      for (let i = 0; i < this.dim; i++) if (opt.weight(i) !== 0) nz++;
      return { bias: opt.bias(), nonZeroWeights: nz, ...base };
    }
    const d = this.dim;
    if (columns !== undefined && columns.length !== d) {
      throw new CoreError('bad-option', `got ${columns.length} column names for ${d} columns; pass exactly ${d} names in feature order`);
    }
    const learned: number[] = [];
    for (let i = 0; i < d; i++) learned.push(opt.weight(i));
    const b = opt.bias();
    const out: ExportedModel = { bias: b, weights: learned, ...base };
    if (columns !== undefined) out.columns = [...columns];
    if (this.scaler !== null) {
      const mean: number[] = [];
      const std: number[] = [];
      const sc = this.scaler;
      for (let i = 0; i < d; i++) {
        mean.push(sc.meanOf(i));
        // the divisor transformInPlace uses: the running std, or 1 below minStd
        const sd = Math.sqrt(sc.varianceOf(i));
        std.push(sd < sc.minStd ? 1 : sd);
      }
      const weights: number[] = [];
      let bias = b;
      for (let i = 0; i < d; i++) {
        const wi = learned[i] / std[i];
        weights.push(wi);
        bias -= wi * mean[i];
      }
      out.weights = weights;
      out.bias = bias;
      out.standardization = { mean, std, weights: learned, bias: b };
    }
    return out;
  }

  private slotKey(slot: number): string {
    return `${this.names[slot >> 1]}/${(slot & 1) === 0 ? 'live' : 'reference'}`;
  }
}

function badField(name: string, v: unknown): CoreError {
  return new CoreError('bad-state', `learner state field ${name} ${String(v)} is invalid; pass OnlineLearner.toState() output`);
}

function num(s: NamedState, k: string): number {
  const v = s[k];
  if (typeof v !== 'number') throw badField(k, v);
  return v;
}

function str(s: NamedState, k: string): string {
  const v = s[k];
  if (typeof v !== 'string') throw badField(k, v);
  return v;
}

function sub(s: NamedState, k: string): NamedState {
  const v = s[k];
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) throw badField(k, v);
  return v as NamedState;
}

function list(s: NamedState, k: string, n: number): readonly unknown[] {
  const v = s[k];
  if (!Array.isArray(v) || v.length !== n) throw badField(k, v);
  return v;
}

function copyInto(target: Float64Array | Int32Array, s: NamedState, k: string): void {
  const v = s[k];
  if (!(v instanceof target.constructor) || (v as Float64Array).length !== target.length) throw badField(k, 'of wrong type or length');
  target.set(v as Float64Array & Int32Array);
}
