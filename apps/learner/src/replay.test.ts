import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { replayConfigFromFlags } from './options.js';
import { runReplay, type ReplaySummary } from './replay.js';

const dir = mkdtempSync(join(tmpdir(), 'logit-replay-'));

/** A logistic data set: y ~ Bernoulli(σ(2 a − 3 b + 0.5 c − 0.25)), features standard normal; label in the middle column. */
function makeCsv(path: string, n: number, seed: number, malformed: string[] = []): void {
  const rng = new Rng(seed);
  const lines = ['a,b,label,c'];
  for (let i = 0; i < n; i++) {
    const a = rng.gaussian();
    const b = rng.gaussian();
    const c = rng.gaussian();
    const z = 2 * a - 3 * b + 0.5 * c - 0.25;
    const y = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    lines.push(`${a},${b},${y},${c}`);
  }
  lines.push(...malformed);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out, err };
}

function lastLine(chunks: string[]): ReplaySummary {
  const lines = chunks.join('').trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ReplaySummary;
}

describe('runReplay', () => {
  const csv = join(dir, 'gen.csv');
  const BAD = ['1,2,3', '1,x,0,2', '1,2,1.5,3', 'Infinity,1,0,1'];
  makeCsv(csv, 3000, 7, BAD);

  it('learns prequentially, rejects bad rows with reasons and goes on, prints ONE JSON summary as the last stdout line', async () => {
    const t = capture();
    const model = join(dir, 'model.json');
    const scores = join(dir, 'scores.jsonl');
    const s = await runReplay(replayConfigFromFlags({ input: csv, modelOut: model, scoresOut: scores, progressEvery: '1000' }), t.io);
    expect(t.out).toHaveLength(1);
    expect(lastLine(t.out)).toEqual(JSON.parse(JSON.stringify(s)));
    expect(s.rows).toBe(3000);
    expect(s.rejected).toBe(4);
    expect(s.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(s.rowsPerSec).toBeGreaterThan(0);
    expect(s.total.count).toBe(3000);
    // Bayes log loss of this model is ≈ 0.3; a learner that works is far below ln 2 and above 80% accuracy.
    expect(s.total.logLoss!).toBeLessThan(0.45);
    expect(s.total.accuracy!).toBeGreaterThan(0.8);
    const err = t.err.join('');
    expect(err).toContain('rejected row 3001 has 3 cells but the header has 4');
    expect(err).toContain(`rejected row 3002, column 'b' (2): "x" is not a number`);
    expect(err).toContain('rejected row 3003: label 1.5 is outside [0,1]');
    expect(err).toContain(`rejected row 3004, column 'a' (1): Infinity is not finite`);
    expect(err).toMatch(/replay: 1000 rows \(0 rejected\), window log loss 0\.\d+/);

    const m = JSON.parse(readFileSync(model, 'utf8')) as { bias: number; weights: number[]; columns: string[] };
    expect(m.columns).toEqual(['a', 'b', 'c']);
    expect(m.weights).toHaveLength(3);
    // The true weights are (2, −3, 0.5): signs and order recovered, in CSV column order.
    expect(m.weights[0]).toBeGreaterThan(0.8);
    expect(m.weights[1]).toBeLessThan(-1.2);
    expect(Math.abs(m.weights[1])).toBeGreaterThan(Math.abs(m.weights[0]));
    expect(Math.abs(m.weights[2])).toBeLessThan(Math.abs(m.weights[0]));

    const lines = readFileSync(scores, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3000);
    expect(Object.keys(lines[0]).sort()).toEqual(['id', 'label', 'modelVersion', 'p', 'pCalibrated', 'ts', 'z']);
    expect(lines[0]).toMatchObject({ id: 'row-1', z: 0, p: 0.5, modelVersion: 0 });
    expect(lines[2999].id).toBe('row-3000');
    expect(lines[2999].modelVersion).toBe(2999);
    const rows = readFileSync(csv, 'utf8').split('\n');
    expect(lines[10].label).toBe(Number(rows[11].split(',')[2]));
  });

  it('applies exactly the SGD update of SPEC §1 with the given --learning-rate (3 rows, by hand to 1e-15)', async () => {
    const path = join(dir, 'tiny.csv');
    writeFileSync(path, 'x1,x2,label\n1,2,1\n-1,0.5,0\n0.5,-1,1\n');
    const model = join(dir, 'tiny-model.json');
    await runReplay(replayConfigFromFlags({ input: path, learningRate: '0.1', modelOut: model, progressEvery: '0' }), capture().io);
    const rows = [
      [1, 2, 1],
      [-1, 0.5, 0],
      [0.5, -1, 1],
    ];
    let w1 = 0;
    let w2 = 0;
    let b = 0;
    for (const [x1, x2, y] of rows) {
      const p = 1 / (1 + Math.exp(-(w1 * x1 + w2 * x2 + b)));
      w1 -= 0.1 * (p - y) * x1;
      w2 -= 0.1 * (p - y) * x2;
      b -= 0.1 * (p - y);
    }
    const m = JSON.parse(readFileSync(model, 'utf8')) as { bias: number; weights: number[] };
    expect(Math.abs(m.bias - b)).toBeLessThan(1e-15);
    expect(Math.abs(m.weights[0] - w1)).toBeLessThan(1e-15);
    expect(Math.abs(m.weights[1] - w2)).toBeLessThan(1e-15);
  });

  it('--shuffle-seed replays the same rows in a seeded order (same seed → same run, other seed → other order)', async () => {
    const run = async (seed: string) => {
      const scores = join(dir, `shuf-${seed}.jsonl`);
      const s = await runReplay(replayConfigFromFlags({ input: csv, shuffleSeed: seed, scoresOut: scores, progressEvery: '0' }), capture().io);
      return { s, ids: readFileSync(scores, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id) };
    };
    const a = await run('1');
    const b = await run('1');
    const c = await run('2');
    expect(a.ids).toEqual(b.ids);
    expect(a.s.total).toEqual(b.s.total);
    expect(a.ids).not.toEqual(c.ids);
    expect([...a.ids].sort()).toEqual([...c.ids].sort());
    expect(a.ids.slice(0, 20)).not.toEqual(Array.from({ length: 20 }, (_, i) => `row-${i + 1}`));
    expect(a.s.rejected).toBe(4);
  });

  it('--label-column picks another label column; a missing one stops with a clear message', async () => {
    const path = join(dir, 'target.csv');
    writeFileSync(path, 'target,f\n1,0.5\n0,-0.5\n');
    const s = await runReplay(replayConfigFromFlags({ input: path, labelColumn: 'target', progressEvery: '0' }), capture().io);
    expect(s.rows).toBe(2);
    await expect(runReplay(replayConfigFromFlags({ input: path }), capture().io)).rejects.toThrow(
      /label column 'label' not found in the CSV header \(columns: target, f\); pass --label-column/,
    );
  });

  it('replays the real breast-cancer data set (../shared/data/breast_cancer_wdbc.csv, standardised, shuffled)', async () => {
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const path = resolve(repoRoot, '../shared/data/breast_cancer_wdbc.csv');
    if (!existsSync(path)) {
      throw new Error(`data set missing: ${path} (the shared data folder ../shared/data/ must sit beside the repository)`);
    }
    const s = await runReplay(replayConfigFromFlags({ input: path, standardize: true, shuffleSeed: '42', progressEvery: '0' }), capture().io);
    expect(s.rows).toBe(569);
    expect(s.rejected).toBe(0);
    // A linear model separates WDBC well: with the running statistics (each labelled event joins them
    // before it is standardised) and SGD η = 0.05 this order gives accuracy 0.965, log loss 0.127,
    // AUC 0.991; the bounds leave room for harmless numeric changes, not for a broken scaler (which
    // gave 0.87 / 0.87).
    expect(s.total.accuracy!).toBeGreaterThan(0.95);
    expect(s.total.logLoss).toBeLessThan(0.2);
    expect(s.total.auc!).toBeGreaterThan(0.98);
    expect(Number.isFinite(s.total.logLoss)).toBe(true);
    expect(s.total.meanLabel).toBeCloseTo(212 / 569, 12);
  });
});
