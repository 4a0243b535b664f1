import { describe, expect, it } from 'vitest';
import { sigmoid } from '../math/sigmoid.js';
import type { LinearOptimizer } from './base.js';
import { AdaGrad } from './adagrad.js';
import { Ftrl } from './ftrl.js';
import { Sgd } from './sgd.js';
import { makeStream } from './test-stream.js';

const DIM = 64;

const makers: Record<string, () => LinearOptimizer> = {
  'sgd constant + l2 (wscale ≠ 1)': () => new Sgd({ dim: DIM, learningRate: 0.05, l2: 1e-3 }),
  'sgd invscaling': () => new Sgd({ dim: DIM, learningRate: 0.2, schedule: 'invscaling', powerT: 0.5 }),
  adagrad: () => new AdaGrad({ dim: DIM, learningRate: 0.1, l2: 1e-4 }),
  'ftrl with l1': () => new Ftrl({ dim: DIM, alpha: 0.2, beta: 1, l1: 0.05, l2: 0.01 }),
  'ftrl without l1': () => new Ftrl({ dim: DIM, alpha: 0.2 }),
};

function train(o: LinearOptimizer, seed: number, n: number): void {
  const { xs, ys } = makeStream(n, DIM, 6, seed);
  for (let t = 0; t < n; t++) o.step(xs[t], sigmoid(o.score(xs[t])) - ys[t]);
}

function close(a: number, b: number, rel: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(a), Math.abs(b)));
}

