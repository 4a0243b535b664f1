import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PageHinkley } from './page-hinkley.js';

// Made by scripts/reference/river-drift.py with river 0.26.1.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/river-drift.json', import.meta.url), 'utf8')) as {
  docExamples: { stream: number[]; pageHinkley: { drifts: number[] } };
  gaussian: { stream: number[]; pageHinkley: { drifts: number[] } };
};

function detections(ph: PageHinkley, stream: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < stream.length; i++) {
    ph.update(stream[i]);
    if (ph.driftDetected) out.push(i);
  }
  return out;
}

describe('PageHinkley', () => {
  it("fires where River's docstring example fires (index 1006)", () => {
    expect(detections(new PageHinkley(), fixture.docExamples.stream)).toEqual([1006]);
    expect(fixture.docExamples.pageHinkley.drifts).toEqual([1006]);
  });

  it("matches River's detection indices on a Gaussian stream with an up and a down shift (restart after each alarm)", () => {
    expect(detections(new PageHinkley(), fixture.gaussian.stream)).toEqual(fixture.gaussian.pageHinkley.drifts);
  });

  it("mode 'up' ignores a decrease that 'down' detects", () => {
    const s: number[] = [];
    for (let i = 0; i < 2000; i++) s.push(i < 1000 ? 5 + (i % 2) : i % 2);
    expect(detections(new PageHinkley({ mode: 'up' }), s)).toEqual([]);
    const down = detections(new PageHinkley({ mode: 'down' }), s);
    expect(down.length).toBeGreaterThan(0);
    expect(down[0]).toBeGreaterThanOrEqual(1000);
  });

  it('state round trip gives identical next outputs', () => {
    const s = fixture.gaussian.stream;
    const a = new PageHinkley();
    for (let i = 0; i < 1990; i++) a.update(s[i]);
    const b = new PageHinkley();
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    for (let i = 1990; i < s.length; i++) {
      a.update(s[i]);
      b.update(s[i]);
      expect(b.driftDetected).toBe(a.driftDetected);
    }
    expect(b.toState()).toEqual(a.toState());
    const fresh = new PageHinkley();
    const c = new PageHinkley();
    c.fromState(JSON.parse(JSON.stringify(fresh.toState())));
    expect(detections(c, s)).toEqual(fixture.gaussian.pageHinkley.drifts);
  });

  it('runs the doc-comment example: the first alarm comes shortly after the shift at 1000', () => {
    const ph = new PageHinkley();
    const hits: number[] = [];
    for (let i = 0; i < 2000; i++) {
      ph.update(i < 1000 ? i % 2 : 5 + (i % 2));
      if (ph.driftDetected) hits.push(i);
    }
    expect(hits[0]).toBeGreaterThanOrEqual(1000);
    expect(hits[0]).toBeLessThan(1050);
  });

  it('rejects impossible settings', () => {
    expect(() => new PageHinkley({ threshold: 0 })).toThrow(/threshold 0/);
    expect(() => new PageHinkley({ alpha: 1.5 })).toThrow(/alpha 1.5/);
  });
});
