import { Rng } from '@logit-stream/kernel';
import { checkInt, checkRange } from './check-options.js';
import type { StreamGenerator } from './stream-generator.js';

/** Settings of {@link HyperplaneGenerator}; defaults are MOA's. */
export interface HyperplaneOptions {
  /** Number of features d (default 10). */
  readonly dim?: number;
  /** Number k of leading weights that drift (default 2). */
  readonly driftFeatures?: number;
  /** Magnitude t of each weight's move per event (default 0: no drift). */
  readonly magnitude?: number;
  /** Probability that a drifting weight's direction σ_i flips after an event (default 0.1). */
  readonly sigmaFlip?: number;
  /** Probability of flipping each label (default 0.05). */
  readonly noise?: number;
  /** Seed of the generator's own Rng (default 1). */
  readonly seed?: number;
}

/**
 * The rotating hyperplane stream (Hulten, Spencer & Domingos, "Mining time-changing data streams",
 * KDD 2001; MOA's HyperplaneGenerator): d features uniform in [0, 1), weights w_i uniform in [0, 1);
 * label 1 if Σ w_i x_i ≥ 0.5 Σ w_i, else 0; labels flipped with probability `noise`. After each
 * event the first k weights move by σ_i · t and each σ_i ∈ {−1, +1} flips with probability `sigmaFlip`.
 *
 * @example
 * const h = new HyperplaneGenerator({ magnitude: 0.001, seed: 3 });
 * const x = new Float64Array(h.dim);
 * h.nextInto(x); // 0 or 1; h.weights[0] has moved by ±0.001
 */
export class HyperplaneGenerator implements StreamGenerator {
  readonly dim: number;
  readonly featureNames: readonly string[];
  readonly driftFeatures: number;
  readonly magnitude: number;
  readonly sigmaFlip: number;
  readonly noise: number;
  /** Current weights w (read-only view for inspection). */
  readonly weights: Float64Array;
  /** Current drift directions σ_i of the first k weights (±1). */
  readonly sigma: Float64Array;
  private readonly rng: Rng;

  constructor(o: HyperplaneOptions = {}) {
    this.dim = o.dim ?? 10;
    checkInt('hyperplane dim', this.dim, 1, 1_000_000);
    this.driftFeatures = o.driftFeatures ?? 2;
    checkInt('hyperplane driftFeatures', this.driftFeatures, 0, this.dim);
    this.magnitude = o.magnitude ?? 0;
    checkRange('hyperplane magnitude', this.magnitude, 0, 1);
    this.sigmaFlip = o.sigmaFlip ?? 0.1;
    checkRange('hyperplane sigmaFlip', this.sigmaFlip, 0, 1);
    this.noise = o.noise ?? 0.05;
    checkRange('hyperplane noise', this.noise, 0, 1);
    this.rng = new Rng(o.seed ?? 1);
    this.featureNames = Array.from({ length: this.dim }, (_, i) => `x${i + 1}`);
    this.weights = new Float64Array(this.dim);
    this.sigma = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) {
      this.weights[i] = this.rng.next();
      this.sigma[i] = i < this.driftFeatures ? 1 : 0;
    }
  }

  nextInto(x: Float64Array): number {
    const rng = this.rng;
    const w = this.weights;
    let sum = 0;
    let sumW = 0;
    for (let i = 0; i < this.dim; i++) {
      const v = rng.next();
      x[i] = v;
      sum += w[i] * v;
      sumW += w[i];
    }
    let y = sum >= 0.5 * sumW ? 1 : 0;
    if (this.noise > 0 && rng.next() < this.noise) y = 1 - y;
    if (this.magnitude > 0) {
      const s = this.sigma;
      for (let i = 0; i < this.driftFeatures; i++) {
        w[i] += s[i] * this.magnitude;
        if (rng.next() < this.sigmaFlip) s[i] = -s[i];
      }
    }
    return y;
  }
}
