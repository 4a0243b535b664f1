import { Sgd, SparseVector } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { MIX_RULES, PARTITIONINGS, SCALE_OUT_STREAMS, scaleOutExperiment, simulateScaleOut } from './scale-out.js';
import type { ScaleOutRunOptions } from './scale-out.js';

const hyper = SCALE_OUT_STREAMS[1]; // hyperplane, noise 0.1
const sea = SCALE_OUT_STREAMS[3]; // SEA, noise 0.1
const base: ScaleOutRunOptions = { stream: hyper, events: 4000, replicas: 1, partitioning: 'round-robin', rule: 'off', mixEvery: 100, learningRate: 0.05, seed: 3 };

describe('simulateScaleOut (4000 events)', () => {
  it('K = 1 under every rule and partitioning is the single learner exactly (same log loss and weights, bit for bit)', () => {
    for (const stream of [hyper, sea]) {
      const single = simulateScaleOut({ ...base, stream });
      for (const rule of MIX_RULES) {
        for (const partitioning of PARTITIONINGS) {
          const r = simulateScaleOut({ ...base, stream, rule, partitioning, mixEvery: 7 });
          expect(r.logLoss).toBe(single.logLoss);
          expect(r.states[0].w).toEqual(single.states[0].w);
          expect(r.mixes).toBe(0);
        }
      }
    }
  });

  it('without mixing, K = 2 replicas that both learn every event stay identical to the single learner (weights bit for bit, log loss within 1e-15 relative)', () => {
    const r = simulateScaleOut({ ...base, events: 1000 });
    const ref = simulateScaleOut({ ...base, events: 1000, replicas: 2, broadcast: true }); // both replicas learn all; replica 0 scores even events
    expect(ref.learned).toEqual([1000, 1000]);
    expect(ref.states[0].w).toEqual(r.states[0].w);
    expect(ref.states[1].w).toEqual(r.states[0].w);
    // The identical replicas score as the single learner does, so the group's loss is the single learner's.
    expect(Math.abs(ref.logLoss - r.logLoss) / r.logLoss).toBeLessThan(1e-15);
  });

  it('with identical streams (every replica learns every event) and a mix after every event, the average equals each replica and the single learner (weights within 1e-12)', () => {
    const single = simulateScaleOut(base);
    for (const K of [2, 3, 6]) {
      const r = simulateScaleOut({ ...base, replicas: K, rule: 'average', mixEvery: 1, broadcast: true });
      expect(r.mixes).toBe(K * base.events);
      const w0 = single.states[0].w as Float64Array;
      for (const st of r.states) {
        const w = st.w as Float64Array;
        const s = st.wscale as number;
        for (let i = 0; i < w0.length; i++) expect(Math.abs(w[i] * s - w0[i])).toBeLessThan(1e-12);
        expect(Math.abs((st.bias as number) - (single.states[0].bias as number))).toBeLessThan(1e-12);
      }
      expect(Math.abs(r.logLoss - single.logLoss)).toBeLessThan(1e-12);
    }
  });

  it("the η×K rule's replicas step with K·η, the other rules with η", () => {
    for (const K of [2, 3, 6]) {
      expect(simulateScaleOut({ ...base, replicas: K, rule: 'average, η×K' }).rates).toEqual(new Array(K).fill(K * base.learningRate));
      expect(simulateScaleOut({ ...base, replicas: K, rule: 'average' }).rates).toEqual(new Array(K).fill(base.learningRate));
      expect(simulateScaleOut({ ...base, replicas: K, rule: 'off' }).rates).toEqual(new Array(K).fill(base.learningRate));
    }
  });

  it('round-robin gives every replica events/K; keyed by x₁ gives replica k the events with x₁ in [k/K, (k+1)/K) (about events/K each, not exactly)', () => {
    expect(simulateScaleOut({ ...base, replicas: 3 }).learned).toEqual([1333 + 1, 1333, 1333]);
    const keyed = simulateScaleOut({ ...base, replicas: 3, partitioning: 'keyed' }).learned;
    expect(keyed.reduce((a, b) => a + b, 0)).toBe(base.events);
    expect(keyed.some((n) => n !== keyed[0])).toBe(true);
    for (const n of keyed) expect(Math.abs(n - base.events / 3)).toBeLessThan(200); // binomial sd ≈ 30
  });

  it('keyed SEA partitions are strongly non-IID: the replica of the lowest x₁ slice sees far fewer positives than the highest (label 1 iff x₁ + x₂ > 8, noise 0.1)', () => {
    const keyed = simulateScaleOut({ ...base, stream: sea, replicas: 3, partitioning: 'keyed' }).positiveRate;
    const rr = simulateScaleOut({ ...base, stream: sea, replicas: 3 }).positiveRate;
    // exact shares for x₁ ∈ [0, 10/3) and [20/3, 10): P(x₂ > 8 − x₁) is ≈ 0.37 and ≈ 0.96 before noise
    expect(keyed[0]).toBeLessThan(0.5);
    expect(keyed[2]).toBeGreaterThan(0.8);
    for (const v of rr) expect(Math.abs(v - rr[0])).toBeLessThan(0.06); // round-robin: the same share up to sampling error
  });

  it('one mix is the kernel Sgd.mix with event weights: two replicas, mix every 50, the first replica after its first mix is the 50:50 average of both', () => {
    // Replay the first 100 events of the stream by hand: replica 0 learns even events, replica 1 odd events;
    // at event 98 replica 0 has learned 50 and mixes replica 1 (49 learned) with weights 50 : 49.
    const gen = simulateScaleOut({ ...base, events: 99, replicas: 2, rule: 'average', mixEvery: 50 });
    const off = simulateScaleOut({ ...base, events: 99, replicas: 2, rule: 'off' });
    expect(gen.mixes).toBe(1);
    const a = new Sgd({ dim: 20, learningRate: base.learningRate });
    a.fromState(off.states[0]);
    a.mix(50, [off.states[1]], [49], 99);
    const x = new SparseVector(20);
    for (let i = 0; i < 20; i++) x.push(i, 1);
    const b = new Sgd({ dim: 20, learningRate: base.learningRate });
    b.fromState(gen.states[0]);
    expect(Math.abs(b.score(x) - a.score(x))).toBeLessThan(1e-12);
    expect(gen.states[1].w).toEqual(off.states[1].w); // replica 1 has not reached its 50th event
  });
});

