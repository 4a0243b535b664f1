import { shuffleInPlace, type Rng } from '@logit-stream/kernel';
import { EvaluationError } from './evaluation-error.js';

/**
 * Chooses a uniformly random subset of exactly `round(fraction · n)` of the positions 0..n−1: the
 * audited ("trusted") events whose clean label is known. Deterministic for a given generator state.
 *
 * @param n - number of events
 * @param fraction - share of events to mark, in [0, 1]
 * @param rng - the random source
 * @returns a mask: `mask[i] === 1` when event i is trusted
 * @example
 * const mask = selectTrusted(100, 0.05, new Rng(3)); // exactly 5 ones
 */
export function selectTrusted(n: number, fraction: number, rng: Rng): Uint8Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new EvaluationError(`selectTrusted: n = ${n} must be an integer >= 0`);
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new EvaluationError(`trusted fraction ${fraction} is not allowed: use a number in [0, 1]`);
  }
  const k = Math.round(fraction * n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, rng);
  const mask = new Uint8Array(n);
  for (let j = 0; j < k; j++) mask[order[j]] = 1;
  return mask;
}
