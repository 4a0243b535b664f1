import { SparseVector } from '../features/sparse-vector.js';
import { LogLoss } from '../losses/log-loss.js';
import { sigmoid } from '../math/sigmoid.js';
import { Sgd } from '../optim/sgd.js';

/** Dense rows as the bench's data files hold them: `x` row-major (rows × dim), `y` the 0/1 labels. */
export interface DenseRows {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly dim: number;
  readonly rows: number;
}

/** The outcome of one prequential SGD pass: mean log loss (p clipped to [1e-15, 1 − 1e-15]) and the final model. */
export interface PrequentialPass {
  readonly rows: number;
  readonly logLoss: number;
  readonly bias: number;
  readonly weights: Float64Array;
}

const P_MIN = 1e-15;
const logLoss = new LogLoss();

/** Copies row i of a dense matrix into a reused vector whose indices are already 0..dim−1. */
function fillRow(v: SparseVector, x: Float64Array, i: number, dim: number): void {
  const val = v.val;
  const o = i * dim;
  for (let k = 0; k < dim; k++) val[k] = x[o + k];
}

function denseVector(dim: number): SparseVector {
  const v = new SparseVector(dim);
  for (let k = 0; k < dim; k++) v.push(k, 0);
  return v;
}

/**
 * One prequential pass of the kernel's constant-rate {@link Sgd} (no L2) over the first `rows` rows: score each row,
 * add its log loss, then learn from it — the protocol of scikit-learn's per-event `partial_fit`, River's
 * `learn_one` and VW's progressive loss, so the mean losses are comparable to 1e-6 (the bench's parity fixture).
 *
 * @param d - the rows
 * @param learningRate - η (constant)
 * @param rows - how many leading rows (default all)
 * @returns mean prequential log loss and the final bias/weights
 * @example
 * const r = prequentialSgd({ x: new Float64Array([1, -1]), y: new Float64Array([1, 0]), dim: 1, rows: 2 }, 0.05);
 * r.rows;    // 2
 * r.logLoss; // (ln 2 − ln(1 − σ(0.05 · 0.5 · −1 + 0.05 · 0.5))) / 2 = ln 2 (the second row's score is 0)
 */
export function prequentialSgd(d: DenseRows, learningRate: number, rows = d.rows): PrequentialPass {
  const o = new Sgd({ dim: d.dim, learningRate });
  const v = denseVector(d.dim);
  const { x, y, dim } = d;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    fillRow(v, x, i, dim);
    const z = o.score(v);
    const s = sigmoid(z);
    const p = s < P_MIN ? P_MIN : s > 1 - P_MIN ? 1 - P_MIN : s;
    const t = y[i];
    total -= t >= 0.5 ? Math.log(p) : Math.log(1 - p);
    o.step(v, s - t); // = LogLoss.gradient(z, t) = σ(z) − y, with σ(z) computed once
  }
  const weights = new Float64Array(dim);
  for (let k = 0; k < dim; k++) weights[k] = o.weight(k);
  return { rows, logLoss: total / rows, bias: o.bias(), weights };
}

/** Learn-only pass (score → gradient → step, no loss bookkeeping): what a compiled epoch does. Returns the bias. */
function learnOnly(d: DenseRows, learningRate: number, rows: number): number {
  const o = new Sgd({ dim: d.dim, learningRate });
  const v = denseVector(d.dim);
  const { x, y, dim } = d;
  for (let i = 0; i < rows; i++) {
    fillRow(v, x, i, dim);
    o.step(v, logLoss.gradient(o.score(v), y[i]));
  }
  return o.bias();
}

/** Rows per block of pre-decoded events in {@link learnDecoded}. */
const BLOCK = 16_384;

/**
 * Learn-only pass over events already in the kernel's event format: the rows are decoded (copied into a block of
 * SparseVectors) outside the clock, block by block, and only score → gradient → step is timed, as a compiled epoch
 * reads rows that are already decoded in memory. Same updates in the same order as {@link learnOnly}.
 * Returns [CPU seconds, wall seconds, bias].
 */
function learnDecoded(d: DenseRows, learningRate: number, rows: number, block: SparseVector[]): [number, number, number] {
  const o = new Sgd({ dim: d.dim, learningRate });
  const { x, y, dim } = d;
  let cpu = 0;
  let wall = 0;
  for (let s = 0; s < rows; s += BLOCK) {
    const n = Math.min(BLOCK, rows - s);
    for (let r = 0; r < n; r++) fillRow(block[r], x, s + r, dim);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < n; r++) {
      const v = block[r];
      o.step(v, logLoss.gradient(o.score(v), y[s + r]));
    }
    wall += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
  }
  return [cpu / 1e6, wall / 1000, o.bias()];
}

