import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationError } from './evaluation-error.js';
import { runEvaluation, type EvaluationResult } from './run-evaluation.js';

// The repository root: the data sets are at ../shared/data from there (see /work/shared/data/README.md).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = resolve(root, '../shared/data');
const out = mkdtempSync(join(tmpdir(), 'evaluate-quick-'));

describe('runEvaluation --quick (in process; seeds 1–2 for label noise, seed 1 for calibration and drift)', () => {
  let r: EvaluationResult;
  beforeAll(() => {
    if (!existsSync(join(dataDir, 'breast_cancer_wdbc.csv')) || !existsSync(join(dataDir, 'spambase.csv'))) {
      throw new Error(`this test needs the shared data sets in ${dataDir} (breast_cancer_wdbc.csv, spambase.csv); they are missing`);
    }
    r = runEvaluation({ quick: true, root, out: join(out, 'evaluation.md') });
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the markdown with three sections, each with a table and its seeds, and the JSON beside it', () => {
    const md = readFileSync(join(out, 'evaluation.md'), 'utf8');
    expect(md).toBe(r.markdown);
    for (const h of ['## 1. Label noise', '## 2. Calibration', '## 3. Drift']) expect(md).toContain(h);
    const sections = md.split(/^## /m).slice(1);
    expect(sections).toHaveLength(3);
    for (const s of sections) {
      expect(s).toMatch(/^\| .+ \|$/m);
      expect(s).toMatch(/^\| :-- \|/m);
      expect(s).toContain('pnpm logit evaluate --quick');
      expect(s).toMatch(/What it shows/);
    }
    expect(sections[0]).toContain('2 seeds (1–2)');
    expect(sections[1]).toContain('1 seed (1)');
    expect(md).not.toMatch(/\bNaN\b|undefined/);
    const json = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')) as { noise: { runs: unknown[] } };
    expect(json.noise.runs.length).toBe(r.noise?.runs.length);
  });

  it('gives finite figures for every run', () => {
    expect(r.noise?.runs.length).toBe(2 * 2 * 6);
    for (const x of r.noise?.runs ?? []) {
      expect(Number.isFinite(x.heldOutAccuracy) && Number.isFinite(x.rho0) && Number.isFinite(x.rho1)).toBe(true);
    }
    expect(r.calibration?.runs.length).toBe(3 * 8 + 1); // 8 variants on 3 streams, plus the true-probability row of the logistic stream
    for (const x of r.calibration?.runs ?? []) {
      for (const v of [x.ece, x.brier, x.logLoss, x.accuracy, x.window.ece]) expect(Number.isFinite(v)).toBe(true);
      expect(x.window.events).toBe(Math.min(1000, x.events));
    }
    expect(r.drift?.runs.length).toBe(4 * 3 * 2);
    for (const x of r.drift?.runs ?? []) {
      for (const d of x.score.delays) expect(d === null || (Number.isInteger(d) && d >= 0)).toBe(true);
      expect(Number.isFinite(x.score.falseAlarmsPer100k)).toBe(true);
      expect(Number.isFinite(x.accuracy)).toBe(true);
    }
  });

  it('learns WDBC from clean labels (held-out accuracy > 0.9) and both corrections with the true T beat no correction on the mean', () => {
    const acc = (ds: string, v: string): number =>
      r.noise?.summary.find((x) => x.dataset === ds && x.variant === v)?.accuracy.mean ?? NaN;
    expect(acc('wdbc', 'clean')).toBeGreaterThan(0.9);
    for (const ds of ['wdbc', 'spambase']) {
      expect(acc(ds, 'forward-true')).toBeGreaterThan(acc(ds, 'noisy'));
      expect(acc(ds, 'backward-true')).toBeGreaterThan(acc(ds, 'noisy'));
    }
  });

  it('scores the true probability of the logistic stream as calibrated (ECE < 0.02 over 10 000 events; the sampling floor is about 0.01)', () => {
    const o = r.calibration?.runs.find((x) => x.variant === 'oracle');
    expect(o?.events).toBe(10_000);
    expect(o?.ece).toBeLessThan(0.02);
  });

  it('publishes rates estimated from the trusted pairs, and the given T for the true-T variants', () => {
    for (const x of r.noise?.runs ?? []) {
      if (x.variant.endsWith('-trusted')) {
        expect(x.estimator).toBe('trusted-pairs');
        expect(x.rho0 + x.rho1).toBeLessThan(1);
      } else if (x.variant.endsWith('-true')) {
        expect([x.estimator, x.rho0, x.rho1]).toEqual(['config', 0.2, 0.3]);
      }
    }
  });
});

describe('runEvaluation input errors', () => {
  it('fails before running anything when a data file is missing, naming it', () => {
    expect(() => runEvaluation({ quick: true, root, dataDir: '/nonexistent-data', write: false })).toThrow(EvaluationError);
    expect(() => runEvaluation({ quick: true, root, dataDir: '/nonexistent-data', write: false })).toThrow(
      /\/nonexistent-data\/breast_cancer_wdbc\.csv is missing/,
    );
  });

  it('refuses a seed count that is not a positive integer', () => {
    expect(() => runEvaluation({ seeds: 0, write: false })).toThrow(/--seeds 0 is not allowed/);
  });
});
