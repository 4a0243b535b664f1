import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsvDataset } from './load-csv-dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'evaluate-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCsvDataset', () => {
  it('reads features row-major in CSV order and 0/1 labels, skipping blank lines', () => {
    const f = join(dir, 'a.csv');
    writeFileSync(f, 'a,label,b\n1.5,1,-2\n0,0,3e2\n\n');
    const ds = loadCsvDataset(f, 'a');
    expect([ds.rows, ds.dim, ds.columns]).toEqual([2, 2, ['a', 'b']]);
    expect(Array.from(ds.X)).toEqual([1.5, -2, 0, 300]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
  });

  it('fails with a message naming a missing file and what to do', () => {
    expect(() => loadCsvDataset(join(dir, 'missing.csv'), 'm')).toThrow(/missing\.csv is missing.*--data-dir/);
  });

  it('refuses a soft label (the evaluation flips hard labels)', () => {
    const f = join(dir, 'soft.csv');
    writeFileSync(f, 'a,label\n1,0.5\n');
    expect(() => loadCsvDataset(f, 's')).toThrow(/label 0.5 is not 0 or 1/);
  });
});
