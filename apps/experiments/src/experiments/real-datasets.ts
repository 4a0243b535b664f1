import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { loadCsvDataset } from '../data/load-csv-dataset.js';

/** A shared data set and the passes the experiments make over its training part. */
export interface RealDatasetSpec {
  readonly name: string;
  readonly file: string;
  readonly passes: number;
}

/** The three shared data sets (../shared/data) with the passes used by the full run. */
export const REAL_DATASETS: readonly RealDatasetSpec[] = [
  { name: 'wdbc', file: 'breast_cancer_wdbc.csv', passes: 20 },
  { name: 'pima', file: 'pima_diabetes.csv', passes: 10 },
  { name: 'spambase', file: 'spambase.csv', passes: 5 },
];

const cache = new Map<string, Dataset>();

/**
 * Loads a shared data set once per process (core's CSV parser), by its spec.
 *
 * @param spec which file
 * @param dataDir the data folder (default ../shared/data)
 * @example
 * loadRealDataset(REAL_DATASETS[0]).rows; // 569
 */
export function loadRealDataset(spec: RealDatasetSpec, dataDir = '../shared/data'): Dataset {
  const path = join(dataDir, spec.file);
  let ds = cache.get(path);
  if (ds === undefined) {
    ds = loadCsvDataset(path, spec.name);
    cache.set(path, ds);
  }
  return ds;
}
