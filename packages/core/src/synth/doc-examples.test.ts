import { describe, expect, it } from 'vitest';
import { ConceptDrift, embeddedStream, HyperplaneGenerator, LabelNoise, SeaGenerator, type StreamGenerator } from '../index.js';

// The @example blocks of synth/, run as written.
describe('synth/ doc examples', () => {
  it('StreamGenerator and SeaGenerator', () => {
    const g: StreamGenerator = new SeaGenerator({ seed: 1 });
    const x0 = new Float64Array(g.dim);
    expect([0, 1]).toContain(g.nextInto(x0));
    const sea = new SeaGenerator({ concept: 2, noise: 0, seed: 7 });
    const x = new Float64Array(3);
    const y = sea.nextInto(x);
    expect(y).toBe(x[0] + x[1] > 9 ? 1 : 0);
  });

  it('HyperplaneGenerator', () => {
    const h = new HyperplaneGenerator({ magnitude: 0.001, seed: 3 });
    const x = new Float64Array(h.dim);
    const w0 = h.weights[0];
    expect([0, 1]).toContain(h.nextInto(x));
    expect(Math.abs(Math.abs(h.weights[0] - w0) - 0.001)).toBeLessThan(1e-15);
  });

  it('ConceptDrift', () => {
    const s = new ConceptDrift({
      before: new SeaGenerator({ concept: 1, seed: 1 }),
      after: new SeaGenerator({ concept: 2, seed: 2 }),
      position: 12_500,
      width: 1000,
    });
    expect(s.probabilityAfter(12_500)).toBe(0.5);
  });

  it('LabelNoise', () => {
    const n = new LabelNoise({ rho0: 0.1, rho1: 0.3, trustedFraction: 0.05, seed: 1 });
    n.apply(1);
    expect([0, 1]).toContain(n.label);
    expect(typeof n.trusted).toBe('boolean');
    expect(n.sourceLabel === null || n.sourceLabel === n.noisy).toBe(true);
  });

  it('embeddedStream', () => {
    const it = embeddedStream({ seed: 42 });
    const first = it.next().value;
    expect(first.id).toBe('e-0');
    expect(first.ts).toBe(1767225600000);
    expect(Object.keys(first.features)).toEqual(['x1', 'x2', 'x3']);
    expect(first.label === null || first.label === 0 || first.label === 1).toBe(true);
  });
});
