import { describe, expect, it } from 'vitest';
import type { ProducedEvent } from './produced-event.js';
import { ProducerError } from './producer-error.js';
import { syntheticEvents, type SyntheticEventsOptions } from './synthetic-events.js';

function take(n: number, o: SyntheticEventsOptions): ProducedEvent[] {
  const it = syntheticEvents({ clock: null, ...o });
  const out: ProducedEvent[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().value.event!);
  return out;
}

/** SEA's clean label: 1 iff x1 + x2 > θ (θ = 8, 9, 7, 9.5 for concepts 1–4). */
function seaClean(e: ProducedEvent, theta: number): number {
  const f = e.features as number[];
  return f[0] + f[1] > theta ? 1 : 0;
}

describe('syntheticEvents', () => {
  it('is deterministic by seed and numbers ids from 0', () => {
    const a = take(50, { seed: 7 });
    expect(take(50, { seed: 7 })).toEqual(a);
    expect(take(50, { seed: 8 })).not.toEqual(a);
    expect(a[0].id).toBe('e-0');
    expect(a[49].id).toBe('e-49');
    expect((a[0].features as number[]).length).toBe(3);
  });

  it('SEA without noise follows concept 1 (θ=8) before drift-at and concept 3 (θ=7) from it on', () => {
    const ev = take(4000, { driftAt: 2000 });
    for (let t = 0; t < 2000; t++) expect(ev[t].label).toBe(seaClean(ev[t], 8));
    for (let t = 2000; t < 4000; t++) expect(ev[t].label).toBe(seaClean(ev[t], 7));
  });

  it('injects label noise at rates rho0, rho1 (within 4 standard errors) and marks trusted events with the clean label and the noisy sourceLabel', () => {
    const [rho0, rho1] = [0.2, 0.1];
    const ev = take(40_000, { noiseRates: [rho0, rho1], trustedFraction: 0.1 });
    let n0 = 0;
    let f0 = 0;
    let n1 = 0;
    let f1 = 0;
    let trusted = 0;
    let trustedFlips = 0;
    for (const e of ev) {
      const clean = seaClean(e, 8);
      if (e.trusted === true) {
        trusted++;
        expect(e.label).toBe(clean);
        if (e.sourceLabel !== clean) trustedFlips++;
        continue;
      }
      expect(e.sourceLabel).toBeUndefined();
      if (clean === 0) {
        n0++;
        if (e.label === 1) f0++;
      } else {
        n1++;
        if (e.label === 0) f1++;
      }
    }
    const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(f0 / n0 - rho0)).toBeLessThan(4 * se(rho0, n0));
    expect(Math.abs(f1 / n1 - rho1)).toBeLessThan(4 * se(rho1, n1));
    expect(Math.abs(trusted / ev.length - 0.1)).toBeLessThan(4 * se(0.1, ev.length));
    expect(trustedFlips).toBeGreaterThan(0);
  });

  it('hyperplane: dim features in [0,1), named format, unlabelled fraction, ts from the clock', () => {
    let now = 1000;
    const it = syntheticEvents({ generator: 'hyperplane', dim: 4, features: 'named', unlabelledFraction: 0.5, clock: () => now++ });
    const ev = Array.from({ length: 2000 }, () => it.next().value.event!);
    expect(Object.keys(ev[0].features)).toEqual(['x1', 'x2', 'x3', 'x4']);
    for (const e of ev) for (const v of Object.values(e.features)) expect(v >= 0 && v < 1).toBe(true);
    expect(ev[0].ts).toBe(1000);
    expect(ev[1].ts).toBe(1001);
    const unlabelled = ev.filter((e) => e.label === null).length;
    expect(Math.abs(unlabelled / 2000 - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 2000));
  });

  it('refuses bad settings naming them', () => {
    expect(() => take(1, { noiseRates: [0.6, 0.5] })).toThrow(/rho0 \+ rho1 < 1/);
    expect(() => take(1, { driftAt: -5 })).toThrow(/drift-at -5/);
    expect(() => take(1, { generator: 'agrawal' as 'sea' })).toThrow(ProducerError);
    expect(() => take(1, { trustedFraction: 2 })).toThrow(/trusted fraction 2/);
  });
});
