import { cpus, loadavg } from 'node:os';
import { SparseVector } from '../features/sparse-vector.js';
import { PlattCalibrator } from '../calibration/platt-calibrator.js';
import { LogLoss } from '../losses/log-loss.js';
import { sigmoid } from '../math/sigmoid.js';
import { AdaGrad } from '../optim/adagrad.js';
import { Ftrl } from '../optim/ftrl.js';
import { Sgd } from '../optim/sgd.js';
import { ForwardCorrectedLoss } from '../noise/forward-corrected-loss.js';

/** A benchmark workload: sparse hashed events (nnz of 2^bits slots) or dense events (all dim coordinates). */
export interface BenchCase {
  readonly name: string;
  readonly kind: 'sparse' | 'dense';
  /** Number of weight slots. */
  readonly dim: number;
  /** Non-zeros per event (= dim for dense). */
  readonly nnz: number;
  /** Distinct pre-generated events, cycled through. */
  readonly distinct: number;
  /** Events per timed repetition. */
  readonly events: number;
}

/**
 * Optimisers under test, and the hand-written baseline loop. A `-nc` suffix adds what the learner does with noise
 * correction and calibration on: the gradient of the forward-corrected loss (ρ0 = ρ1 = 0.1) instead of the plain log
 * loss, a Platt calibrator learning from each score, and predictions through the calibrator.
 */
export type BenchOptimizer = 'baseline' | 'sgd' | 'adagrad' | 'ftrl' | 'sgd-nc' | 'adagrad-nc' | 'ftrl-nc';

/** One (case, optimiser) measurement: the median of `reps` repetitions, in events per second. */
export interface BenchResult {
  readonly case: string;
  readonly optimizer: BenchOptimizer;
  /** Events per wall-clock second (median). */
  readonly learnPerSec: number;
  readonly predictPerSec: number;
  /** Events per CPU second of the benchmark process (median): robust to other processes taking the cores. */
  readonly learnPerCpuSec: number;
  readonly predictPerCpuSec: number;
  readonly reps: number;
  readonly eventsPerRep: number;
}

/** The default cases: 20-nnz hashed events into 2^18 slots, 20- and 100-dimensional dense events. */
export function benchCases(quick: boolean): BenchCase[] {
  const f = quick ? 1 / 50 : 1;
  return [
    { name: 'sparse20-2^18', kind: 'sparse', dim: 2 ** 18, nnz: 20, distinct: 16384, events: Math.round(1_000_000 * f) },
    { name: 'dense20', kind: 'dense', dim: 20, nnz: 20, distinct: 4096, events: Math.round(2_000_000 * f) },
    { name: 'dense100', kind: 'dense', dim: 100, nnz: 100, distinct: 4096, events: Math.round(500_000 * f) },
  ];
}

/** Pre-generates the events of a case (deterministic; distinct indices within an event) and 0/1 labels. */
export function makeEvents(c: BenchCase, seed = 1): { xs: SparseVector[]; ys: Float64Array } {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const xs: SparseVector[] = [];
  const ys = new Float64Array(c.distinct);
  const used = new Set<number>();
  for (let t = 0; t < c.distinct; t++) {
    const x = new SparseVector(c.nnz);
    let margin = 0;
    if (c.kind === 'dense') {
      for (let j = 0; j < c.dim; j++) {
        const v = rnd() * 2 - 1;
        x.push(j, v);
        margin += (j % 2 === 0 ? 1 : -1) * v;
      }
    } else {
      used.clear();
      while (x.nnz < c.nnz) {
        const i = Math.floor(rnd() * c.dim);
        if (used.has(i)) continue;
        used.add(i);
        x.push(i, 1);
        margin += i % 2 === 0 ? 0.3 : -0.3;
      }
    }
    ys[t] = rnd() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
    xs.push(x);
  }
  return { xs, ys };
}

// One loop per concrete class, so that every call site stays monomorphic (as in a learner process, which
// uses a single optimiser class). The loops do nothing but what the learner's hot path does.
const logLoss = new LogLoss();

