/**
 * The long check of `writeJsNumber` against `String(x)` (byte for byte), too long for the unit tests:
 * millions of doubles in ten kinds (random bit patterns, random probabilities (0,1), sigmoid
 * outputs, logits 3·N(0,1), short decimals d·10^e with 1–6 digits for every e, random integers
 * 2^53…2^72, ±200 ulps around 1e-7 / 1e21 / 2^53, ±40 ulps around every power of ten and two,
 * subnormals), each also negated. Then a micro-bench: ns per call of writeJsNumber vs the characters
 * of `'' + x` copied into the same bytes (each in its own loop, alternating, best of 30 passes of
 * 200 000 values), on sigmoid outputs, logits, ts-like integers and random bit patterns (all
 * distinct: V8's number-string cache does not help the string path). Prints one JSON object; exits 1
 * on any wrong case. Run from the repository root:
 * `npx esbuild packages/core/src/bench/write-js-number-check.ts --bundle --platform=node --format=esm --conditions=source --outfile=/tmp/write-js-number-check.mjs && node /tmp/write-js-number-check.mjs [--cases 3000000] [--seed 1]`
 */
import { Rng } from '@logit-stream/kernel';
import { writeJsNumber } from '../events/write-js-number.js';

const arg = (name: string, d: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : d;
};
const total = arg('--cases', 3_000_000);
const r = new Rng(arg('--seed', 1));
const buf = new Uint8Array(64);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const counts: Record<string, number> = {};
const wrong: string[] = [];
let cases = 0;
let wrongCount = 0;

function check(kind: string, x: number): void {
  if (!Number.isFinite(x)) return;
  for (let sign = 0; sign < 2; sign++, x = -x) {
    const want = String(x);
    const end = writeJsNumber(x, buf, 0);
    let ok = end === want.length;
    for (let i = 0; ok && i < end; i++) ok = buf[i] === want.charCodeAt(i);
    cases++;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (!ok) {
      wrongCount++;
      if (wrong.length < 50) wrong.push(`${kind} ${want} → ${String.fromCharCode(...buf.subarray(0, end))}`);
    }
  }
}
const fromBits = (hi: number, lo: number): number => {
  words[1] = hi;
  words[0] = lo;
  return bits[0];
};
/** The double `d` steps (ulps) away from positive x, by bits. */
function step(x: number, d: number): number {
  bits[0] = x;
  const v = words[1] * 4294967296 + words[0] + d;
  return fromBits(Math.floor(v / 4294967296), v % 4294967296);
}
const around = (kind: string, x: number, n: number): void => {
  for (let d = -n; d <= n; d++) check(kind, step(x, d));
};

const t0 = performance.now();
for (const x of [1e-7, 1e21, 2 ** 53]) around('±200 ulps at 1e-7, 1e21, 2^53', x, 200);
for (let e = -323; e <= 308; e++) around('±40 ulps at 10^e', Number(`1e${e}`), 40);
for (let e = -1074; e <= 1023; e++) around('±40 ulps at 2^e', 2 ** e, 40);
for (let t = 1; t <= 100000; t++) check('subnormals 1…100000 · 2^-1074', t * Number.MIN_VALUE);
while (cases < total) {
  check('random bits', fromBits(r.nextInt(0x100000000), r.nextInt(0x100000000)));
  check('random (0,1)', r.next());
  check('random (0,1)', Math.random());
  check('sigmoid(4·gaussian)', 1 / (1 + Math.exp(-4 * r.gaussian())));
  check('logit 3·gaussian', 3 * r.gaussian());
  const digits = 1 + r.nextInt(6);
  check('d·10^e, 1-6 digits', Number(`${r.nextInt(10 ** digits)}e${r.nextInt(640) - 330}`));
  check('integers 2^53…2^72', Math.floor(2 ** (53 + r.next() * 19)));
  check('random subnormal', fromBits(r.nextInt(0x100000), r.nextInt(0x100000000)));
}
const seconds = (performance.now() - t0) / 1000;

// micro-bench: each writer in its own function (monomorphic), alternating, best of 30 passes
const out = new Uint8Array(64);
function direct(xs: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += writeJsNumber(xs[i], out, i & 31);
  return sum;
}
function viaString(xs: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = '' + xs[i];
    const at = i & 31;
    for (let j = 0; j < s.length; j++) out[at + j] = s.charCodeAt(j);
    sum += at + s.length;
  }
  return sum;
}
function nsPerValue(xs: Float64Array): { writeJsNumber: number; stringThenCopy: number } {
  let bd = Infinity;
  let bs = Infinity;
  for (let rep = 0; rep < 30; rep++) {
    let t = performance.now();
    direct(xs);
    bd = Math.min(bd, performance.now() - t);
    t = performance.now();
    viaString(xs);
    bs = Math.min(bs, performance.now() - t);
  }
  return { writeJsNumber: Math.round((bd * 1e7) / xs.length) / 10, stringThenCopy: Math.round((bs * 1e7) / xs.length) / 10 };
}
const n = 200_000;
const probs = new Float64Array(n);
for (let i = 0; i < n; i++) probs[i] = 1 / (1 + Math.exp(-4 * r.gaussian()));
const ts = new Float64Array(n);
for (let i = 0; i < n; i++) ts[i] = 1_732_300_000_000 + i * 37;
const anyBits = new Float64Array(n);
for (let i = 0; i < n; i++) {
  do anyBits[i] = fromBits(r.nextInt(0x100000000), r.nextInt(0x100000000));
  while (!Number.isFinite(anyBits[i]));
}
const logits = new Float64Array(n);
for (let i = 0; i < n; i++) logits[i] = 3 * r.gaussian();
const nsPerCall = { sigmoidProbabilities: nsPerValue(probs), logits: nsPerValue(logits), tsIntegers: nsPerValue(ts), randomBits: nsPerValue(anyBits) };

process.stdout.write(
  `${JSON.stringify({ check: 'writeJsNumber vs String(x), byte for byte', cases, wrong: wrongCount, examples: wrong, counts, seconds: Math.round(seconds * 10) / 10, nsPerCall })}\n`,
);
if (wrongCount > 0) process.exitCode = 1;
