import { existsSync, readFileSync } from 'node:fs';
import { CsvLayout, DecodedEvent, parseCsvRow } from '@logit-stream/core';
import { ExperimentError } from '../errors.js';
import type { Dataset } from './dataset.js';

/**
 * Loads a CSV file of the shared data sets with core's `CsvLayout` / `parseCsvRow` (the same parser
 * as `logit replay`) into a dense {@link Dataset}.
 *
 * @param path the CSV file (header row, numeric features, a `label` column)
 * @param name the data set's name in the report
 * @throws ExperimentError if the file is missing or a row is rejected
 * @example
 * loadCsvDataset('../shared/data/pima_diabetes.csv', 'pima').rows; // 768
 */
export function loadCsvDataset(path: string, name: string): Dataset {
  if (!existsSync(path)) {
    throw new ExperimentError(
      `data file ${path} is missing: the experiments need the shared data sets (../shared/data, see its README); run from the repository root or pass --data-dir DIR`,
    );
  }
  const lines = readFileSync(path, 'utf8').split('\n');
  const layout = CsvLayout.fromHeader(lines[0] ?? '');
  const d = layout.dim;
  const ev = new DecodedEvent(d);
  const X: number[] = [];
  const y: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const rej = parseCsvRow(line, layout, ev, i);
    if (rej !== null) throw new ExperimentError(`${path}: ${rej.reason}; fix the file or use another data set`);
    if (ev.label === null) throw new ExperimentError(`${path} row ${i}: no label; the experiments need labelled rows`);
    const base = X.length;
    for (let j = 0; j < d; j++) X.push(0);
    for (let k = 0; k < ev.x.nnz; k++) X[base + ev.x.idx[k]] = ev.x.val[k];
    y.push(ev.label);
  }
  return { name, dim: d, rows: y.length, X: Float64Array.from(X), y: Float64Array.from(y) };
}
