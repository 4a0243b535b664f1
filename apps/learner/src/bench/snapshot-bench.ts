/**
 * CPU cost of one model snapshot record: `encodeSnapshotValue` (what the checkpointing writes every
 * N events) and `decodeSnapshotValue` (what a restart, and every learner of a group reading its
 * peers, does) of a realistic default-model state: an OnlineLearner with the default options
 * (2^18 hashed slots, SGD, metrics, calibrators, drift detectors) after `--events` events of the
 * benchmark stream (20 named features, so a few dozen non-zero weights: the base64 is mostly runs
 * of `A`). Also times the core steps on their own (`encodeSnapshot` to text, `decodeSnapshot` of the
 * text). Each figure is the median of `--rounds` timed calls after `--warmup` untimed ones, as CPU
 * time of this process and as wall-clock time. Prints one JSON object (with the machine it ran on).
 *
 *   node node_modules/.cache/snapshot-bench.mjs [--events 20000] [--rounds 15] [--warmup 5] [--weights learned|dense]
 *
 * `--weights dense` sets every one of the 2^18 weights non-zero (no runs of `A`): the worst case.
 * `toState` is the learner's own copy of its state that the checkpointing takes before encoding.
 *
 * Build (not part of tsup's entries), in apps/learner: `npx esbuild src/bench/snapshot-bench.ts
 * --bundle --platform=node --format=esm --conditions=source --outfile=node_modules/.cache/snapshot-bench.mjs`
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { decodeSnapshot, encodeSnapshot, OnlineLearner, type SnapshotPayload } from '@logit-stream/core';
import { decodeSnapshotValue, encodeSnapshotValue } from '../checkpoint/snapshot-value.js';
import { BenchEventFactory } from './bench-event-factory.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '5' },
    weights: { type: 'string', default: 'learned' },
  },
});
const events = Number(args.events);
const rounds = Number(args.rounds);
const warmup = Number(args.warmup);
const weights = args.weights;
if (weights !== 'learned' && weights !== 'dense') throw new Error(`--weights ${weights}: use learned (the trained, mostly zero weights) or dense (every slot non-zero: the worst case)`);

/** The payload the checkpointing writes for a default learner after `n` benchmark events. */
function defaultPayload(n: number): SnapshotPayload {
  const learner = new OnlineLearner({}, 'learner-0');
  const factory = new BenchEventFactory({ seed: 1 });
  const ev = learner.newEvent();
  const out = learner.newScore();
  for (let i = 0; i < n; i++) {
    const rejected = learner.decoder.decode(Buffer.from(factory.next(`b-${i}`, 1_700_000_000_000 + i)), ev);
    if (rejected !== null) throw new Error(`bench event ${i} rejected: ${JSON.stringify(rejected)}`);
    learner.process(ev, out, i);
  }
  const state = learner.toState();
  if (weights === 'dense') {
    // every slot non-zero: no runs of A to take whole (the worst case for the writer and the checksum)
    const w = (state.optimizer as Record<string, unknown>).w as Float64Array;
    for (let i = 0; i < w.length; i++) w[i] = Math.sin(i + 1) * 0.01;
  }
  const config = { seq: 7, groupId: 'logit-learner', options: learner.options, learned: n, mixed: {} };
  return { learnerId: learner.learnerId, createdAt: 1_700_000_000_000, offsets: [{ topic: 'events', partition: 0, next: String(n) }], state, config };
}

/**
 * Median ms of `rounds` calls of `f` after `warmup` untimed ones: this process's CPU time (user +
 * system, GC included: what the snapshot costs the learner) and wall-clock time (which also counts
 * waiting for a core on a shared machine).
 */
function median(f: () => unknown): { cpuMs: number; wallMs: number } {
  for (let i = 0; i < warmup; i++) f();
  const cpu = new Array<number>(rounds);
  const wall = new Array<number>(rounds);
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i] = (c.user + c.system) / 1000;
  }
  const mid = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[rounds >> 1] * 1000) / 1000;
  return { cpuMs: mid(cpu), wallMs: mid(wall) };
}

const payload = defaultPayload(events);
const learnerForState = OnlineLearner.fromState(payload.state);
const value = encodeSnapshotValue(payload);
const text = encodeSnapshot(payload);
const result = {
  bench: 'snapshot',
  events,
  rounds,
  envelopeChars: text.length,
  recordBytes: value.length,
  weights,
  encodeSnapshotValue: median(() => encodeSnapshotValue(payload)),
  decodeSnapshotValue: median(() => decodeSnapshotValue(value)),
  encodeSnapshot: median(() => encodeSnapshot(payload)),
  decodeSnapshot: median(() => decodeSnapshot(text)),
  // the rest of a snapshot record's cost (the checkpointing calls it before encodeSnapshotValue)
  toState: median(() => learnerForState.toState()),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadavg1: Math.round(loadavg()[0] * 100) / 100, node: process.version },
};
process.stdout.write(JSON.stringify(result) + '\n');
