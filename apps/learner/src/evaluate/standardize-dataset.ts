import { SparseVector, StandardScaler } from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';

/**
 * Standardises every row of a data set with the running mean and variance (the kernel's
 * {@link StandardScaler}) of the `fitRows` only, so held-out rows are scaled with training statistics
 * and never leak into them.
 *
 * @param ds - the data set (not modified)
 * @param fitRows - the rows whose statistics are used (the training split)
 * @returns a copy of `ds` with standardised features
 * @example
 * const scaled = standardizeDataset(ds, split.train);
 */
export function standardizeDataset(ds: Dataset, fitRows: ArrayLike<number>): Dataset {
  const d = ds.dim;
  const scaler = new StandardScaler({ dim: d });
  const x = new SparseVector(d);
  const load = (r: number): void => {
    x.clear();
    for (let j = 0; j < d; j++) x.push(j, ds.X[r * d + j]);
  };
  for (let k = 0; k < fitRows.length; k++) {
    load(fitRows[k]);
    scaler.learnOne(x);
  }
  const X = new Float64Array(ds.X.length);
  for (let r = 0; r < ds.rows; r++) {
    load(r);
    scaler.transformInPlace(x);
    for (let k = 0; k < x.nnz; k++) X[r * d + x.idx[k]] = x.val[k];
  }
  return { ...ds, X };
}