/** Rates of {@link timePrequentialSgd}: medians over the repetitions. */
export interface PrequentialTiming {
  readonly rows: number;
  readonly reps: number;
  /** Learn-only pass (score → gradient → step), events per CPU second / per wall-clock second. */
  readonly learnPerCpuSec: number;
  readonly learnPerSec: number;
  /** Learn-only on pre-decoded events (the row copy into the event vector not timed), per CPU / wall second. */
  readonly learnDecodedPerCpuSec: number;
  readonly learnDecodedPerSec: number;
  /** The decoded pass ends with the same bias as the plain pass (same updates in the same order). */
  readonly learnDecodedBias: number;
  /** Prequential pass (score → σ → log loss → gradient → step). */
  readonly prequentialPerCpuSec: number;
  readonly prequentialPerSec: number;
  /** Mean prequential log loss of the pass over `rows`, and of the leading rows at each requested prefix. */
  readonly logLoss: number;
  readonly logLossAt: Record<string, number>;
  readonly bias: number;
  readonly weights: number[];
}

function median(a: number[]): number {
  const s = a.slice().sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let keep = 0;

/**
 * Times the kernel's Sgd on dense rows from a file, the same rows the peers learn from: `reps` rounds of a learn-only
 * pass on pre-decoded events (see learnDecoded), a learn-only pass copying each row into the event vector, and a
 * prequential pass over all rows (fresh optimiser each), CPU time of this process and wall clock; also the prequential log loss over each prefix in `prefixes` (so a peer that ran fewer rows compares
 * with the same rows). Nothing is allocated per event.
 *
 * @param d - the rows
 * @param learningRate - η
 * @param prefixes - row counts at which to report the prequential log loss
 * @param reps - timed rounds (default 5)
 * @example
 * const t = timePrequentialSgd(rows, 0.05, [20000], 3);
 * t.learnPerCpuSec; // events per CPU second
 */
export function timePrequentialSgd(d: DenseRows, learningRate: number, prefixes: readonly number[], reps = 5): PrequentialTiming {
  const rows = d.rows;
  const warm = Math.min(rows, 50_000);
  keep += learnOnly(d, learningRate, warm) + prequentialSgd(d, learningRate, warm).logLoss;
  const learn: [number, number][] = [];
  const decoded: [number, number][] = [];
  const preq: [number, number][] = [];
  const block: SparseVector[] = [];
  for (let r = 0; r < Math.min(BLOCK, rows); r++) block.push(denseVector(d.dim));
  let last: PrequentialPass | null = null;
  let decodedBias = Number.NaN;
  for (let r = 0; r < reps; r++) {
    const [dc, dw, db] = learnDecoded(d, learningRate, rows, block);
    decoded.push([rows / dc, rows / dw]);
    decodedBias = db;
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    keep += learnOnly(d, learningRate, rows);
    let c = process.cpuUsage(c0);
    learn.push([rows / ((c.user + c.system) / 1e6), rows / ((performance.now() - t0) / 1000)]);
    c0 = process.cpuUsage();
    t0 = performance.now();
    last = prequentialSgd(d, learningRate, rows);
    c = process.cpuUsage(c0);
    preq.push([rows / ((c.user + c.system) / 1e6), rows / ((performance.now() - t0) / 1000)]);
  }
  const logLossAt: Record<string, number> = {};
  for (const n of prefixes) if (n > 0 && n <= rows) logLossAt[String(n)] = prequentialSgd(d, learningRate, n).logLoss;
  const pass = last ?? prequentialSgd(d, learningRate, rows);
  return {
    rows,
    reps,
    learnPerCpuSec: median(learn.map((v) => v[0])),
    learnPerSec: median(learn.map((v) => v[1])),
    learnDecodedPerCpuSec: median(decoded.map((v) => v[0])),
    learnDecodedPerSec: median(decoded.map((v) => v[1])),
    learnDecodedBias: decodedBias,
    prequentialPerCpuSec: median(preq.map((v) => v[0])),
    prequentialPerSec: median(preq.map((v) => v[1])),
    logLoss: pass.logLoss,
    logLossAt,
    bias: pass.bias,
    weights: Array.from(pass.weights),
  };
}

/** Keeps the timed loops' results observable (so no loop is optimised away); always finite. */
export function prequentialSink(): number {
  return Number.isFinite(keep) ? 1 : 0;
}
