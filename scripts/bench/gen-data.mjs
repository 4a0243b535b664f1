// Writes one generated benchmark data set: a CSV file (`f0..f{d-1},label`, features uniform in [-1, 1] with 4
// decimals, label ~ Bernoulli(σ(w·x + 0.2)) with w_j = ±1.5/√d alternating) and the same values as raw
// little-endian float64 files (`.x.f64` row-major, `.y.f64`), the doubles the CSV cells parse to, so the peers'
// Python side and the kernel's bench load identical numbers without parsing text. Deterministic by seed.
//   node scripts/bench/gen-data.mjs --rows 1000000 --dim 20 --out bench-data/dense20 [--seed 1]
import { createWriteStream } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Generates `rows` events of dimension `dim` and writes `<out>.csv`, `<out>.x.f64`, `<out>.y.f64`.
 *
 * @param {{ rows: number, dim: number, out: string, seed?: number }} o
 * @returns {Promise<void>}
 */
export async function generate(o) {
  const { rows, dim, out } = o;
  let s = (o.seed ?? 1) >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  mkdirSync(dirname(out), { recursive: true });
  const X = new Float64Array(rows * dim);
  const Y = new Float64Array(rows);
  const scale = 1.5 / Math.sqrt(dim);
  const csv = createWriteStream(`${out}.csv`);
  const header = [];
  for (let j = 0; j < dim; j++) header.push(`f${j}`);
  header.push('label');
  let chunk = `${header.join(',')}\n`;
  const cells = new Array(dim + 1);
  for (let i = 0; i < rows; i++) {
    let z = 0.2;
    for (let j = 0; j < dim; j++) {
      const text = (rnd() * 2 - 1).toFixed(4);
      const v = Number(text);
      X[i * dim + j] = v;
      cells[j] = text;
      z += (j % 2 === 0 ? scale : -scale) * v;
    }
    const y = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    Y[i] = y;
    cells[dim] = y;
    chunk += `${cells.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!csv.write(chunk)) await new Promise((r) => csv.once('drain', r));
      chunk = '';
    }
  }
  csv.write(chunk);
  await new Promise((r, j) => csv.end((e) => (e ? j(e) : r())));
  writeFileSync(`${out}.x.f64`, new Uint8Array(X.buffer));
  writeFileSync(`${out}.y.f64`, new Uint8Array(Y.buffer));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : def;
  };
  const rows = Number(arg('rows', '1000000'));
  const dim = Number(arg('dim', '20'));
  const out = arg('out', `bench-data/dense${dim}`);
  await generate({ rows, dim, out, seed: Number(arg('seed', '1')) });
  process.stderr.write(`gen-data: wrote ${out}.csv, .x.f64, .y.f64 (${rows} rows × ${dim})\n`);
}