describe.each(Object.entries(makers))('%s: mix (model averaging)', (_name, make) => {
  it('makes every weight, the bias and so every score the weighted average of the mixed models (1e-12 relative)', () => {
    const [a, b, c] = [make(), make(), make()];
    train(a, 1, 700);
    train(b, 2, 500);
    train(c, 3, 300);
    const probe = makeStream(50, DIM, 6, 99).xs;
    const za = probe.map((x) => a.score(x));
    const zb = probe.map((x) => b.score(x));
    const zc = probe.map((x) => c.score(x));
    const wa = Array.from({ length: DIM }, (_, i) => a.weight(i));
    const wb = Array.from({ length: DIM }, (_, i) => b.weight(i));
    const wc = Array.from({ length: DIM }, (_, i) => c.weight(i));
    const [ba, bb, bc] = [a.bias(), b.bias(), c.bias()];
    a.mix(2, [b.toState(), c.toState()], [3, 5], 1500);
    for (let i = 0; i < DIM; i++) close(a.weight(i), (2 * wa[i] + 3 * wb[i] + 5 * wc[i]) / 10, 1e-12);
    close(a.bias(), (2 * ba + 3 * bb + 5 * bc) / 10, 1e-12);
    for (let k = 0; k < probe.length; k++) close(a.score(probe[k]), (2 * za[k] + 3 * zb[k] + 5 * zc[k]) / 10, 1e-12);
    expect(a.updates).toBe(1500);
    // the peers are untouched
    for (let k = 0; k < probe.length; k++) expect(b.score(probe[k])).toBe(zb[k]);
  });

  it('with all the weight on self changes no score (1e-13), and with none on self becomes the peer', () => {
    const [a, b] = [make(), make()];
    train(a, 4, 400);
    train(b, 5, 400);
    const probe = makeStream(30, DIM, 6, 98).xs;
    const za = probe.map((x) => a.score(x));
    const zb = probe.map((x) => b.score(x));
    a.mix(1, [b.toState()], [0], a.updates);
    for (let k = 0; k < probe.length; k++) close(a.score(probe[k]), za[k], 1e-13);
    a.mix(0, [b.toState()], [1], b.updates);
    for (let k = 0; k < probe.length; k++) close(a.score(probe[k]), zb[k], 1e-12);
  });

  it('keeps learning after a mix, and a mixed state round-trips exactly', () => {
    const [a, b] = [make(), make()];
    train(a, 6, 300);
    train(b, 7, 300);
    a.mix(1, [b.toState()], [1], 600);
    train(a, 8, 300);
    expect(a.updates).toBe(900);
    const copy = make();
    copy.fromState(a.toState());
    const probe = makeStream(20, DIM, 6, 97).xs;
    for (const x of probe) {
      expect(Number.isFinite(a.score(x))).toBe(true);
      expect(copy.score(x)).toBe(a.score(x));
    }
  });

  it('refuses weights that do not fit and states of another kind', () => {
    const [a, b] = [make(), make()];
    expect(() => a.mix(1, [b.toState()], [], 0)).toThrow(/1 state\(s\) but 0 weight/);
    expect(() => a.mix(0, [b.toState()], [0], 0)).toThrow(/sum to 0/);
    expect(() => a.mix(1, [b.toState()], [-1], 0)).toThrow(/#0 = -1 must be a finite number ≥ 0/);
    expect(() => a.mix(Number.NaN, [], [], 0)).toThrow(/of self = NaN/);
    const other = a instanceof Sgd ? new AdaGrad({ dim: DIM, learningRate: 0.1 }) : new Sgd({ dim: DIM, learningRate: 0.1 });
    expect(() => a.mix(1, [other.toState()], [1], 0)).toThrow(/kind/);
    const wrongDim = a instanceof Ftrl ? new Ftrl({ dim: DIM + 1, alpha: 0.1 }) : a instanceof Sgd ? new Sgd({ dim: DIM + 1, learningRate: 0.1 }) : new AdaGrad({ dim: DIM + 1, learningRate: 0.1 });
    expect(() => a.mix(1, [wrongDim.toState()], [1], 0)).toThrow(/length 64/);
  });
});

describe('optimiser state under mix', () => {
  it('AdaGrad averages its squared-gradient sums (exact formula, 1e-15 relative)', () => {
    const [a, b] = [new AdaGrad({ dim: DIM, learningRate: 0.1 }), new AdaGrad({ dim: DIM, learningRate: 0.1 })];
    train(a, 11, 200);
    train(b, 12, 200);
    const ga = a.toState().g2 as Float64Array;
    const gb = b.toState().g2 as Float64Array;
    const bga = a.toState().biasG2 as number;
    const bgb = b.toState().biasG2 as number;
    a.mix(1, [b.toState()], [3], 400);
    const g = a.toState().g2 as Float64Array;
    for (let i = 0; i < DIM; i++) close(g[i], 0.25 * ga[i] + 0.75 * gb[i], 1e-15);
    close(a.toState().biasG2 as number, 0.25 * bga + 0.75 * bgb, 1e-15);
  });

  it('FTRL averages n and keeps every coordinate that L1 clips to 0 in all models at 0', () => {
    const [a, b] = [new Ftrl({ dim: DIM, alpha: 0.2, l1: 0.5 }), new Ftrl({ dim: DIM, alpha: 0.2, l1: 0.5 })];
    train(a, 13, 300);
    train(b, 14, 300);
    const na = a.toState().n as Float64Array;
    const nb = b.toState().n as Float64Array;
    const zeroBoth = Array.from({ length: DIM }, (_, i) => a.weight(i) === 0 && b.weight(i) === 0);
    expect(zeroBoth.some(Boolean)).toBe(true);
    a.mix(1, [b.toState()], [1], 600);
    const n = a.toState().n as Float64Array;
    for (let i = 0; i < DIM; i++) {
      close(n[i], 0.5 * na[i] + 0.5 * nb[i], 1e-15);
      if (zeroBoth[i]) expect(a.weight(i)).toBe(0);
    }
  });

  it('Sgd invscaling advances t by the change of updates (the rate decays with the mixed model\'s events)', () => {
    const a = new Sgd({ dim: DIM, learningRate: 0.2, schedule: 'invscaling', powerT: 0.5 });
    const b = new Sgd({ dim: DIM, learningRate: 0.2, schedule: 'invscaling', powerT: 0.5 });
    train(a, 15, 100);
    train(b, 16, 100);
    expect(a.currentRate()).toBeCloseTo(0.2 / Math.sqrt(101), 15);
    a.mix(1, [b.toState()], [1], 200);
    expect(a.currentRate()).toBeCloseTo(0.2 / Math.sqrt(201), 15);
  });
});

describe.each(Object.entries(makers))('%s: toState(share)', (_name, make) => {
  const arrays = (s: Record<string, unknown>): [string, Float64Array][] =>
    Object.entries(s).filter((e): e is [string, Float64Array] => e[1] instanceof Float64Array);

  it('shares the live arrays with toState(true), equal to the copies of toState(), and copies by default', () => {
    const o = make();
    train(o, 5, 300);
    const copied = o.toState();
    const shared = o.toState(true);
    const shared2 = o.toState(true);
    expect(arrays(shared).length).toBeGreaterThan(0);
    for (const [k, v] of arrays(shared)) {
      expect(v).toBe(shared2[k]); // the same object twice: no copy
      expect(v).not.toBe(copied[k]);
      expect(Array.from(v)).toEqual(Array.from(copied[k] as Float64Array));
    }
    const frozen = arrays(copied).map(([k, v]): [string, number[]] => [k, Array.from(v)]);
    train(o, 6, 50);
    // the copy is unaffected by later steps; the shared arrays are the model's own and moved with it
    for (const [k, before] of frozen) expect(Array.from(copied[k] as Float64Array)).toEqual(before);
    expect(arrays(shared).some(([k, v]) => Array.from(v).join() !== frozen.find((f) => f[0] === k)![1].join())).toBe(true);
    expect(arrays(o.toState()).map(([k, v]) => [k, Array.from(v)])).toEqual(arrays(shared).map(([k, v]) => [k, Array.from(v)]));
  });
});