function learnSgd(o: Sgd, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    o.step(x, logLoss.gradient(o.score(x), ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function learnAdaGrad(o: AdaGrad, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    o.step(x, logLoss.gradient(o.score(x), ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function learnFtrl(o: Ftrl, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    o.step(x, logLoss.gradient(o.score(x), ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function predictSgd(o: Sgd, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += sigmoid(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}
function predictAdaGrad(o: AdaGrad, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += sigmoid(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}
function predictFtrl(o: Ftrl, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += sigmoid(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}

// The same loops with noise correction and calibration (one function per class again: monomorphic call sites).
function learnSgdNc(o: Sgd, loss: ForwardCorrectedLoss, cal: PlattCalibrator, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    const z = o.score(x);
    cal.learnOne(z, ys[j]);
    o.step(x, loss.gradient(z, ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function learnAdaGradNc(o: AdaGrad, loss: ForwardCorrectedLoss, cal: PlattCalibrator, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    const z = o.score(x);
    cal.learnOne(z, ys[j]);
    o.step(x, loss.gradient(z, ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function learnFtrlNc(o: Ftrl, loss: ForwardCorrectedLoss, cal: PlattCalibrator, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    const z = o.score(x);
    cal.learnOne(z, ys[j]);
    o.step(x, loss.gradient(z, ys[j]));
    if (++j === n) j = 0;
  }
  return o.bias();
}
function predictSgdNc(o: Sgd, cal: PlattCalibrator, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += cal.predict(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}
function predictAdaGradNc(o: AdaGrad, cal: PlattCalibrator, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += cal.predict(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}
function predictFtrlNc(o: Ftrl, cal: PlattCalibrator, xs: SparseVector[], events: number): number {
  const n = xs.length;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    acc += cal.predict(o.score(xs[j]));
    if (++j === n) j = 0;
  }
  return acc;
}

/** The BASELINE: a hand-written plain Float64Array SGD loop, the same update as Sgd without L2. */
class Baseline {
  readonly w: Float64Array;
  b = 0;
  constructor(
    dim: number,
    readonly eta: number,
  ) {
    this.w = new Float64Array(dim);
  }
}
function learnBaseline(m: Baseline, xs: SparseVector[], ys: Float64Array, events: number): number {
  const n = xs.length;
  const w = m.w;
  const eta = m.eta;
  let b = m.b;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    const idx = x.idx;
    const val = x.val;
    const nnz = x.nnz;
    let z = 0;
    for (let k = 0; k < nnz; k++) z += w[idx[k]] * val[k];
    z += b;
    const u = eta * (sigmoid(z) - ys[j]);
    for (let k = 0; k < nnz; k++) w[idx[k]] -= u * val[k];
    b -= u;
    if (++j === n) j = 0;
  }
  m.b = b;
  return b;
}
function predictBaseline(m: Baseline, xs: SparseVector[], events: number): number {
  const n = xs.length;
  const w = m.w;
  const b = m.b;
  let acc = 0;
  for (let t = 0, j = 0; t < events; t++) {
    const x = xs[j];
    const idx = x.idx;
    const val = x.val;
    const nnz = x.nnz;
    let z = 0;
    for (let k = 0; k < nnz; k++) z += w[idx[k]] * val[k];
    acc += sigmoid(z + b);
    if (++j === n) j = 0;
  }
  return acc;
}

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Keeps results observable so that no loop is optimised away. */
let sink = 0;

/** The learn and predict loops of one contestant on pre-generated events, each returning a value to keep. */
export interface Contestant {
  readonly optimizer: BenchOptimizer;
  learn(events: number): number;
  predict(events: number): number;
}

/** Builds a contestant (the optimiser with its events) for a case. */
export function contestant(c: BenchCase, optimizer: BenchOptimizer): Contestant {
  const { xs, ys } = makeEvents(c);
  const eta = 0.01;
  if (optimizer === 'sgd') {
    const o = new Sgd({ dim: c.dim, learningRate: eta });
    return { optimizer, learn: (e) => learnSgd(o, xs, ys, e), predict: (e) => predictSgd(o, xs, e) };
  }
  if (optimizer === 'adagrad') {
    const o = new AdaGrad({ dim: c.dim, learningRate: eta });
    return { optimizer, learn: (e) => learnAdaGrad(o, xs, ys, e), predict: (e) => predictAdaGrad(o, xs, e) };
  }
  if (optimizer === 'ftrl') {
    const o = new Ftrl({ dim: c.dim, alpha: 0.1, beta: 1, l1: 0, l2: 0 });
    return { optimizer, learn: (e) => learnFtrl(o, xs, ys, e), predict: (e) => predictFtrl(o, xs, e) };
  }
  if (optimizer === 'sgd-nc' || optimizer === 'adagrad-nc' || optimizer === 'ftrl-nc') {
    const loss = new ForwardCorrectedLoss(0.1, 0.1);
    const cal = new PlattCalibrator();
    if (optimizer === 'sgd-nc') {
      const o = new Sgd({ dim: c.dim, learningRate: eta });
      return { optimizer, learn: (e) => learnSgdNc(o, loss, cal, xs, ys, e), predict: (e) => predictSgdNc(o, cal, xs, e) };
    }
    if (optimizer === 'adagrad-nc') {
      const o = new AdaGrad({ dim: c.dim, learningRate: eta });
      return { optimizer, learn: (e) => learnAdaGradNc(o, loss, cal, xs, ys, e), predict: (e) => predictAdaGradNc(o, cal, xs, e) };
    }
    const o = new Ftrl({ dim: c.dim, alpha: 0.1, beta: 1, l1: 0, l2: 0 });
    return { optimizer, learn: (e) => learnFtrlNc(o, loss, cal, xs, ys, e), predict: (e) => predictFtrlNc(o, cal, xs, e) };
  }
  const m = new Baseline(c.dim, eta);
  return { optimizer, learn: (e) => learnBaseline(m, xs, ys, e), predict: (e) => predictBaseline(m, xs, e) };
}

/** Runs f once; returns [events per wall-clock second, events per CPU second of this process]. */
function timeOnce(f: (events: number) => number, events: number): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  sink += f(events);
  const wall = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const cpu = (c1.user + c1.system) / 1e6;
  return [events / wall, events / Math.max(cpu, 1e-6)];
}

/**
 * Measures learn (score → log-loss gradient → step) and predict (score → σ) throughput of several
 * optimisers on one case: an untimed warm-up of each, then `reps` rounds in which every contestant runs
 * one timed repetition of `c.events` events (interleaved, so that load from other processes spreads over
 * all of them alike); each figure is the median over the rounds. Events are generated before timing;
 * nothing is allocated inside the timed loops.
 *
 * @param c - the workload
 * @param optimizers - which optimisers (and/or the hand-written baseline loop)
 * @param reps - timed repetitions (default 5)
 * @returns one result per optimiser, events per second
 * @example
 * const [r] = measureThroughput(benchCases(true)[1], ['sgd'], 3);
 * r.learnPerSec > 0; // true
 */
export function measureThroughput(c: BenchCase, optimizers: readonly BenchOptimizer[], reps = 5): BenchResult[] {
  const cs = optimizers.map((o) => contestant(c, o));
  const warm = Math.min(c.events, 50_000);
  for (const k of cs) {
    sink += k.learn(warm);
    sink += k.predict(warm);
  }
  const learnRates = cs.map((): [number, number][] => []);
  const predictRates = cs.map((): [number, number][] => []);
  for (let r = 0; r < reps; r++) {
    cs.forEach((k, i) => learnRates[i].push(timeOnce(k.learn, c.events)));
    cs.forEach((k, i) => predictRates[i].push(timeOnce(k.predict, c.events)));
  }
  return cs.map((k, i) => ({
    case: c.name,
    optimizer: k.optimizer,
    learnPerSec: median(learnRates[i].map((v) => v[0])),
    predictPerSec: median(predictRates[i].map((v) => v[0])),
    learnPerCpuSec: median(learnRates[i].map((v) => v[1])),
    predictPerCpuSec: median(predictRates[i].map((v) => v[1])),
    reps,
    eventsPerRep: c.events,
  }));
}

/** The whole benchmark as one JSON-ready object: machine, per-(case, optimiser) results, ratios to baseline. */
export function runBench(o: { quick?: boolean; reps?: number } = {}): {
  machine: { cpu: string; cores: number; node: string; platform: string };
  settings: { quick: boolean; reps: number; learn: string; predict: string; baseline: string; noiseAndCalibration: string };
  results: BenchResult[];
  ratios: Record<string, { learn: number; predict: number; learnCpu: number; predictCpu: number }>;
  loadAverage: number[];
  sink: number;
} {
  const quick = o.quick ?? false;
  const reps = o.reps ?? 5;
  const cs = cpus();
  const results: BenchResult[] = [];
  const ratios: Record<string, { learn: number; predict: number; learnCpu: number; predictCpu: number }> = {};
  const load0 = loadavg();
  for (const c of benchCases(quick)) {
    const [base, ...rest] = measureThroughput(c, ['baseline', 'sgd', 'adagrad', 'ftrl', 'sgd-nc', 'adagrad-nc', 'ftrl-nc'], reps);
    results.push(base, ...rest);
    for (const r of rest) {
      ratios[`${c.name}/${r.optimizer}`] = {
        learn: r.learnPerSec / base.learnPerSec,
        predict: r.predictPerSec / base.predictPerSec,
        learnCpu: r.learnPerCpuSec / base.learnPerCpuSec,
        predictCpu: r.predictPerCpuSec / base.predictPerCpuSec,
      };
    }
  }
  return {
    machine: { cpu: cs[0]?.model ?? 'unknown', cores: cs.length, node: process.version, platform: `${process.platform}-${process.arch}` },
    settings: {
      quick,
      reps,
      learn: 'events/s, median of reps: score → LogLoss.gradient → step (η = 0.01; FTRL α = 0.1, β = 1)',
      predict: 'events/s, median of reps: score → sigmoid (-nc: score → Platt calibrator)',
      noiseAndCalibration:
        "'-nc' optimisers: ForwardCorrectedLoss(ρ0 = ρ1 = 0.1) gradient and PlattCalibrator.learnOne per learned event, calibrated prediction",
      baseline:
        'hand-written Float64Array SGD loop, same update as Sgd without L2; ratios = optimiser / baseline ' +
        '(learn/predict on wall-clock rates, learnCpu/predictCpu on CPU-time rates); loadAverage = 1-min load before and after',
    },
    results,
    ratios,
    loadAverage: [load0[0], loadavg()[0]],
    sink: Number.isFinite(sink) ? 1 : 0,
  };
}
