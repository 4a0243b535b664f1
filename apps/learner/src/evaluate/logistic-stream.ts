import { Rng, sigmoid } from '@logit-stream/kernel';
import { EvaluationError } from './evaluation-error.js';

/** Settings of {@link LogisticStream}. */
export interface LogisticStreamOptions {
  /** Number of features d (default 10). */
  readonly dim?: number;
  /** Standard deviation of the true score w·x + b over the stream, before the bias (default 2). */
  readonly scoreScale?: number;
  /** True bias b (default −0.5: about 40 % positives). */
  readonly bias?: number;
  /** Seed of the generator's Rng (default 1). */
  readonly seed?: number;
}

/**
 * A stationary stream on which logistic regression is the true model, so a calibrated learner can
 * reach ECE ≈ 0: features x_i ~ N(0, 1), true weights w_i ~ N(0, 1) · scoreScale / ‖w‖ (drawn once),
 * label y ~ Bernoulli(σ(w·x + b)). `lastP` holds the true P(y = 1 | x) of the last event.
 *
 * @example
 * const s = new LogisticStream({ dim: 5, seed: 2 });
 * const x = new Float64Array(s.dim);
 * const y = s.nextInto(x); // 0 or 1, drawn with probability s.lastP of being 1
 */
export class LogisticStream {
  readonly dim: number;
  readonly featureNames: readonly string[];
  readonly bias: number;
  /** The true weights. */
  readonly weights: Float64Array;
  /** True P(y = 1 | x) of the last event drawn. */
  lastP = NaN;
  private readonly rng: Rng;

  constructor(o: LogisticStreamOptions = {}) {
    this.dim = o.dim ?? 10;
    if (!(Number.isInteger(this.dim) && this.dim >= 1)) {
      throw new EvaluationError(`logistic stream dim ${this.dim} must be an integer >= 1`);
    }
    const scale = o.scoreScale ?? 2;
    if (!(scale >= 0 && Number.isFinite(scale))) throw new EvaluationError(`logistic stream scoreScale ${scale} must be finite and >= 0`);
    this.bias = o.bias ?? -0.5;
    this.rng = new Rng(o.seed ?? 1);
    this.featureNames = Array.from({ length: this.dim }, (_, i) => `x${i + 1}`);
    this.weights = new Float64Array(this.dim);
    let norm = 0;
    for (let i = 0; i < this.dim; i++) {
      const w = this.rng.gaussian();
      this.weights[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < this.dim; i++) this.weights[i] *= norm > 0 ? scale / norm : 0;
  }

  /** Writes the next features into `x[0..dim)` and returns the label, 0 or 1. */
  nextInto(x: Float64Array): number {
    const rng = this.rng;
    const w = this.weights;
    let z = this.bias;
    for (let i = 0; i < this.dim; i++) {
      const v = rng.gaussian();
      x[i] = v;
      z += w[i] * v;
    }
    const p = sigmoid(z);
    this.lastP = p;
    return rng.next() < p ? 1 : 0;
  }
}
