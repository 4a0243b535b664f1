/**
 * The long check of `eiselLemire` against `Number(text)` (Object.is), too long for the unit tests:
 * millions of random cases in six kinds (shortest forms of random doubles and of Math.random(),
 * toPrecision(17..19), random 16–19-digit significands with exponents −350…+310, exact halfway
 * cases, decimal expansions of random midpoints cut to 17–19 digits and one above). Prints one JSON
 * object with the counts per kind, the wrong cases (expected none) and the undecided ones; exits 1 on
 * any wrong case. Run from the repository root:
 * `npx esbuild packages/core/src/bench/eisel-lemire-check.ts --bundle --platform=node --format=esm --conditions=source --outfile=/tmp/eisel-lemire-check.mjs && node /tmp/eisel-lemire-check.mjs [--cases 3000000] [--seed 1]`
 */
import { Rng } from '@logit-stream/kernel';
import { eiselLemire } from '../events/eisel-lemire.js';

const arg = (name: string, d: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : d;
};
const total = arg('--cases', 3_000_000);
const r = new Rng(arg('--seed', 1));
const w = new Uint32Array(2);
const out = new Float64Array(1);
const TWO_64 = 1n << 64n;
const counts: Record<string, number> = {};
const wrong: string[] = [];
let undecided = 0;
let cases = 0;

function check(kind: string, d: bigint, q: number): void {
  if (d >= TWO_64) return;
  w[0] = Number(d & 0xffffffffn);
  w[1] = Number(d >> 32n);
  const want = Number(`${d}e${q}`);
  cases++;
  counts[kind] = (counts[kind] ?? 0) + 1;
  if (!eiselLemire(w, q, out)) undecided++;
  else if (!Object.is(out[0], want) && wrong.length < 50) wrong.push(`${kind} ${d}e${q}: ${out[0]} vs ${want}`);
}
function text(kind: string, t: string): void {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (m === null) throw new Error(`${t} is not an unsigned JSON number`);
  const frac = m[2] ?? '';
  check(kind, BigInt(m[1] + frac), Number(m[3] ?? '0') - frac.length);
}
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
function randomDouble(): number {
  for (;;) {
    words[0] = r.nextInt(0x100000000);
    words[1] = r.nextInt(0x80000000);
    if (Number.isFinite(bits[0]) && bits[0] > 0) return bits[0];
  }
}
function decompose(v: number): [bigint, number] {
  bits[0] = v;
  const be = (words[1] >>> 20) & 0x7ff;
  const m = (BigInt(words[1] & 0xfffff) << 32n) | BigInt(words[0]);
  return be === 0 ? [m, -1074] : [m | (1n << 52n), be - 1075];
}
const exact = (m: bigint, e: number): [bigint, number] => (e >= 0 ? [m << BigInt(e), 0] : [m * 5n ** BigInt(-e), e]);

const t0 = performance.now();
while (cases < total) {
  const v = randomDouble();
  text('shortest(random bits)', String(v));
  text('shortest(Math.random())', String(Math.random()));
  text('toPrecision(17..19)', v.toPrecision(17 + r.nextInt(3)));
  let s = String(1 + r.nextInt(9));
  const n = 16 + r.nextInt(4);
  while (s.length < n) s += String(r.nextInt(10));
  check('16-19 digits, q -350..310', BigInt(s), r.nextInt(661) - 350);
  // an exact tie with ≤ 19 digits (e of −2…10) and its neighbours
  const m = (1n << 52n) | (BigInt(r.nextInt(1 << 20)) << 32n) | BigInt(r.nextInt(0x100000000));
  const [d, q] = exact(2n * m + 1n, r.nextInt(13) - 3);
  if (d < 10n ** 19n) {
    check('exact halfway', d, q);
    check('halfway ± 1 ulp of decimal', d - 1n, q);
    check('halfway ± 1 ulp of decimal', d + 1n, q);
  }
  // a random midpoint's expansion cut to 17–19 digits, and one above
  const [m2, e2] = decompose(v);
  const [hd, hq] = exact(2n * m2 + 1n, e2 - 1);
  const hs = hd.toString();
  const k = 17 + r.nextInt(3);
  if (hs.length > k) {
    const c = BigInt(hs.slice(0, k));
    check('midpoint cut to 17-19 digits', c, hq + hs.length - k);
    check('midpoint cut to 17-19 digits, + 1', c + 1n, hq + hs.length - k);
  }
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ check: 'eiselLemire vs Number(text), Object.is', cases, undecided, wrong: wrong.length, examples: wrong, counts, seconds: Math.round(seconds * 10) / 10 })}\n`);
if (wrong.length > 0) process.exitCode = 1;