describe('scaleOutExperiment (quick: 12 000 events, 2 streams, K ∈ {2, 3}, η ∈ {0.05, 0.5}, 1 seed)', () => {
  const r = scaleOutExperiment({ quick: true });
  it('has every cell of the grid, with finite positive log losses, and the ratio is the loss over the single learner’s', () => {
    // per stream and η: 2 partitionings × 2 K × (off + 2 rules × 2 intervals)
    expect(r.cells.length).toBe(2 * 2 * 2 * 2 * 5);
    for (const c of r.cells) {
      const s = r.single.find((x) => x.stream === c.stream && x.learningRate === c.learningRate);
      expect(c.logLoss[0]).toBeGreaterThan(0);
      expect(c.ratio[0]).toBe(c.logLoss[0] / (s?.logLoss[0] ?? Number.NaN));
    }
  });
  it('on IID partitions without mixing, K = 3 replicas are worse than one learner at η = 0.05 (ratio > 1.01)', () => {
    const c = r.cells.find((x) => x.stream === 'hyperplane, noise 0.1' && x.partitioning === 'round-robin' && x.replicas === 3 && x.rule === 'off' && x.learningRate === 0.05);
    expect(c?.ratio[0]).toBeGreaterThan(1.01);
  });
  it('the report has a table per stream whose single-learner row prints the tabled absolute loss, and the figures', () => {
    expect(r.report.tables.length).toBe(2);
    const s = r.single[0];
    expect(r.report.tables[0]).toContain(`| single learner | 1 | – | – | 1 | ${Number(s.logLoss[0].toPrecision(4))} |`);
    expect(r.report.figures.length).toBe(4);
    expect(r.report.shows.join('\n')).toContain('K = 3');
  });
});
