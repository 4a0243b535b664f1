import { describe, expect, it } from 'vitest';
import { errorSignalExperiment } from './error-signal.js';

describe('errorSignalExperiment (quick)', () => {
  const r = errorSignalExperiment({ quick: true });
  it('finite differences of LogLoss.loss equal σ(z) − y within 1e-8 (h = 1e-5), hard and soft y', () => {
    expect(r.maxFdError.hard).toBeLessThan(1e-8);
    expect(r.maxFdError.soft).toBeLessThan(1e-8);
    expect(r.cells.length).toBe(17 * 7);
  });
  it('LogLoss.gradient equals σ(z) − y within 1e-15', () => {
    expect(r.maxImplError).toBeLessThan(1e-15);
  });
  it('one Sgd step changes z by −η(‖x‖² + 1)(p̂ − y) within 1e-12 and moves p̂ toward y without overshoot', () => {
    expect(r.maxStepError).toBeLessThan(1e-12);
    expect(r.towardY).toBe(r.draws.length);
    expect(r.noOvershoot).toBe(r.draws.length);
  });
  it('the table and the figure come from the same draws', () => {
    expect(r.report.figures[1].caption).toContain(`${r.draws.length} measured steps`);
    expect(r.report.figures[1].svg.match(/<circle /g)?.length).toBe(r.draws.length + 1); // + legend marker
  });
});
