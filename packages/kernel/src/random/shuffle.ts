import type { Rng } from './rng.js';

/** Anything indexable and writable with a length: plain arrays and typed arrays. */
export interface MutableArrayLike<T> {
  length: number;
  [index: number]: T;
}

/**
 * Shuffles `a` in place with the Fisher–Yates (Durstenfeld) algorithm: every permutation is equally
 * likely given a uniform `rng`. Deterministic for a given generator state.
 *
 * @param a - the array (or typed array) to permute
 * @param rng - the random source; advanced by `a.length − 1` draws
 * @returns `a` itself
 * @example
 * shuffleInPlace([1, 2, 3, 4], new Rng(7)) // a permutation of 1..4, the same one every time
 */
export function shuffleInPlace<A extends MutableArrayLike<unknown>>(a: A, rng: Rng): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
