import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prequentialSgd, timePrequentialSgd, type DenseRows } from './prequential.js';

// The peers' values come from scripts/bench/peers.py --fixture (vowpalwabbit 9.11.9 --sgd --power_t 0, river 0.26.1
// LogisticRegression learn_one, scikit-learn 1.9.1 SGDClassifier.partial_fit per event) on the committed CSV, which
// scripts/bench/gen-data.mjs wrote (600 rows × 20 dense features, seed 7). Regenerate both with:
//   node scripts/bench/gen-data.mjs --rows 600 --dim 20 --out bench-data/peers-small --seed 7
//   cp bench-data/peers-small.csv packages/kernel/src/bench/fixtures/
//   bash scripts/bench/venv.sh && .venv-bench/bin/python scripts/bench/peers.py --data bench-data/peers-small \
//     --dim 20 --fixture packages/kernel/src/bench/fixtures/peers-logloss.json
interface PeerFixture {
  rows: number;
  dim: number;
  lr: number;
  meanPrequentialLogLoss: Record<'vw-sgd' | 'river' | 'sklearn-partial-fit-1', number>;
  sklearnFit: { coef: number[]; intercept: number };
  sklearnPartialFit: { coef: number[]; intercept: number };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/peers-logloss.json', import.meta.url), 'utf8')) as PeerFixture;

function readCsv(): DenseRows {
  const lines = readFileSync(new URL('./fixtures/peers-small.csv', import.meta.url), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const dim = header.length - 1;
  const rows = lines.length - 1;
  const x = new Float64Array(rows * dim);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const cells = lines[i + 1].split(',').map(Number);
    for (let j = 0; j < dim; j++) x[i * dim + j] = cells[j];
    y[i] = cells[dim];
  }
  return { x, y, dim, rows };
}

const data = readCsv();

describe('prequentialSgd against the peers on the same stream and learning rate', () => {
  const pass = prequentialSgd(data, fixture.lr);

  it('reads the fixture file the peers read (600 rows × 20)', () => {
    expect(data.rows).toBe(fixture.rows);
    expect(data.dim).toBe(fixture.dim);
  });

  for (const peer of ['vw-sgd', 'river', 'sklearn-partial-fit-1'] as const) {
    it(`mean prequential log loss equals ${peer}'s within 1e-6`, () => {
      expect(Math.abs(pass.logLoss - fixture.meanPrequentialLogLoss[peer])).toBeLessThan(1e-6);
    });
  }

  it('final weights equal scikit-learn partial_fit per event and its one-epoch fit within 1e-9 (float64 both sides)', () => {
    for (const ref of [fixture.sklearnPartialFit, fixture.sklearnFit]) {
      expect(Math.abs(pass.bias - ref.intercept)).toBeLessThan(1e-9);
      for (let j = 0; j < data.dim; j++) expect(Math.abs(pass.weights[j] - ref.coef[j])).toBeLessThan(1e-9);
    }
  });

  it('the mean loss is the formula on a two-row stream (exact to 1e-15)', () => {
    // Row 1: z = 0, loss ln 2; step: w = b = 0.05·0.5 = 0.025. Row 2 (x = −1, y = 0): z = −0.025 + 0.025 = 0.
    const r = prequentialSgd({ x: new Float64Array([1, -1]), y: new Float64Array([1, 0]), dim: 1, rows: 2 }, 0.05);
    expect(Math.abs(r.logLoss - Math.LN2)).toBeLessThan(1e-15);
    expect(r.bias).toBeCloseTo(0.025 - 0.05 * 0.5, 15);
  });
});

describe('timePrequentialSgd', () => {
  it('reports positive rates and the prequential loss of each prefix', () => {
    const t = timePrequentialSgd(data, fixture.lr, [100, 600, 10_000], 1);
    expect(t.learnPerCpuSec).toBeGreaterThan(0);
    expect(t.learnDecodedPerCpuSec).toBeGreaterThan(0);
    expect(t.learnDecodedBias).toBe(prequentialSgd(data, fixture.lr).bias); // same updates, same order
    expect(t.prequentialPerSec).toBeGreaterThan(0);
    expect(t.logLoss).toBe(prequentialSgd(data, fixture.lr).logLoss);
    expect(t.logLossAt['100']).toBe(prequentialSgd(data, fixture.lr, 100).logLoss);
    expect(Object.keys(t.logLossAt).sort()).toEqual(['100', '600']); // a prefix beyond the rows is left out
  });
});
