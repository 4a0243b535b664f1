// In-process A/B of the kernel's learn loop: the kernel of another commit against the working tree's, in ONE process,
// alternating timed rounds, so that load from other processes on a shared machine hits both alike (separate runs of
// `run.mjs --kernel-only` differ by ±20% on 2 busy cores, more than the changes one wants to see):
//   node scripts/bench/kernel-ab.mjs --before <commit> [--case sparse20-2^18|dense20|dense100] [--optimizer sgd|adagrad|ftrl] [--reps 7]
//   node scripts/bench/kernel-ab.mjs --before <commit> --control     # both sides the old kernel: the noise floor of the ratio
// Prints events per CPU second of each side (median of the rounds) and after ÷ before, and whether both ended with the
// same bias (they should: the same events, the same updates). Needs git and node_modules/.bin/esbuild (tsup's).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv;
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const before = arg('before');
if (before === undefined) {
  process.stderr.write('kernel-ab: pass --before <commit> (the kernel to compare the working tree with)\n');
  process.exit(2);
}
const caseName = arg('case', 'sparse20-2^18');
const optimizer = arg('optimizer', 'sgd');
const reps = Number(arg('reps', '7'));
const control = argv.includes('--control');

const tmp = mkdtempSync(join(tmpdir(), 'kernel-ab-'));
try {
  const tar = spawnSync('bash', ['-c', `git -C "${root}" archive "${before}" packages/kernel/src | tar -x -C "${tmp}"`], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`kernel-ab: git archive ${before} failed`);
  const a = join(tmp, 'packages/kernel/src');
  const b = control ? a : join(root, 'packages/kernel/src');
  const entry = join(tmp, 'ab.ts');
  writeFileSync(
    entry,
    `import * as A from ${JSON.stringify(`${a}/index.ts`)};
import * as B from ${JSON.stringify(`${b}/index.ts`)};
import { benchCases, makeEvents as eventsA } from ${JSON.stringify(`${a}/bench/throughput.ts`)};
import { makeEvents as eventsB } from ${JSON.stringify(`${b}/bench/throughput.ts`)};
const c = benchCases(false).find((x) => x.name === ${JSON.stringify(caseName)});
if (!c) throw new Error('kernel-ab: no case ${caseName}');
const make = (K: any): any =>
  ${JSON.stringify(optimizer)} === 'sgd' ? new K.Sgd({ dim: c.dim, learningRate: 0.01 })
  : ${JSON.stringify(optimizer)} === 'adagrad' ? new K.AdaGrad({ dim: c.dim, learningRate: 0.01 })
  : new K.Ftrl({ dim: c.dim, alpha: 0.1, beta: 1, l1: 0, l2: 0 });
const lossA = new A.LogLoss();
const lossB = new B.LogLoss();
// one loop per side, so that each call site sees one class (as in a learner process)
function learnA(o: any, xs: any[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) { const x = xs[j]; o.step(x, lossA.gradient(o.score(x), ys[j])); if (++j === n) j = 0; }
  return o.bias();
}
function learnB(o: any, xs: any[], ys: Float64Array, events: number): number {
  const n = xs.length;
  for (let t = 0, j = 0; t < events; t++) { const x = xs[j]; o.step(x, lossB.gradient(o.score(x), ys[j])); if (++j === n) j = 0; }
  return o.bias();
}
const ea = eventsA(c);
const eb = eventsB(c);
const oa = make(A);
const ob = make(B);
let sink = learnA(oa, ea.xs, ea.ys, 50_000) + learnB(ob, eb.xs, eb.ys, 50_000);
const time = (f: () => number): number => { const c0 = process.cpuUsage(); sink += f(); const d = process.cpuUsage(c0); return c.events / ((d.user + d.system) / 1e6); };
const ra: number[] = [];
const rb: number[] = [];
for (let r = 0; r < ${reps}; r++) {
  const runA = () => ra.push(time(() => learnA(oa, ea.xs, ea.ys, c.events)));
  const runB = () => rb.push(time(() => learnB(ob, eb.xs, eb.ys, c.events)));
  if (r % 2 === 0) { runA(); runB(); } else { runB(); runA(); }
}
const med = (v: number[]): number => { const s = v.slice().sort((p, q) => p - q); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(JSON.stringify({ case: c.name, optimizer: ${JSON.stringify(optimizer)}, control: ${control}, reps: ${reps},
  beforePerCpuSec: med(ra), afterPerCpuSec: med(rb), ratio: med(rb) / med(ra), sameBias: oa.bias() === ob.bias(), sink: Number.isFinite(sink) }));
`,
  );
  const out = join(tmp, 'ab.mjs');
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const bundled = spawnSync(esbuild, [entry, '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${out}`, '--log-level=warning'], { stdio: 'inherit' });
  if (bundled.status !== 0) throw new Error(`kernel-ab: bundling with ${esbuild} failed`);
  const r = spawnSync('node', [out], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
