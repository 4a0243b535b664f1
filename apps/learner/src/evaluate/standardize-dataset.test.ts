import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { standardizeDataset } from './standardize-dataset.js';

describe('standardizeDataset', () => {
  it('scales every row with the mean and population sd of the fit rows only (z-score formula, 1e-12)', () => {
    // Column 0: fit rows 0..3 hold 1, 2, 3, 4 (mean 2.5); row 4 holds 100 and must not move the statistics.
    const X = Float64Array.from([1, 10, 2, 10, 3, 20, 4, 20, 100, -5]);
    const ds: Dataset = { name: 't', columns: ['a', 'b'], rows: 5, dim: 2, X, y: Uint8Array.from([0, 1, 0, 1, 1]) };
    const s = standardizeDataset(ds, Int32Array.from([0, 1, 2, 3]));
    const fitCol = (j: number): number[] => [0, 1, 2, 3].map((r) => X[r * 2 + j]);
    for (let j = 0; j < 2; j++) {
      const v = fitCol(j);
      const m = v.reduce((a, b) => a + b, 0) / 4;
      const sdPop = Math.sqrt(v.reduce((a, b) => a + (b - m) * (b - m), 0) / 4); // the kernel scaler divides by n
      for (let r = 0; r < 5; r++) expect(Math.abs(s.X[r * 2 + j] - (X[r * 2 + j] - m) / sdPop)).toBeLessThan(1e-12);
    }
    expect(Array.from(ds.X)).toEqual(Array.from(X)); // input untouched
  });
});
