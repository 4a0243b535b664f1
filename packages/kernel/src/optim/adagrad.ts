import type { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';
import type { LinearOptimizer } from './base.js';
import { checkDim, checkKind, checkNonNegative, checkPositive, mixArrayInto, mixFractions, stateArray, stateNumber } from './options.js';

/** Settings of {@link AdaGrad}. */
export interface AdaGradOptions {
  /** Number of weight slots. */
  readonly dim: number;
  /** The base rate η. */
  readonly learningRate: number;
  /** L2 strength λ: adds λ·w_i to the gradient of each coordinate the event touches (as River does). Default 0. */
  readonly l2?: number;
  /** ε in the denominator √G_i + ε (default 1e-8). */
  readonly epsilon?: number;
}

/**
 * AdaGrad (Duchi, Hazan & Singer, 2011, diagonal form) on a linear model: per coordinate with gradient
 * g_i = g·x_i + λ w_i, G_i += g_i² and w_i −= η g_i / (√G_i + ε). The bias has its own accumulator and no
 * L2 term. L2 is applied to the coordinates an event touches only (O(nnz) per step).
 *
 * @example
 * const opt = new AdaGrad({ dim: 2, learningRate: 0.5 });
 * const x = new SparseVector(1);
 * x.push(1, 2);
 * opt.step(x, 0.25); // g_1 = 0.5, G_1 = 0.25
 * opt.weight(1);     // −0.5 · 0.5 / (0.5 + 1e-8) ≈ −0.5
 */
export class AdaGrad implements LinearOptimizer {
  readonly dim: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly epsilon: number;
  private readonly w: Float64Array;
  private readonly g2: Float64Array;
  private b = 0;
  private bg2 = 0;
  private n = 0;
  private multiplier = 1;

  constructor(o: AdaGradOptions) {
    checkDim('AdaGrad', o.dim);
    checkPositive('AdaGrad', 'learningRate', o.learningRate);
    const l2 = o.l2 ?? 0;
    checkNonNegative('AdaGrad', 'l2', l2);
    const epsilon = o.epsilon ?? 1e-8;
    checkPositive('AdaGrad', 'epsilon', epsilon);
    this.dim = o.dim;
    this.learningRate = o.learningRate;
    this.l2 = l2;
    this.epsilon = epsilon;
    this.w = new Float64Array(o.dim);
    this.g2 = new Float64Array(o.dim);
  }

  /** Number of steps applied so far. */
  get updates(): number {
    return this.n;
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
    return dot + this.b;
  }

  step(x: SparseVector, g: number): void {
    const eta = this.learningRate * this.multiplier;
    const eps = this.epsilon;
    const nnz = x.nnz;
    if (x.isDense && nnz <= this.w.length) this.denseCoordinates(x.val, nnz, g, eta);
    else this.indexedCoordinates(x.idx, x.val, nnz, g, eta);
    const G = this.bg2 + g * g;
    this.bg2 = G;
    this.b -= (eta * g) / (Math.sqrt(G) + eps);
    this.n += 1;
  }

  /** The per-coordinate update of `step` for the pairs (idx[k], val[k]) with rate η. */
  private indexedCoordinates(idx: Readonly<Int32Array>, val: Float64Array, nnz: number, g: number, eta: number): void {
    const eps = this.epsilon;
    const l2 = this.l2;
    const w = this.w;
    const g2 = this.g2;
    for (let k = 0; k < nnz; k++) {
      const i = idx[k];
      const gi = g * val[k] + l2 * w[i];
      const G = g2[i] + gi * gi;
      g2[i] = G;
      w[i] -= (eta * gi) / (Math.sqrt(G) + eps);
    }
  }

  /** {@link AdaGrad.indexedCoordinates} for a vector in dense order (idx[k] = k, nnz ≤ dim): the same arithmetic with i = k. */
  private denseCoordinates(val: Float64Array, nnz: number, g: number, eta: number): void {
    const eps = this.epsilon;
    const l2 = this.l2;
    const w = this.w;
    const g2 = this.g2;
    for (let k = 0; k < nnz; k++) {
      const gi = g * val[k] + l2 * w[k];
      const G = g2[k] + gi * gi;
      g2[k] = G;
      w[k] -= (eta * gi) / (Math.sqrt(G) + eps);
    }
  }

  setRateMultiplier(factor: number): void {
    checkNonNegative('AdaGrad', 'rate multiplier', factor);
    this.multiplier = factor;
  }

  /** Clears the squared-gradient accumulators (O(dim)), so per-coordinate rates start again at η/(|g|+ε). */
  resetSchedule(): void {
    this.g2.fill(0);
    this.bg2 = 0;
  }

  bias(): number {
    return this.b;
  }

  weight(i: number): number {
    return this.w[i];
  }

  toState(share = false): NamedState {
    return {
      kind: 'adagrad',
      w: share ? this.w : this.w.slice(),
      g2: share ? this.g2 : this.g2.slice(),
      bias: this.b,
      biasG2: this.bg2,
      updates: this.n,
      rateMultiplier: this.multiplier,
    };
  }

  fromState(state: NamedState): void {
    checkKind('AdaGrad', state, 'adagrad');
    const w = stateArray('AdaGrad', state, 'w', this.dim);
    const g2 = stateArray('AdaGrad', state, 'g2', this.dim);
    const bias = stateNumber('AdaGrad', state, 'bias');
    const bg2 = stateNumber('AdaGrad', state, 'biasG2');
    const updates = stateNumber('AdaGrad', state, 'updates');
    const multiplier = stateNumber('AdaGrad', state, 'rateMultiplier');
    this.w.set(w);
    this.g2.set(g2);
    this.b = bias;
    this.bg2 = bg2;
    this.n = updates;
    this.multiplier = multiplier;
  }

  /** See {@link LinearOptimizer.mix}: averages w, the squared-gradient sums G, the bias and its G. */
  mix(self: number, others: readonly NamedState[], weights: readonly number[], updates: number): void {
    checkNonNegative('AdaGrad', 'mix updates', updates);
    const f = mixFractions('AdaGrad', self, others, weights);
    const ws: Float64Array[] = [];
    const gs: Float64Array[] = [];
    const c: number[] = [];
    let b = this.b * f[0];
    let bg2 = this.bg2 * f[0];
    for (let k = 0; k < others.length; k++) {
      const o = others[k];
      checkKind('AdaGrad', o, 'adagrad');
      ws.push(stateArray('AdaGrad', o, 'w', this.dim));
      gs.push(stateArray('AdaGrad', o, 'g2', this.dim));
      c.push(f[k + 1]);
      b += stateNumber('AdaGrad', o, 'bias') * f[k + 1];
      bg2 += stateNumber('AdaGrad', o, 'biasG2') * f[k + 1];
    }
    mixArrayInto(this.w, f[0], ws, c);
    mixArrayInto(this.g2, f[0], gs, c);
    this.b = b;
    this.bg2 = bg2;
    this.n = updates;
  }
}
