import { describe, expect, it } from 'vitest';
import { implicitBiasExperiment } from './implicit-bias.js';

describe('implicitBiasExperiment (quick)', () => {
  const r = implicitBiasExperiment({ quick: true });
  const [small, large] = r.runs;
  it('2-D Soudry set: cosine to the SVM direction above 0.999 after 10⁴ GD steps, margin ratio above 0.99', () => {
    const last = small.trace[small.trace.length - 1];
    expect(last.t).toBe(10_000);
    expect(last.cosine).toBeGreaterThan(0.999);
    expect(last.marginRatio).toBeGreaterThan(0.99);
    expect(last.marginRatio).toBeLessThanOrEqual(1 + 1e-9); // the SVM margin is the maximum
  });
  it('‖w_t‖ grows without bound like ln t: ‖w_t‖/(‖ŵ‖ ln t) within 25 % of 1 at t = 10⁴ and increasing norm', () => {
    const last = small.trace[small.trace.length - 1];
    const ratio = last.norm / Math.log(last.t) / Math.hypot(small.svm.w[0], small.svm.w[1]);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.25);
    for (let k = 1; k < small.trace.length; k++) expect(small.trace[k].norm).toBeGreaterThan(small.trace[k - 1].norm);
  });
  const errLn = (run: typeof small, t: number) => (run.trace.find((p) => p.t === t)?.distance ?? NaN) * Math.log(t);
  it('2-D set: the direction error shrinks monotonically after t = 10, at least as fast as 1/log t (error · ln t falls from 10² to 10⁴)', () => {
    const tail = small.trace.filter((p) => p.t >= 10);
    for (let k = 1; k < tail.length; k++) expect(tail[k].distance).toBeLessThan(tail[k - 1].distance + 1e-12);
    expect(errLn(small, 10_000)).toBeLessThan(errLn(small, 100));
  });
  it('larger set: the 1/log t rate, error · ln t within a factor 1.5 over t = 10², 10³, 10⁴', () => {
    const v = [errLn(large, 100), errLn(large, 1000), errLn(large, 10_000)];
    expect(Math.max(...v) / Math.min(...v)).toBeLessThan(1.5);
  });
  it('larger set: cosine above 0.99 after 10⁴ steps, the SVM KKT residuals below 1e-9', () => {
    const last = large.trace[large.trace.length - 1];
    expect(last.cosine).toBeGreaterThan(0.99);
    expect(Math.max(large.svm.kkt.primal, large.svm.kkt.complementarity, large.svm.kkt.stationarity)).toBeLessThan(1e-9);
  });
  it('renders four figures with labelled axes and a caption each', () => {
    expect(r.report.figures.length).toBe(4);
    for (const f of r.report.figures) {
      expect(f.svg).toContain('gradient-descent step t (log scale)');
      expect(f.caption.length).toBeGreaterThan(20);
    }
  });
});
