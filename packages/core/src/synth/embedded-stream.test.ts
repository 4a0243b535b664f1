import { describe, expect, it } from 'vitest';
import { SEA_THRESHOLDS } from './sea-generator.js';
import { embeddedStream, type SynthEvent } from './embedded-stream.js';

function take(n: number, it: Iterator<SynthEvent>): SynthEvent[] {
  const out: SynthEvent[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().value as SynthEvent);
  return out;
}

function seaRule(ev: SynthEvent, theta: number): number {
  const f = ev.features as Record<string, number>;
  return f.x1 + f.x2 <= theta ? 0 : 1;
}

describe('embeddedStream', () => {
  it('produces SPEC §2 event objects that survive a JSON round trip', () => {
    const evs = take(500, embeddedStream({ seed: 1 }));
    expect(evs[0].id).toBe('e-0');
    expect(evs[1].ts - evs[0].ts).toBe(1);
    for (const ev of evs) {
      expect(typeof ev.id).toBe('string');
      expect(Object.keys(ev.features)).toEqual(['x1', 'x2', 'x3']);
      for (const v of Object.values(ev.features)) expect(Number.isFinite(v)).toBe(true);
      expect(ev.label === null || ev.label === 0 || ev.label === 1).toBe(true);
      expect(JSON.parse(JSON.stringify(ev))).toEqual(ev);
    }
  });

  it('is deterministic by seed; another seed gives another stream', () => {
    const a = take(1000, embeddedStream({ seed: 7 }));
    const b = take(1000, embeddedStream({ seed: 7 }));
    const c = take(1000, embeddedStream({ seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('cycles the SEA concepts 1→2→3→4→1 every driftEvery events (clean labels follow the current θ)', () => {
    const every = 1000;
    const evs = take(5 * every, embeddedStream({ seed: 2, driftEvery: every, noiseRates: null, unlabelledFraction: 0 }));
    let wrong = 0;
    for (let t = 0; t < evs.length; t++) {
      if (evs[t].label !== seaRule(evs[t], SEA_THRESHOLDS[Math.floor(t / every) % 4])) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('gradual switches mix old and new concepts around each switch point', () => {
    const every = 4000;
    const evs = take(2 * every, embeddedStream({ seed: 3, driftEvery: every, driftWidth: 200, noiseRates: null, unlabelledFraction: 0 }));
    // Far from the switches (at 4000 and 8000; 5 widths away: P(other concept) = 1/(1+e^20)) one concept only.
    let wrong = 0;
    for (let t = 0; t < 3000; t++) if (evs[t].label !== seaRule(evs[t], 8)) wrong++;
    for (let t = 5000; t < 7000; t++) if (evs[t].label !== seaRule(evs[t], 9)) wrong++;
    expect(wrong).toBe(0);
    // Right at the switch, events with 8 < x1 + x2 ≤ 9 are labelled by either concept.
    let old = 0;
    let neu = 0;
    for (let t = 3800; t < 4200; t++) {
      const f = evs[t].features as Record<string, number>;
      const s = f.x1 + f.x2;
      if (s > 8 && s <= 9) {
        if (evs[t].label === 1) old++;
        else neu++;
      }
    }
    expect(old).toBeGreaterThan(0);
    expect(neu).toBeGreaterThan(0);
  });

  it('injects ρ0/ρ1 label noise, trusted and unlabelled events at the configured rates (5 binomial sd)', () => {
    const n = 60_000;
    const rho0 = 0.1;
    const rho1 = 0.2;
    const it = embeddedStream({ seed: 4, driftEvery: 0, noiseRates: [rho0, rho1], trustedFraction: 0.1, unlabelledFraction: 0.05 });
    let unlabelled = 0;
    let trusted = 0;
    let neg = 0;
    let up = 0;
    let pos = 0;
    let down = 0;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const ev = it.next().value as SynthEvent;
      const clean = seaRule(ev, 8);
      if (ev.label === null) {
        unlabelled++;
        if (ev.trusted !== undefined) bad++;
        continue;
      }
      if (ev.trusted) {
        trusted++;
        if (ev.label !== clean || !(ev.sourceLabel === 0 || ev.sourceLabel === 1)) bad++;
        continue;
      }
      if (ev.sourceLabel !== undefined) bad++;
      if (clean === 0) {
        neg++;
        up += ev.label;
      } else {
        pos++;
        down += 1 - ev.label;
      }
    }
    expect(bad).toBe(0);
    const within = (k: number, m: number, p: number) => Math.abs(k - m * p) < 5 * Math.sqrt(m * p * (1 - p));
    expect(within(unlabelled, n, 0.05)).toBe(true);
    expect(within(trusted, n - unlabelled, 0.1)).toBe(true);
    expect(within(up, neg, rho0)).toBe(true);
    expect(within(down, pos, rho1)).toBe(true);
  });

  it('supports dense features, scaling, the hyperplane concept, a clock and an id prefix', () => {
    const [ev] = take(1, embeddedStream({ featureFormat: 'dense', featureScale: 0.1, clock: () => 123, idPrefix: 'k' }));
    expect(Array.isArray(ev.features)).toBe(true);
    expect((ev.features as number[]).length).toBe(3);
    for (const v of ev.features as number[]) expect(v >= 0 && v < 1).toBe(true);
    expect(ev.ts).toBe(123);
    expect(ev.id).toBe('k0');
    const [h] = take(1, embeddedStream({ concept: 'hyperplane' }));
    expect(Object.keys(h.features)).toHaveLength(10);
    expect(() => take(1, embeddedStream({ unlabelledFraction: 2 }))).toThrow(/unlabelledFraction 2/);
  });
});
