import { shuffleInPlace, type Rng } from '@logit-stream/kernel';
import { EvaluationError } from './evaluation-error.js';

/** Row indices of a train / held-out split, each in shuffled order. */
export interface TrainTestSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Shuffles the rows 0..n−1 (Fisher–Yates with `rng`) and cuts the permutation: the first
 * `round(testFraction · n)` rows are held out, the rest are for training, both in shuffled order
 * (so the training stream is i.i.d. even when the file is sorted by class, as spambase.csv is).
 *
 * @param n - number of rows
 * @param testFraction - share held out, in [0, 1)
 * @param rng - the random source
 * @example
 * const { train, test } = trainTestSplit(10, 0.3, new Rng(0)); // 7 and 3 distinct row indices
 */
export function trainTestSplit(n: number, testFraction: number, rng: Rng): TrainTestSplit {
  if (!(Number.isInteger(n) && n >= 2)) throw new EvaluationError(`trainTestSplit: n = ${n} must be an integer >= 2`);
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new EvaluationError(`test fraction ${testFraction} is not allowed: use a number in [0, 1)`);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, rng);
  const nTest = Math.round(testFraction * n);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}
