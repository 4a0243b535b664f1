import { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';
import type { LinearOptimizer } from './base.js';

/**
 * @internal Test helper: a deterministic stream of sparse events with distinct indices (a small LCG, no
 * dependency on random/), and labels from a fixed hidden linear rule, for optimiser tests.
 */
export function makeStream(count: number, dim: number, nnz: number, seed: number): { xs: SparseVector[]; ys: number[] } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const xs: SparseVector[] = [];
  const ys: number[] = [];
  for (let t = 0; t < count; t++) {
    const x = new SparseVector(nnz);
    const used = new Set<number>();
    let margin = 0;
    while (x.nnz < nnz) {
      const i = Math.floor(next() * dim);
      if (used.has(i)) continue;
      used.add(i);
      const v = next() * 2 - 1;
      x.push(i, v);
      margin += (i % 3 === 0 ? 1.5 : i % 3 === 1 ? -1 : 0.25) * v;
    }
    ys.push(next() < 1 / (1 + Math.exp(-margin)) ? 1 : 0);
    xs.push(x);
  }
  return { xs, ys };
}

/**
 * @internal Test helper: a vector that always reports `isDense` false, so that the optimisers take their indexed
 * loop (`w[idx[k]]`) on the very same pairs that a dense-order vector sends through the dense loop (`w[k]`).
 */
export class IndexedOnlyVector extends SparseVector {
  override get isDense(): boolean {
    return false;
  }
}

/**
 * @internal Test helper: a stream of events in dense order, each with pairs (0, v_0), …, (m − 1, v_{m−1}) where
 * m = dim, or a random m in [1, dim] with `prefixes` (a row with trailing columns missing), values ~ U(−2, 2); the
 * same events as {@link IndexedOnlyVector}s in `ixs`; labels from a fixed hidden linear rule.
 */
export function makeDenseStream(
  count: number,
  dim: number,
  seed: number,
  prefixes = false,
): { xs: SparseVector[]; ixs: IndexedOnlyVector[]; ys: number[] } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const xs: SparseVector[] = [];
  const ixs: IndexedOnlyVector[] = [];
  const ys: number[] = [];
  for (let t = 0; t < count; t++) {
    const m = prefixes ? 1 + Math.floor(next() * dim) : dim;
    const x = new SparseVector(dim);
    const ix = new IndexedOnlyVector(dim);
    let margin = 0;
    for (let i = 0; i < m; i++) {
      const v = next() * 4 - 2;
      x.push(i, v);
      ix.push(i, v);
      margin += (i % 3 === 0 ? 1.5 : i % 3 === 1 ? -1 : 0.25) * v;
    }
    ys.push(next() < 1 / (1 + Math.exp(-margin)) ? 1 : 0);
    xs.push(x);
    ixs.push(ix);
  }
  return { xs, ixs, ys };
}

/** @internal What {@link runDenseAndIndexed} records of one optimiser: every score, then the final model and state. */
export interface PathRun {
  readonly scores: number[];
  readonly weights: number[];
  readonly bias: number;
  readonly state: NamedState;
}

/**
 * @internal Test helper: trains two fresh optimisers from `make` on the same dense-order stream (log-loss gradient
 * σ(z) − y, the rate multiplier set to 0.5 halfway), one on the dense-order vectors, one on their
 * {@link IndexedOnlyVector} copies; `densePath` says whether every dense event reported isDense (and no copy did).
 */
export function runDenseAndIndexed(
  make: () => LinearOptimizer,
  count: number,
  dim: number,
  seed: number,
  prefixes = false,
): { dense: PathRun; indexed: PathRun; densePath: boolean } {
  const { xs, ixs, ys } = makeDenseStream(count, dim, seed, prefixes);
  let densePath = true;
  for (let t = 0; t < count; t++) densePath = densePath && xs[t].isDense && !ixs[t].isDense;
  const run = (events: SparseVector[]): PathRun => {
    const o = make();
    const scores: number[] = [];
    for (let t = 0; t < count; t++) {
      if (t === count >> 1) o.setRateMultiplier(0.5);
      const z = o.score(events[t]);
      scores.push(z);
      o.step(events[t], 1 / (1 + Math.exp(-z)) - ys[t]);
    }
    const weights: number[] = [];
    for (let i = 0; i < o.dim; i++) weights.push(o.weight(i));
    return { scores, weights, bias: o.bias(), state: o.toState() };
  };
  return { dense: run(xs), indexed: run(ixs), densePath };
}
