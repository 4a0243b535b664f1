import { Rng, shuffleInPlace } from '@logit-stream/kernel';

/**
 * A seeded shuffle of 0..n−1 split into a training part and a held-out part.
 *
 * @param n rows
 * @param testFraction share held out, in (0, 1)
 * @param seed seed of the shuffle (kernel `Rng`, `shuffleInPlace`)
 * @example
 * trainTestSplit(10, 0.3, 1).test.length; // 3
 */
export function trainTestSplit(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, new Rng(seed));
  const nTest = Math.round(n * testFraction);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}

/**
 * A seeded permutation of `rows` (a new array), for one pass of a multi-pass stream.
 *
 * @param rows the row indices
 * @param rng the generator (advanced)
 * @example
 * shuffled(Int32Array.from([0, 1, 2]), new Rng(1)).length; // 3
 */
export function shuffled(rows: Int32Array, rng: Rng): Int32Array {
  return shuffleInPlace(rows.slice(), rng);
}
