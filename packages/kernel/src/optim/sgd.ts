import type { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { LinearOptimizer } from './base.js';
import { checkDim, checkKind, checkNonNegative, checkPositive, mixArrayInto, mixFractions, stateArray, stateNumber } from './options.js';

/** Settings of {@link Sgd}. */
export interface SgdOptions {
  /** Number of weight slots. */
  readonly dim: number;
  /** η (constant) or η0 (invscaling). */
  readonly learningRate: number;
  /** `'constant'` (η_t = η) or `'invscaling'` (η_t = η0 / t^powerT, t = 1 at the first step). Default constant. */
  readonly schedule?: 'constant' | 'invscaling';
  /** Exponent of the invscaling schedule (default 0.5). */
  readonly powerT?: number;
  /** L2 strength λ of the penalty (λ/2)‖w‖² (scikit-learn's alpha); the bias is never regularised. Default 0. */
  readonly l2?: number;
}

/** Below this the weight scale is folded into the weights (scikit-learn's WeightVector does the same). */
const WSCALE_THRESHOLD = 1e-9;

/**
 * Plain stochastic gradient descent on a linear model, exactly scikit-learn's `SGDClassifier` update
 * (`_plain_sgd` on dense input, intercept decay 1): for an event with ∂L/∂z = g and rate η_t,
 * w ← (1 − η_t λ)·w − η_t g x and b ← b − η_t g. The L2 shrinkage uses scikit-learn's "wscale" trick:
 * w is stored as v·s, shrinking multiplies the scalar s and the gradient adds x·(−η_t g / s) to v, so a step
 * costs O(nnz) however large dim is (s is folded back into v, O(dim), whenever it drops below 1e-9).
 * The schedule counts t as scikit-learn does: t = 1 at the first step, +1 per step (η_1 = η0).
 *
 * @example
 * const opt = new Sgd({ dim: 2, learningRate: 0.1 });
 * const x = new SparseVector(2);
 * x.push(0, 1);
 * opt.step(x, -1); // ∂L/∂z = −1
 * opt.weight(0);   // 0.1
 * opt.bias();      // 0.1
 */
export class Sgd implements LinearOptimizer {
  readonly dim: number;
  readonly learningRate: number;
  readonly schedule: 'constant' | 'invscaling';
  readonly powerT: number;
  readonly l2: number;
  private readonly w: Float64Array;
  private wscale = 1;
  private b = 0;
  private t = 1;
  private n = 0;
  private multiplier = 1;

  constructor(o: SgdOptions) {
    checkDim('Sgd', o.dim);
    checkPositive('Sgd', 'learningRate', o.learningRate);
    const powerT = o.powerT ?? 0.5;
    checkNonNegative('Sgd', 'powerT', powerT);
    const l2 = o.l2 ?? 0;
    checkNonNegative('Sgd', 'l2', l2);
    const schedule = o.schedule ?? 'constant';
    if (schedule !== 'constant' && schedule !== 'invscaling') {
      throw new KernelError(`Sgd schedule = '${String(schedule)}' must be 'constant' or 'invscaling'`);
    }
    this.dim = o.dim;
    this.learningRate = o.learningRate;
    this.schedule = schedule;
    this.powerT = powerT;
    this.l2 = l2;
    this.w = new Float64Array(o.dim);
  }

  /** Number of steps applied so far. */
  get updates(): number {
    return this.n;
  }

  /** The learning rate η_t that the next step will use (schedule × multiplier). */
  currentRate(): number {
    const eta = this.schedule === 'constant' ? this.learningRate : this.learningRate / Math.pow(this.t, this.powerT);
    return eta * this.multiplier;
  }

  score(x: SparseVector): number {
    const w = this.w;
    const val = x.val;
    const nnz = x.nnz;
    let dot = 0;
    if (x.isDense && nnz <= w.length) {
      for (let k = 0; k < nnz; k++) dot += w[k] * val[k]; // dense order: idx[k] = k, same sums
    } else {
      const idx = x.idx;
      for (let k = 0; k < nnz; k++) dot += w[idx[k]] * val[k];
    }
    return dot * this.wscale + this.b;
  }

  step(x: SparseVector, g: number): void {
    const eta = this.currentRate();
    if (this.l2 > 0) {
      const c = 1 - eta * this.l2;
      this.wscale *= c > 0 ? c : 0;
      if (this.wscale < WSCALE_THRESHOLD) this.foldScale();
    }
    const update = -eta * g;
    if (update !== 0) {
      const w = this.w;
      const nnz = x.nnz;
      const u = update / this.wscale;
      if (x.isDense && nnz <= w.length) addScaledDense(w, x.val, nnz, u);
      else addScaledIndexed(w, x.idx, x.val, nnz, u);
      this.b += update;
    }
    this.t += 1;
    this.n += 1;
  }

  setRateMultiplier(factor: number): void {
    checkNonNegative('Sgd', 'rate multiplier', factor);
    this.multiplier = factor;
  }

  resetSchedule(): void {
    this.t = 1;
  }

  bias(): number {
    return this.b;
  }

  weight(i: number): number {
    return this.w[i] * this.wscale;
  }

  toState(share = false): NamedState {
    return {
      kind: 'sgd',
      w: share ? this.w : this.w.slice(),
      wscale: this.wscale,
      bias: this.b,
      t: this.t,
      updates: this.n,
      rateMultiplier: this.multiplier,
    };
  }

  fromState(state: NamedState): void {
    checkKind('Sgd', state, 'sgd');
    const w = stateArray('Sgd', state, 'w', this.dim);
    const wscale = stateNumber('Sgd', state, 'wscale');
    const bias = stateNumber('Sgd', state, 'bias');
    const t = stateNumber('Sgd', state, 't');
    const updates = stateNumber('Sgd', state, 'updates');
    const multiplier = stateNumber('Sgd', state, 'rateMultiplier');
    this.w.set(w);
    this.wscale = wscale;
    this.b = bias;
    this.t = t;
    this.n = updates;
    this.multiplier = multiplier;
  }

  /**
   * See {@link LinearOptimizer.mix}: averages the effective weights w·wscale (afterwards wscale = 1)
   * and the bias; the schedule's t advances by the change of `updates`, so that invscaling decays with
   * the events the mixed model stands for.
   */
  mix(self: number, others: readonly NamedState[], weights: readonly number[], updates: number): void {
    checkNonNegative('Sgd', 'mix updates', updates);
    const f = mixFractions('Sgd', self, others, weights);
    const ws: Float64Array[] = [];
    const scales: number[] = [];
    let b = this.b * f[0];
    for (let k = 0; k < others.length; k++) {
      checkKind('Sgd', others[k], 'sgd');
      ws.push(stateArray('Sgd', others[k], 'w', this.dim));
      scales.push(stateNumber('Sgd', others[k], 'wscale') * f[k + 1]);
      b += stateNumber('Sgd', others[k], 'bias') * f[k + 1];
    }
    mixArrayInto(this.w, this.wscale * f[0], ws, scales);
    this.wscale = 1;
    this.b = b;
    this.t = Math.max(1, this.t + updates - this.n);
    this.n = updates;
  }

  private foldScale(): void {
    const w = this.w;
    const s = this.wscale;
    for (let i = 0; i < w.length; i++) w[i] *= s;
    this.wscale = 1;
  }
}

/** w[idx[k]] += val[k] · u for k < nnz: the gradient step of {@link Sgd.step}. */
function addScaledIndexed(w: Float64Array, idx: Readonly<Int32Array>, val: Float64Array, nnz: number, u: number): void {
  for (let k = 0; k < nnz; k++) w[idx[k]] += val[k] * u;
}

/** {@link addScaledIndexed} for a vector in dense order (idx[k] = k, nnz ≤ w.length): the same arithmetic. */
function addScaledDense(w: Float64Array, val: Float64Array, nnz: number, u: number): void {
  for (let k = 0; k < nnz; k++) w[k] += val[k] * u;
}
