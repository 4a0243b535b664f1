import { KernelError } from '../errors.js';
import { sigmoid } from '../math/sigmoid.js';
import type { NamedState } from '../state.js';
import { mixFractions } from '../optim/options.js';
import type { Calibrator } from './base.js';

/** Settings of {@link PlattCalibrator}. */
export interface PlattCalibratorOptions {
  /** Scale of each Newton step (default 1: a full step of the online Newton method). */
  readonly learningRate?: number;
  /**
   * Memory of the curvature in events: the accumulated Hessian decays by (1 − 1/memory) per event, so
   * the fit follows a drifting score distribution over about that many events (default 10 000;
   * Infinity for a plain running maximum-likelihood fit that converges on a stationary stream).
   */
  readonly memory?: number;
  /** Prior curvature added to the Hessian's diagonal at the start, in pseudo-events (default 10). */
  readonly prior?: number;
  /** Largest change of (a, c) per event, Euclidean (default 1): a guard against wild early steps. */
  readonly maxStep?: number;
}

/**
 * Platt scaling fitted online: p = σ(a z + c), starting at a = 1, c = 0 (so it is σ(z) before it
 * learns). Targets are scikit-learn's smoothed labels, from the running class counts N₊ and N₋:
 * (N₊ + 1)/(N₊ + 2) for a positive and 1/(N₋ + 2) for a negative (a soft label mixes them), which
 * keeps the fit finite on separable scores. Each event takes one step of an online Newton method on
 * the log loss of that target: the gradient (σ(a z + c) − t)·(z, 1) is multiplied by the inverse of
 * the accumulated Fisher information Σ σ(1−σ)·(z, 1)(z, 1)ᵀ (plus a prior on the diagonal, with
 * forgetting `memory`), clipped to `maxStep`. With memory = Infinity this is a recursive
 * maximum-likelihood fit and converges to the true (a, c) at the usual 1/√n rate. Per event O(1), no
 * allocation.
 *
 * Papers: J. Platt, "Probabilistic outputs for support vector machines", 1999; H.-T. Lin, C.-J. Lin,
 * R. Weng, "A note on Platt's probabilistic outputs", 2007 (the targets); C. Gupta, A. Ramdas,
 * "Online Platt scaling with calibeating", ICML 2023.
 *
 * @example
 * const cal = new PlattCalibrator();
 * cal.predict(2);      // σ(2) before learning
 * cal.learnOne(2, 0);  // prequential: predict first, then learn
 */
export class PlattCalibrator implements Calibrator {
  readonly learningRate: number;
  readonly memory: number;
  readonly prior: number;
  readonly maxStep: number;
  private readonly decay: number;
  private aV = 1;
  private cV = 0;
  private haa: number;
  private hac = 0;
  private hcc: number;
  private nPos = 0;
  private nNeg = 0;

  /** @param options - see {@link PlattCalibratorOptions}; throws {@link KernelError} on values that cannot work */
  constructor(options: PlattCalibratorOptions = {}) {
    this.learningRate = options.learningRate ?? 1;
    this.memory = options.memory ?? 10_000;
    this.prior = options.prior ?? 10;
    this.maxStep = options.maxStep ?? 1;
    if (!(this.learningRate > 0 && this.learningRate <= 1)) {
      throw new KernelError(`Platt learningRate ${this.learningRate} must be in (0, 1] (1 = full Newton step)`);
    }
    if (!(this.memory >= 10)) throw new KernelError(`Platt memory ${this.memory} must be ≥ 10 events (or Infinity)`);
    if (!(this.prior > 0 && Number.isFinite(this.prior))) throw new KernelError(`Platt prior ${this.prior} must be a positive number`);
    if (!(this.maxStep > 0)) throw new KernelError(`Platt maxStep ${this.maxStep} must be positive`);
    this.decay = Number.isFinite(this.memory) ? 1 - 1 / this.memory : 1;
    this.haa = this.prior;
    this.hcc = this.prior;
  }

