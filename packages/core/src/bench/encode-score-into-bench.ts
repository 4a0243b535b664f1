/**
 * ns per score record of the two ways to get a score's JSON into bytes: encodeScoreInto straight
 * into a buffer, vs encodeScore's string, then what a sink does with it (Buffer.byteLength, which
 * flattens the cons-string, then buf.write). Scores like the learner's: a 13-digit ts, a logit, its
 * sigmoid, a calibrated p (with `--uncalibrated`: p itself, the default learner's), a growing modelVersion, a 0/1 label, ids `b-<n>`, a learnerId. Each way
 * in its own monomorphic loop, alternating, best of 30 passes of 100 000 records; also checks that
 * both give the same bytes. Prints one JSON object. Run from the repository root:
 * `npx esbuild packages/core/src/bench/encode-score-into-bench.ts --bundle --platform=node --format=esm --conditions=source --outfile=/tmp/encode-score-into-bench.mjs && node /tmp/encode-score-into-bench.mjs`
 */
import { Rng } from '@logit-stream/kernel';
import { encodeScore } from '../events/encode-score.js';
import { encodeScoreInto, scoreBytesBound } from '../events/encode-score-into.js';
import type { Score } from '../events/types.js';

const n = 100_000;
/** `--uncalibrated`: pCalibrated = p, as the learner writes it without --calibration (the default). */
const uncalibrated = process.argv.includes('--uncalibrated');
const r = new Rng(1);
const scores: Score[] = [];
for (let i = 0; i < n; i++) {
  const z = 2 * r.gaussian();
  const p = 1 / (1 + Math.exp(-z));
  scores.push({ id: `b-${i}`, ts: 1_732_300_000_000 + i, z, p, pCalibrated: uncalibrated ? p : 0.98 * p + 0.01, modelVersion: 1000 + i, label: i & 1 });
}
const learnerId = 'learner-0';
const a = Buffer.allocUnsafe(1 << 16);
const b = Buffer.allocUnsafe(1 << 16);

function intoBytes(): number {
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (a.length - at < scoreBytesBound(scores[i].id, learnerId)) at = 0;
    at = encodeScoreInto(scores[i], learnerId, a, at);
  }
  return at;
}
function viaString(): number {
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = encodeScore(scores[i], learnerId);
    const len = Buffer.byteLength(v);
    if (b.length - at < len) at = 0;
    at += b.write(v, at);
  }
  return at;
}

let same = 0;
for (let i = 0; i < 1000; i++) {
  const end = encodeScoreInto(scores[i], learnerId, a, 0);
  if (Buffer.from(encodeScore(scores[i], learnerId)).equals(a.subarray(0, end))) same++;
}
let best = [Infinity, Infinity];
for (let rep = 0; rep < 30; rep++) {
  let t = performance.now();
  intoBytes();
  best = [Math.min(best[0], performance.now() - t), best[1]];
  t = performance.now();
  viaString();
  best = [best[0], Math.min(best[1], performance.now() - t)];
}
const ns = (ms: number): number => Math.round((ms * 1e6) / n);
process.stdout.write(
  `${JSON.stringify({ bench: 'score JSON to bytes, ns per record', sameBytes: `${same}/1000`, encodeScoreInto: ns(best[0]), encodeScoreByteLengthWrite: ns(best[1]) })}\n`,
);
