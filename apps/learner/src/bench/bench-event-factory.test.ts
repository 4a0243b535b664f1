import { type DecodedEvent, OnlineLearner } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { BenchEventFactory } from './bench-event-factory.js';

describe('BenchEventFactory', () => {
  it('makes SPEC §2 events the learner accepts, with 20 distinct named features and a 0/1 label', () => {
    const f = new BenchEventFactory({ seed: 7 });
    const learner = new OnlineLearner();
    const ev = learner.newEvent();
    const enc = new TextEncoder();
    for (let i = 0; i < 200; i++) {
      const s = f.next(`b-${i}`, 1732300000000 + i);
      const o = JSON.parse(s) as { id: string; ts: number; features: Record<string, number>; label: number };
      expect(o.id).toBe(`b-${i}`);
      expect(o.ts).toBe(1732300000000 + i);
      expect(Object.keys(o.features)).toHaveLength(20);
      expect([0, 1]).toContain(o.label);
      expect(learner.decoder.decode(enc.encode(s), ev)).toBeNull();
      expect(ev.x.nnz).toBe(20);
    }
  });

  it('is deterministic by seed, and its labels follow the logistic ground truth (agreement with sign(w·x) ≥ 0.6 over 5000 events)', () => {
    expect(new BenchEventFactory({ seed: 3 }).next('a', 1)).toBe(new BenchEventFactory({ seed: 3 }).next('a', 1));
    expect(new BenchEventFactory({ seed: 3 }).next('a', 1)).not.toBe(new BenchEventFactory({ seed: 4 }).next('a', 1));
    const f = new BenchEventFactory({ seed: 11 });
    let agree = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const o = JSON.parse(f.next(`b-${i}`, 0)) as { features: Record<string, number>; label: number };
      let z = 0;
      for (let j = 0; j < 20; j++) z += (((j % 2 === 0 ? 1 : -1) * (1 + (j % 3))) / 4) * o.features[`f${String(j).padStart(2, '0')}`];
      if ((z > 0 ? 1 : 0) === o.label) agree++;
    }
    // |w| ≈ 1.9, so σ(w·x) is far from 0.5 for most x: a random labelling would agree ~50%.
    expect(agree / n).toBeGreaterThan(0.6);
  });

  it('nextBinary makes the same event as next (same draws), in the binary encoding: both decode identically, bit for bit', () => {
    const a = new BenchEventFactory({ seed: 21 });
    const b = new BenchEventFactory({ seed: 21 });
    const learner = new OnlineLearner();
    const ea = learner.newEvent();
    const eb = learner.newEvent();
    const snap = (e: DecodedEvent) => ({
      id: e.id,
      ts: e.ts,
      label: e.label,
      trusted: e.trusted,
      sourceLabel: e.sourceLabel,
      idx: Array.from(e.x.idx.subarray(0, e.x.nnz)),
      val: Array.from(new Uint32Array(Float64Array.from(e.x.val.subarray(0, e.x.nnz)).buffer)),
    });
    const labels = new Set<number | null>();
    for (let i = 0; i < 300; i++) {
      const json = a.next(`b-${i}`, 1732300000000 + i);
      // mixing the two on one factory keeps the sequence: every third event of b is JSON too
      const other = i % 3 === 0 ? Buffer.from(b.next(`b-${i}`, 1732300000000 + i)) : b.nextBinary(`b-${i}`, 1732300000000 + i);
      if (i % 3 !== 0) expect(other[0]).toBe(0xb1);
      expect(learner.decoder.decode(Buffer.from(json), ea)).toBeNull();
      expect(learner.decoder.decode(other, eb)).toBeNull();
      expect(snap(eb), json).toEqual(snap(ea));
      expect(eb.x.nnz).toBe(20);
      labels.add(eb.label);
    }
    expect([...labels].sort()).toEqual([0, 1]);
    expect(b.nextBinary('x', 0).length).toBeLessThan(Buffer.byteLength(a.next('x', 0)));
  });
});
