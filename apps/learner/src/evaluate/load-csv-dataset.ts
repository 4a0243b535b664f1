import { existsSync, readFileSync } from 'node:fs';
import { CsvLayout, DecodedEvent, parseCsvRow } from '@logit-stream/core';
import type { Dataset } from './dataset.js';
import { EvaluationError } from './evaluation-error.js';

/**
 * Reads a numeric CSV file with a header and a 0/1 `label` column (the format of
 * `../shared/data/*.csv`) into memory, with core's {@link CsvLayout} and {@link parseCsvRow}.
 *
 * @param path - the file
 * @param name - the short name used in tables
 * @returns the data set, rows in file order
 * @throws EvaluationError when the file is missing (saying where it was looked for), a row is
 *   rejected, or a label is not 0 or 1
 * @example
 * const wdbc = loadCsvDataset('../shared/data/breast_cancer_wdbc.csv', 'wdbc'); // 569 rows, 30 features
 */
export function loadCsvDataset(path: string, name: string): Dataset {
  if (!existsSync(path)) {
    throw new EvaluationError(
      `data file ${path} is missing: the evaluation needs the shared data sets (see /work/shared/data/README.md); ` +
        'run from the repository root or pass --data-dir DIR',
    );
  }
  const lines = readFileSync(path, 'utf8').split('\n');
  const layout = CsvLayout.fromHeader(lines[0] ?? '');
  const ev = new DecodedEvent(layout.dim);
  const d = layout.dim;
  const X: number[] = [];
  const y: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const rej = parseCsvRow(line, layout, ev, i);
    if (rej !== null) throw new EvaluationError(`${path}: ${rej.reason}`);
    if (ev.label !== 0 && ev.label !== 1) {
      throw new EvaluationError(`${path} row ${i}: label ${ev.label} is not 0 or 1; the evaluation needs binary labels`);
    }
    const base = X.length;
    for (let j = 0; j < d; j++) X.push(0);
    for (let k = 0; k < ev.x.nnz; k++) X[base + ev.x.idx[k]] = ev.x.val[k];
    y.push(ev.label);
  }
  return { name, columns: layout.featureColumns, rows: y.length, dim: d, X: Float64Array.from(X), y: Uint8Array.from(y) };
}
