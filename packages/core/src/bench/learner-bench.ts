/**
 * Throughput of {@link OnlineLearner.process} (score → metrics → drift → learn) for a few
 * configurations on pre-generated events (no decoding), next to the bare kernel loop (Sgd score +
 * step) on the same events, and the short-lived garbage per event. Prints one JSON object. Run after `pnpm --filter @logit-stream/core build`:
 * `node packages/core/dist/bench/learner-bench.js [--quick]`.
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Rng, Sgd, sigmoid } from '@logit-stream/kernel';
import { OnlineLearner } from '../learner/online-learner.js';
import type { LearnerOptionsInput } from '../learner/options.js';

const quick = process.argv.includes('--quick');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const N_EVENTS = quick ? 200_000 : 1_000_000;
const POOL = 4096;

interface Case {
  name: string;
  options: LearnerOptionsInput;
  nnz: number;
  hashed: boolean;
}

const dense20 = { kind: 'dense', dim: 20 } as const;
const cases: Case[] = [
  { name: 'dense20 sgd, no detectors', options: { features: dense20, drift: { detectors: [] } }, nnz: 20, hashed: false },
  { name: 'dense20 sgd + adwin (defaults)', options: { features: dense20 }, nnz: 20, hashed: false },
  {
    name: 'dense20 adagrad + platt + standardize + adwin',
    options: { features: dense20, optimizer: 'adagrad', calibration: 'platt', standardize: true },
    nnz: 20,
    hashed: false,
  },
  {
    name: 'dense20 ftrl + isotonic + backward + adwin/page-hinkley/ddm',
    options: {
      features: dense20,
      optimizer: 'ftrl',
      calibration: 'isotonic',
      noiseCorrection: 'backward',
      noiseRates: [0.1, 0.1],
      drift: { detectors: ['adwin', 'page-hinkley', 'ddm'] },
    },
    nnz: 20,
    hashed: false,
  },
  { name: 'hashed 2^18, 20 nnz, sgd + adwin (defaults)', options: {}, nnz: 20, hashed: true },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function runCase(c: Case): Record<string, unknown> {
  const rng = new Rng(3);
  const idx = new Int32Array(POOL * c.nnz);
  const val = new Float64Array(POOL * c.nnz);
  const lab = new Float64Array(POOL);
  for (let e = 0; e < POOL; e++) {
    let s = 0;
    for (let k = 0; k < c.nnz; k++) {
      idx[e * c.nnz + k] = c.hashed ? rng.nextInt(1 << 18) : k;
      val[e * c.nnz + k] = rng.gaussian();
      s += val[e * c.nnz + k] * ((k % 3) - 1);
    }
    lab[e] = rng.next() < sigmoid(s) ? 1 : 0;
  }
  const learner = new OnlineLearner(c.options);
  const ev = learner.newEvent();
  const out = learner.newScore();
  const sgd = new Sgd({ dim: c.hashed ? 1 << 18 : c.nnz, learningRate: 0.05 });
  const nnz = c.nnz;
  const fill = (e: number): void => {
    ev.x.clear();
    for (let k = 0; k < nnz; k++) ev.x.push(idx[e * nnz + k], val[e * nnz + k]);
  };
  const learnerLoop = (n: number): void => {
    for (let t = 0; t < n; t++) {
      const e = t & (POOL - 1);
      fill(e);
      ev.label = lab[e];
      learner.process(ev, out, t);
    }
  };
  const bareLoop = (n: number): void => {
    for (let t = 0; t < n; t++) {
      const e = t & (POOL - 1);
      fill(e);
      const z = sgd.score(ev.x);
      sgd.step(ev.x, sigmoid(z) - lab[e]);
    }
  };
  learnerLoop(100_000);
  bareLoop(100_000);
  const reps = 3;
  const learnerRates: number[] = [];
  const bareRates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t0 = process.hrtime.bigint();
    learnerLoop(N_EVENTS);
    learnerRates.push(N_EVENTS / (Number(process.hrtime.bigint() - t0) / 1e9));
    t0 = process.hrtime.bigint();
    bareLoop(N_EVENTS);
    bareRates.push(N_EVENTS / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  // Short-lived garbage per event: heap growth over 10k events right after a full GC (10k × ~100 B
  // stays far below the young generation, so no scavenge runs in between); minimum of 5 tries.
  let alloc = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 5; r++) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    learnerLoop(10_000);
    alloc = Math.min(alloc, (process.memoryUsage().heapUsed - h0) / 10_000);
  }
  return {
    case: c.name,
    allocatedBytesPerEvent: Math.round(alloc),
    learnerEventsPerSec: Math.round(median(learnerRates)),
    bareKernelLoopEventsPerSec: Math.round(median(bareRates)),
  };
}

const results = cases.map(runCase);
process.stdout.write(
  `${JSON.stringify({
    bench: 'online-learner process',
    events: N_EVENTS,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadavg: os.loadavg(), node: process.version },
    results,
  })}\n`,
);
