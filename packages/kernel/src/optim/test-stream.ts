import { SparseVector } from '../features/sparse-vector.js';

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
