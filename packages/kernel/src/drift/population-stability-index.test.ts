import { describe, expect, it } from 'vitest';
import { PopulationStabilityIndex } from './population-stability-index.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

describe('PopulationStabilityIndex', () => {
  it('equals Σ (A−E) ln(A/E) computed directly from the binned proportions (1e-12)', () => {
    const psi = new PopulationStabilityIndex({ bins: 5, lower: 0, upper: 1 });
    const ref = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const cur = [0.05, 0.05, 0.05, 0.3, 0.3, 0.5, 0.9, 0.9];
    for (const v of ref) psi.addReference(v);
    for (const v of cur) psi.addCurrent(v);
    const e = [2, 2, 2, 2, 2].map((c) => c / 10);
    const a = [3, 2, 1, 0, 2].map((c) => Math.max(c / 8, 1e-4));
    let want = 0;
    for (let i = 0; i < 5; i++) want += (a[i] - e[i]) * Math.log(a[i] / e[i]);
    expect(psi.get()).toBeCloseTo(want, 12);
  });

  it('is ≈ 0 (< 0.01) for two samples of one distribution and > 0.25 for a shift of one standard deviation, with quantile bins', () => {
    const r = mulberry32(1);
    const n = 20_000;
    const refV = new Float64Array(n);
    for (let i = 0; i < n; i++) refV[i] = gauss(r);
    const same = new PopulationStabilityIndex();
    same.setReference(refV);
    const shifted = new PopulationStabilityIndex();
    shifted.setReference(refV);
    for (let i = 0; i < n; i++) {
      same.addCurrent(gauss(r));
      shifted.addCurrent(gauss(r) + 1);
    }
    expect(same.get()).toBeLessThan(0.01);
    expect(shifted.get()).toBeGreaterThan(0.25);
  });

  it('identical windows give exactly 0; removeCurrent undoes addCurrent exactly', () => {
    const psi = new PopulationStabilityIndex({ lower: -3, upper: 3 });
    const r = mulberry32(2);
    for (let i = 0; i < 1000; i++) {
      const v = gauss(r);
      psi.addReference(v);
      psi.addCurrent(v);
    }
    expect(psi.get()).toBe(0);
    const before = psi.toState();
    psi.addCurrent(2.5);
    expect(psi.get()).toBeGreaterThan(0);
    psi.removeCurrent(2.5);
    expect(psi.toState()).toEqual(before);
  });

  it('runs the doc-comment example: the same 1000 values in both windows give 0', () => {
    const psi = new PopulationStabilityIndex({ bins: 10, lower: 0, upper: 1 });
    for (let i = 0; i < 1000; i++) {
      psi.addReference((i % 100) / 100);
      psi.addCurrent((i % 100) / 100);
    }
    expect(psi.get()).toBe(0);
  });

  it('an empty bin contributes through the floor and stays finite', () => {
    const psi = new PopulationStabilityIndex({ bins: 2, lower: 0, upper: 1, floor: 1e-3 });
    psi.addReference(0.2);
    psi.addCurrent(0.8);
    const want = 2 * (1 - 1e-3) * Math.log(1 / 1e-3);
    expect(psi.get()).toBeCloseTo(want, 12);
  });

  it('state round trip preserves the index and the quantile edges', () => {
    const psi = new PopulationStabilityIndex({ bins: 4 });
    psi.setReference(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]));
    psi.addCurrent(7.5);
    const copy = new PopulationStabilityIndex({ bins: 4 });
    copy.fromState(psi.toState());
    expect(copy.get()).toBe(psi.get());
    expect(copy.binOf(3.5)).toBe(psi.binOf(3.5));
    expect(psi.binOf(0)).toBe(0);
    expect(psi.binOf(100)).toBe(3);
  });

  it('explains misuse: no edges yet, half a range', () => {
    expect(() => new PopulationStabilityIndex().addCurrent(1)).toThrow(/setReference/);
    expect(() => new PopulationStabilityIndex({ lower: 0 })).toThrow(/both lower and upper/);
  });
});
