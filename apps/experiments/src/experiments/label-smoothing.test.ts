import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mean } from '../report/markdown-table.js';
import { labelSmoothingExperiment } from './label-smoothing.js';

const dataDir = '../../../shared/data';
// The shared data sets live outside the repository (../shared/data); without them there is nothing to measure.
describe('labelSmoothingExperiment (quick: wdbc, pima, 2 seeds)', () => {
  it('finds the shared data sets beside the repository', () => {
    expect(existsSync(`${dataDir}/pima_diabetes.csv`), `missing ${dataDir}/pima_diabetes.csv: the shared data folder ../shared/data must sit beside the repository`).toBe(true);
  });

  const r = labelSmoothingExperiment({ quick: true, dataDir });
  const at = (d: string, e: number, k: 'logLoss' | 'ece' | 'accuracy' | 'meanAbsZ') =>
    mean(r.runs.filter((x) => x.dataset === d && x.epsilon === e).map((x) => x[k]));
  it('smoothing shrinks the held-out scores: mean |z| strictly decreasing in ε on every data set', () => {
    for (const d of r.datasets) {
      for (let k = 1; k < r.epsilons.length; k++) expect(at(d, r.epsilons[k], 'meanAbsZ')).toBeLessThan(at(d, r.epsilons[k - 1], 'meanAbsZ'));
    }
  });
  it('accuracy moves by less than 0.03 between ε = 0 and ε = 0.2 (smoothing keeps the sign of the optimal score)', () => {
    for (const d of r.datasets) expect(Math.abs(at(d, 0.2, 'accuracy') - at(d, 0, 'accuracy'))).toBeLessThan(0.03);
  });
  it('ε = 0.2 is under-confident on the easy wdbc data: ECE above that of ε = 0', () => {
    expect(at('wdbc', 0.2, 'ece')).toBeGreaterThan(at('wdbc', 0, 'ece'));
  });
  it('the table prints the means the figures draw (wdbc, ε = 0.1 log loss)', () => {
    const v = at('wdbc', 0.1, 'logLoss');
    expect(r.report.tables[0]).toContain(`| wdbc | 0.1 | ${Number(v.toPrecision(3))}`);
  });
});
