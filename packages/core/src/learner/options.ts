import { CoreError } from '../errors/core-error.js';

/** Which drift detectors watch the 0/1 error stream (each runs twice: on the live and on the reference model). */
export type DriftDetectorName = 'adwin' | 'page-hinkley' | 'ddm';

/** What the learner does when a detector fires. */
export type DriftReaction = 'none' | 'boost' | 'reset';

/** The feature space: named features hashed into 2^bits slots, or dense arrays of a fixed length. */
export type FeatureOptions = { kind: 'hashed'; bits: number; seed: number } | { kind: 'dense'; dim: number };

/** Drift monitoring and reaction settings (SPEC §1 Drift). */
export interface DriftOptions {
  /** Detectors on the per-event 0/1 error; empty = no detector. Default `['adwin']`. */
  detectors: DriftDetectorName[];
  /**
   * The frozen reference model is a copy of the weights taken after this many labelled events, and
   * refreshed this many labelled events after a detection. Default 1000.
   */
  referenceAfter: number;
  /** `'none'` only reports (default); `'boost'` multiplies η by `boostFactor` for `boostEvents` labelled events; `'reset'` restarts the η schedule. */
  reaction: DriftReaction;
  /** Learning-rate multiplier while boosted (> 0, default 5). */
  boostFactor: number;
  /** Number of labelled events a boost lasts (default 1000). */
  boostEvents: number;
  /** Size of the reference window and of the current window of the score PSI (default 1000). */
  psiWindow: number;
}

/**
 * Every setting of an {@link OnlineLearner}. All fields are required once resolved by
 * {@link resolveLearnerOptions}; the defaults are {@link DEFAULT_LEARNER_OPTIONS}.
 *
 * - `loss`: `'log'` (logistic, default) or `'hinge'` (needs `calibration` platt or isotonic: a hinge score is no probability).
 * - `optimizer`: `'sgd'` (default), `'adagrad'`, or `'ftrl'` (FTRL-Proximal; `learningRate` is its α).
 * - `learningRate`: η (α for FTRL), finite > 0, default 0.05.
 * - `schedule`, `powerT`: SGD only: constant η or η_t = η / t^powerT (default constant, 0.5).
 * - `l2` (≥ 0, default 0), `l1` (≥ 0, default 0, FTRL only), `ftrlBeta` (> 0, default 1).
 * - `labelSmoothing`: ε in [0, 1), train on y(1−ε) + ε/2 (default 0).
 * - `noiseRates`: given [ρ0, ρ1] with 0 ≤ ρ, ρ0 + ρ1 < 1, or null (default). Used until an estimator has evidence.
 * - `noiseCorrection`: `'none'` (default), `'forward'` (log loss only), `'backward'`; needs `noiseRates` or `noiseEstimation`.
 * - `noiseEstimation`: `'none'` (default), `'trusted'` (trusted (label, sourceLabel) pairs, else a clean model
 *   on trusted events and posterior regression), `'anchor'` (anchor points, biased low: see SPEC).
 * - `noiseMinEvidence`: evidence (pairs / events) an estimate needs before it replaces `noiseRates` (default 200).
 * - `calibration`: `'none'` (σ(z), default), `'platt'`, `'isotonic'`.
 * - `standardize`: online standardisation of dense features (default false; dense features only).
 * - `features`: default `{ kind: 'hashed', bits: 18, seed: 0 }`; bits in [1, 30].
 * - `maxFeatures` (default 1000), `maxEventBytes` (default 65536): decoder limits.
 * - `metricsWindow`: sliding-window size of the windowed metrics (default 1000).
 * - `drift`: see {@link DriftOptions}.
 */
export interface LearnerOptions {
  loss: 'log' | 'hinge';
  optimizer: 'sgd' | 'adagrad' | 'ftrl';
  learningRate: number;
  schedule: 'constant' | 'invscaling';
  powerT: number;
  l2: number;
  l1: number;
  ftrlBeta: number;
  labelSmoothing: number;
  noiseRates: [number, number] | null;
  noiseCorrection: 'none' | 'forward' | 'backward';
  noiseEstimation: 'none' | 'trusted' | 'anchor';
  noiseMinEvidence: number;
  calibration: 'none' | 'platt' | 'isotonic';
  standardize: boolean;
  features: FeatureOptions;
  maxFeatures: number;
  maxEventBytes: number;
  metricsWindow: number;
  drift: DriftOptions;
}

/**
 * What {@link resolveLearnerOptions} accepts: any subset of {@link LearnerOptions}, with `drift` and
 * `features` themselves partial (a `Partial<LearnerOptions>` is accepted as is).
 */
export type LearnerOptionsInput = Partial<Omit<LearnerOptions, 'drift' | 'features'>> & {
  drift?: Partial<DriftOptions>;
  features?: { kind: 'hashed'; bits?: number; seed?: number } | { kind: 'dense'; dim: number };
};