  /** Current slope a. */
  get a(): number {
    return this.aV;
  }

  /** Current intercept c. */
  get c(): number {
    return this.cV;
  }

  /** σ(a z + c). */
  predict(z: number): number {
    return sigmoid(this.aV * z + this.cV);
  }

  /**
   * One online Newton step toward the smoothed target of y.
   *
   * @param z - the raw score of the event (the same that was passed to `predict`)
   * @param y - its label in [0, 1]
   */
  learnOne(z: number, y: number): void {
    this.nPos += y;
    this.nNeg += 1 - y;
    const t = (y * (this.nPos + 1)) / (this.nPos + 2) + (1 - y) / (this.nNeg + 2);
    const p = sigmoid(this.aV * z + this.cV);
    let w = p * (1 - p);
    if (w < 1e-12) w = 1e-12;
    const d = this.decay;
    this.haa = d * this.haa + w * z * z;
    this.hac = d * this.hac + w * z;
    this.hcc = d * this.hcc + w;
    const r = p - t;
    const ga = r * z;
    const gc = r;
    const det = this.haa * this.hcc - this.hac * this.hac;
    if (!(det > 0) || !Number.isFinite(det)) return; // degenerate curvature: skip the step
    let da = ((this.hcc * ga - this.hac * gc) / det) * this.learningRate;
    let dc = ((this.haa * gc - this.hac * ga) / det) * this.learningRate;
    const norm = Math.sqrt(da * da + dc * dc);
    if (norm > this.maxStep) {
      da *= this.maxStep / norm;
      dc *= this.maxStep / norm;
    }
    if (Number.isFinite(da) && Number.isFinite(dc)) {
      this.aV -= da;
      this.cV -= dc;
    }
  }

  /** (a, c), the curvature and the class counts. */
  /** Averages (a, c), the accumulated Hessian and the class counts with the given weights. */
  mix(self: number, others: readonly NamedState[], weights: readonly number[]): void {
    const f = mixFractions('PlattCalibrator', self, others, weights);
    const keys = ['a', 'c', 'haa', 'hac', 'hcc', 'nPos', 'nNeg'] as const;
    const mixed = keys.map((k) => (this.toState()[k] as number) * f[0]);
    for (let j = 0; j < others.length; j++) {
      if (others[j]['kind'] !== 'platt') {
        throw new KernelError(`PlattCalibrator.mix got a state of kind '${String(others[j]['kind'])}'; pass PlattCalibrator.toState() output`);
      }
      keys.forEach((k, q) => {
        const v = others[j][k];
        if (typeof v !== 'number') throw new KernelError(`PlattCalibrator.mix: state field '${k}' must be a number; pass PlattCalibrator.toState() output`);
        mixed[q] += v * f[j + 1];
      });
    }
    this.fromState({ kind: 'platt', a: mixed[0], c: mixed[1], haa: mixed[2], hac: mixed[3], hcc: mixed[4], nPos: mixed[5], nNeg: mixed[6] });
  }

  toState(): NamedState {
    return { kind: 'platt', a: this.aV, c: this.cV, haa: this.haa, hac: this.hac, hcc: this.hcc, nPos: this.nPos, nNeg: this.nNeg };
  }

  /** Restores a state from {@link PlattCalibrator.toState}; the next outputs are identical. */
  fromState(state: NamedState): void {
    if (state['kind'] !== 'platt') {
      throw new KernelError(`state of kind '${String(state['kind'])}' is not a Platt calibrator state; pass PlattCalibrator.toState() output`);
    }
    this.aV = state['a'] as number;
    this.cV = state['c'] as number;
    this.haa = state['haa'] as number;
    this.hac = state['hac'] as number;
    this.hcc = state['hcc'] as number;
    this.nPos = state['nPos'] as number;
    this.nNeg = state['nNeg'] as number;
  }
}
