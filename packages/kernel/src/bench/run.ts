// Kernel benchmark entry point (after build): `node packages/kernel/dist/bench/run.js`.
// Prints ONE JSON object on stdout: machine, per-(case, optimiser) learn/predict throughput, ratios to the
// hand-written baseline loop. `--quick` for a smoke run with small counts.
// With `--data <base> --dim <d> [--lr 0.05] [--prefixes 20000,100000] [--reps 5]` it instead times the kernel's Sgd
// prequentially on a data set of scripts/bench/gen-data.mjs (`<base>.x.f64`, `<base>.y.f64`), the same numbers
// the peers learn from (scripts/bench/peers.py), and prints that timing as JSON.
import { readFileSync } from 'node:fs';
import { timePrequentialSgd } from './prequential.js';
import { runBench } from './throughput.js';

const argv = process.argv;
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const base = arg('data');
if (base !== undefined) {
  const dim = Number(arg('dim') ?? '20');
  const f64 = (path: string): Float64Array => {
    const b = readFileSync(path);
    return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  };
  const y = f64(`${base}.y.f64`);
  const x = f64(`${base}.x.f64`);
  if (x.length !== y.length * dim) {
    process.stderr.write(`bench: ${base}.x.f64 holds ${x.length} numbers, not rows × dim = ${y.length} × ${dim}; pass the --dim it was generated with\n`);
    process.exit(2);
  }
  const prefixes = (arg('prefixes') ?? '').split(',').filter((s) => s !== '').map(Number);
  const t = timePrequentialSgd({ x, y, dim, rows: y.length }, Number(arg('lr') ?? '0.05'), prefixes, Number(arg('reps') ?? '5'));
  process.stdout.write(`${JSON.stringify({ data: base, dim, ...t })}\n`);
} else {
  const quick = argv.includes('--quick');
  process.stdout.write(`${JSON.stringify(runBench({ quick }), null, 2)}\n`);
}