/**
 * The default settings: log loss, plain SGD with constant η = 0.05, no regularisation, no smoothing,
 * no noise correction, no calibration, no standardisation, 2^18 hashed features, ADWIN on the error
 * of the live and of the reference model, drift only reported.
 *
 * @example
 * DEFAULT_LEARNER_OPTIONS.learningRate // 0.05
 */
export const DEFAULT_LEARNER_OPTIONS: Readonly<LearnerOptions> = Object.freeze({
  loss: 'log',
  optimizer: 'sgd',
  learningRate: 0.05,
  schedule: 'constant',
  powerT: 0.5,
  l2: 0,
  l1: 0,
  ftrlBeta: 1,
  labelSmoothing: 0,
  noiseRates: null,
  noiseCorrection: 'none',
  noiseEstimation: 'none',
  noiseMinEvidence: 200,
  calibration: 'none',
  standardize: false,
  features: Object.freeze({ kind: 'hashed', bits: 18, seed: 0 }) as FeatureOptions,
  maxFeatures: 1000,
  maxEventBytes: 65536,
  metricsWindow: 1000,
  drift: Object.freeze({
    detectors: Object.freeze(['adwin']) as unknown as DriftDetectorName[],
    referenceAfter: 1000,
    reaction: 'none',
    boostFactor: 5,
    boostEvents: 1000,
    psiWindow: 1000,
  }) as DriftOptions,
}) as Readonly<LearnerOptions>;

const TOP_KEYS = Object.keys(DEFAULT_LEARNER_OPTIONS);
const DRIFT_KEYS = Object.keys(DEFAULT_LEARNER_OPTIONS.drift);

function fail(name: string, value: unknown, allowed: string): never {
  throw new CoreError('bad-option', `${name} ${show(value)} is not allowed: use ${allowed}`);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(name, v, 'a finite number > 0');
  return v;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(name, v, 'a finite number >= 0');
  return v;
}

function integer(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(name, v, `an integer in [${min}, ${max}]`);
  }
  return v;
}

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(name, v, `one of ${allowed.join('|')}`);
  }
  return v as T;
}

function rejectUnknown(where: string, o: object, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      throw new CoreError(
        'bad-option',
        `unknown option ${where}${k}: use one of ${known.map((n) => where + n).join(', ')}`,
      );
    }
  }
}

function resolveFeatures(v: unknown): FeatureOptions {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    fail('features', v, "{ kind: 'hashed', bits?, seed? } or { kind: 'dense', dim }");
  }
  const f = v as Record<string, unknown>;
  const kind = oneOf('features.kind', f.kind, ['hashed', 'dense'] as const);
  if (kind === 'hashed') {
    rejectUnknown('features.', f, ['kind', 'bits', 'seed']);
    const bits = integer('features.bits', f.bits ?? 18, 1, 30);
    const seed = integer('features.seed', f.seed ?? 0, 0, 0xffffffff);
    return { kind, bits, seed };
  }
  rejectUnknown('features.', f, ['kind', 'dim']);
  const dim = integer('features.dim', f.dim, 1, 1 << 24);
  return { kind, dim };
}

function resolveDrift(v: unknown): DriftOptions {
  const d = DEFAULT_LEARNER_OPTIONS.drift;
  if (v === undefined) return { ...d, detectors: [...d.detectors] };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('drift', v, 'an object of drift options');
  const o = v as Record<string, unknown>;
  rejectUnknown('drift.', o, DRIFT_KEYS);
  const det = o.detectors ?? d.detectors;
  const names = ['adwin', 'page-hinkley', 'ddm'] as const;
  if (!Array.isArray(det)) fail('drift.detectors', det, `an array of ${names.join('|')}`);
  const detectors: DriftDetectorName[] = [];
  for (const n of det as unknown[]) {
    const name = oneOf('drift.detectors entry', n, names);
    if (detectors.includes(name)) fail('drift.detectors', det, 'each detector at most once');
    detectors.push(name);
  }
  return {
    detectors,
    referenceAfter: integer('drift.referenceAfter', o.referenceAfter ?? d.referenceAfter, 1, 1e12),
    reaction: oneOf('drift.reaction', o.reaction ?? d.reaction, ['none', 'boost', 'reset'] as const),
    boostFactor: positive('drift.boostFactor', o.boostFactor ?? d.boostFactor),
    boostEvents: integer('drift.boostEvents', o.boostEvents ?? d.boostEvents, 1, 1e12),
    psiWindow: integer('drift.psiWindow', o.psiWindow ?? d.psiWindow, 10, 1 << 24),
  };
}

/**
 * Fills defaults into `partial` and validates every field, including the combinations that cannot
 * work. The result is a fresh object (the input is not modified) with every field set.
 *
 * @param partial - any subset of the options (unknown keys are refused, so typos do not pass silently)
 * @returns the complete, validated options
 * @throws CoreError with code `'bad-option'`, naming the option, the value and what is allowed,
 *   e.g. `learningRate -1 is not allowed: use a finite number > 0`
 * @example
 * const o = resolveLearnerOptions({ optimizer: 'adagrad', learningRate: 0.1 });
 * o.loss // 'log'
 */
