import { describe, expect, it } from 'vitest';
import { mean } from '../report/markdown-table.js';
import { noisyLabelsExperiment } from './noisy-labels.js';
import type { NoiseVariant } from './noisy-labels.js';

describe('noisyLabelsExperiment (quick: generated logistic stream, 1 seed, ρ ∈ {0, 0.2, 0.4})', () => {
  const r = noisyLabelsExperiment({ quick: true });
  const acc = (kind: 'symmetric' | 'asymmetric', rate: number, v: NoiseVariant) =>
    mean(r.runs.filter((x) => x.kind === kind && x.rate === rate && x.variant === v).map((x) => x.accuracy));
  const clean = acc('symmetric', 0, 'uncorrected');
  it('one-sided ρ0 = 0.4: uncorrected accuracy falls more than 0.1 below clean', () => {
    expect(clean - acc('asymmetric', 0.4, 'uncorrected')).toBeGreaterThan(0.1);
  });
  it('one-sided ρ0 = 0.4: every correction (T known and T estimated) is within 0.03 of the clean accuracy', () => {
    for (const v of ['forward, T known', 'backward, T known', 'forward, T estimated', 'backward, T estimated'] as const) {
      expect(Math.abs(clean - acc('asymmetric', 0.4, v))).toBeLessThan(0.03);
    }
  });
  it('symmetric ρ = 0.4: forward correction with known T beats uncorrected by more than 0.02', () => {
    expect(acc('symmetric', 0.4, 'forward, T known') - acc('symmetric', 0.4, 'uncorrected')).toBeGreaterThan(0.02);
  });
  it('T estimated from 5 % audited events: ρ̂0 within 0.1 of 0.4 and ρ̂1 below 0.05 for one-sided noise', () => {
    const run = r.runs.find((x) => x.kind === 'asymmetric' && x.rate === 0.4 && x.variant === 'forward, T estimated');
    expect(Math.abs((run?.usedRho0 ?? NaN) - 0.4)).toBeLessThan(0.1);
    expect(run?.usedRho1 ?? NaN).toBeLessThan(0.05);
  });
  it('draws the accuracy-against-noise-rate figures from the tabled means', () => {
    expect(r.report.figures.length).toBe(2);
    expect(r.report.figures[1].svg).toContain('noise rate ρ0 = ρ (ρ1 = 0)');
    expect(r.report.tables[0]).toContain(`| ρ0 = 0.4, ρ1 = 0 | ${Number(acc('asymmetric', 0.4, 'uncorrected').toPrecision(3))} |`);
  });
});
