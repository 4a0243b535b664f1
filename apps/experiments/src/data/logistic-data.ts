import { Rng, sigmoid } from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';

/** Options of {@link logisticData}. */
export interface LogisticDataOptions {
  readonly n: number;
  readonly d: number;
  /** ‖w*‖: larger means easier, more confident classes (default 3). */
  readonly scale?: number;
  /** The bias b* (default 0). */
  readonly bias?: number;
  /** 'bernoulli' (default): y ~ Bernoulli(σ(w*·x + b*)); 'soft': y = σ(w*·x + b*) itself. */
  readonly labels?: 'bernoulli' | 'soft';
  readonly seed: number;
}

/**
 * Data from a known logistic model: x ~ N(0, I_d), w* a random direction of norm `scale`,
 * P(y = 1 | x) = σ(w*·x + b*) kept in `pTrue`; the labels are Bernoulli draws or the soft
 * probabilities themselves. The model is well specified for logistic regression.
 *
 * @param o options
 * @example
 * logisticData({ n: 10, d: 3, seed: 1 }).pTrue?.length; // 10
 */
export function logisticData(o: LogisticDataOptions): Dataset {
  const rng = new Rng(o.seed);
  const d = o.d;
  const w = new Float64Array(d);
  let s = 0;
  for (let j = 0; j < d; j++) {
    w[j] = rng.gaussian();
    s += w[j] * w[j];
  }
  const scale = (o.scale ?? 3) / Math.sqrt(s);
  for (let j = 0; j < d; j++) w[j] *= scale;
  const X = new Float64Array(o.n * d);
  const y = new Float64Array(o.n);
  const pTrue = new Float64Array(o.n);
  for (let i = 0; i < o.n; i++) {
    let z = o.bias ?? 0;
    for (let j = 0; j < d; j++) {
      const v = rng.gaussian();
      X[i * d + j] = v;
      z += w[j] * v;
    }
    const p = sigmoid(z);
    pTrue[i] = p;
    y[i] = o.labels === 'soft' ? p : rng.next() < p ? 1 : 0;
  }
  return { name: o.labels === 'soft' ? 'logistic-soft' : 'logistic', dim: d, rows: o.n, X, y, pTrue };
}