export function resolveLearnerOptions(partial: LearnerOptionsInput = {}): LearnerOptions {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    fail('options', partial, 'an object');
  }
  const p = partial as Record<string, unknown>;
  rejectUnknown('', p, TOP_KEYS);
  const d = DEFAULT_LEARNER_OPTIONS;
  const get = (k: keyof LearnerOptions): unknown => (p[k] === undefined ? d[k] : p[k]);

  const loss = oneOf('loss', get('loss'), ['log', 'hinge'] as const);
  const optimizer = oneOf('optimizer', get('optimizer'), ['sgd', 'adagrad', 'ftrl'] as const);
  const learningRate = positive('learningRate', get('learningRate'));
  const schedule = oneOf('schedule', get('schedule'), ['constant', 'invscaling'] as const);
  const powerT = positive('powerT', get('powerT'));
  const l2 = nonNegative('l2', get('l2'));
  const l1 = nonNegative('l1', get('l1'));
  const ftrlBeta = positive('ftrlBeta', get('ftrlBeta'));
  const labelSmoothing = get('labelSmoothing');
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
    fail('labelSmoothing', labelSmoothing, 'a number in [0, 1)');
  }
  const nr = get('noiseRates');
  let noiseRates: [number, number] | null = null;
  if (nr !== null) {
    if (!Array.isArray(nr) || nr.length !== 2) fail('noiseRates', nr, 'null or [rho0, rho1]');
    const [r0, r1] = nr as unknown[];
    const ok = (r: unknown): r is number => typeof r === 'number' && Number.isFinite(r) && r >= 0 && r < 1;
    if (!ok(r0) || !ok(r1) || !(r0 + r1 < 1)) {
      fail('noiseRates', nr, '[rho0, rho1] with 0 <= rho0, 0 <= rho1 and rho0 + rho1 < 1');
    }
    noiseRates = [r0, r1];
  }
  const noiseCorrection = oneOf('noiseCorrection', get('noiseCorrection'), ['none', 'forward', 'backward'] as const);
  const noiseEstimation = oneOf('noiseEstimation', get('noiseEstimation'), ['none', 'trusted', 'anchor'] as const);
  const noiseMinEvidence = integer('noiseMinEvidence', get('noiseMinEvidence'), 0, 1e12);
  const calibration = oneOf('calibration', get('calibration'), ['none', 'platt', 'isotonic'] as const);
  const standardize = get('standardize');
  if (typeof standardize !== 'boolean') fail('standardize', standardize, 'true or false');
  const features = resolveFeatures(get('features'));
  const maxFeatures = integer('maxFeatures', get('maxFeatures'), 1, 1 << 20);
  const maxEventBytes = integer('maxEventBytes', get('maxEventBytes'), 16, 1 << 30);
  const metricsWindow = integer('metricsWindow', get('metricsWindow'), 1, 1 << 24);
  const drift = resolveDrift(p.drift);

  // Combinations.
  if (loss === 'hinge' && calibration === 'none') {
    fail('calibration', calibration, "platt or isotonic with loss 'hinge' (a hinge score is not a probability)");
  }
  if (loss === 'hinge' && noiseCorrection === 'forward') {
    fail('noiseCorrection', noiseCorrection, "none or backward with loss 'hinge' (forward correction needs a probability)");
  }
  if (noiseCorrection !== 'none' && noiseRates === null && noiseEstimation === 'none') {
    fail(
      'noiseCorrection',
      noiseCorrection,
      "'none', or give noiseRates [rho0, rho1] or noiseEstimation trusted|anchor to correct with",
    );
  }
  if (l1 > 0 && optimizer !== 'ftrl') fail('l1', l1, "0 unless optimizer is 'ftrl' (L1 is applied by FTRL only)");
  if (schedule !== 'constant' && optimizer !== 'sgd') {
    fail('schedule', schedule, "'constant' unless optimizer is 'sgd' (AdaGrad and FTRL adapt their own rates)");
  }
  if (standardize && features.kind !== 'dense') {
    fail('standardize', standardize, "false unless features.kind is 'dense' (standardisation is for dense inputs)");
  }
  if (features.kind === 'dense' && features.dim > maxFeatures) {
    fail('maxFeatures', maxFeatures, `at least features.dim (${features.dim})`);
  }

  return {
    loss,
    optimizer,
    learningRate,
    schedule,
    powerT,
    l2,
    l1,
    ftrlBeta,
    labelSmoothing,
    noiseRates,
    noiseCorrection,
    noiseEstimation,
    noiseMinEvidence,
    calibration,
    standardize,
    features,
    maxFeatures,
    maxEventBytes,
    metricsWindow,
    drift,
  };
}
