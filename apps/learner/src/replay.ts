import { createReadStream } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { CoreError, CsvLayout, DEFAULT_LEARNER_OPTIONS, encodeScore, OnlineLearner, parseCsvRow, parseCsvRowBytes } from '@logit-stream/core';
import type { MetricsReport, Rejection } from '@logit-stream/core';
import { Rng, shuffleInPlace } from '@logit-stream/kernel';
import { AppError } from './app-error.js';
import { resolveFromFlags, type ReplayConfig } from './options.js';
import { JsonlWriter } from './sinks/jsonl-writer.js';

/** The final line of `replay`: the learner's metrics report plus the replay's own counters. */
export interface ReplaySummary extends MetricsReport {
  /** Data rows scored (and learned from when labelled). */
  rows: number;
  /** Data rows rejected (wrong cell count, non-numeric, label outside [0,1], …). */
  rejected: number;
  elapsedMs: number;
  /** (rows + rejected) / elapsed seconds. */
  rowsPerSec: number;
}

/** Where `replay` writes: the final JSON line on stdout, progress and rejections on stderr. */
export interface ReplayIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Clock (default performance.now-based wall clock: Date.now). */
  now?: () => number;
}

/** How many rejection reasons replay prints before only counting them. */
const SHOWN_REJECTIONS = 5;

/**
 * `pnpm logit replay`: prequential learning over a CSV file (SPEC §3). Streams the file (holds all
 * rows only to shuffle them), maps the feature columns densely in CSV order, scores each row, updates
 * the metrics, then learns from it; bad rows are rejected with their reason (the first few on stderr)
 * and the run continues. Prints progress on stderr and the final metrics as one JSON object on the
 * last line of stdout; optionally writes the model (`--model-out`) and one score per row (`--scores-out`).
 *
 * @param cfg - from `replayConfigFromFlags`
 * @param io - stdout/stderr (the process's, or a test's)
 * @returns the summary that was printed
 * @example
 * const s = await runReplay(replayConfigFromFlags({ input: 'data.csv', standardize: true }), { stdout, stderr });
 * s.total.logLoss
 */
export async function runReplay(cfg: ReplayConfig, io: ReplayIo): Promise<ReplaySummary> {
  const now = io.now ?? Date.now;
  try {
    await access(cfg.input);
  } catch (e) {
    throw new AppError('bad-input', `cannot read --input ${cfg.input}: ${(e as Error).message}; check the path`, {
      cause: e,
      exitCode: 2,
    });
  }
  let header: string | null = null;
  await forEachLine(cfg.input, (line) => {
    header = line;
    return false;
  });
  if (header === null) throw new AppError('bad-input', `--input ${cfg.input} is empty: a CSV needs a header row`, { exitCode: 2 });
  let layout: CsvLayout;
  try {
    layout = CsvLayout.fromHeader(header, { labelColumn: cfg.labelColumn });
  } catch (e) {
    if (e instanceof CoreError) throw new AppError('bad-input', `--input ${cfg.input}: ${e.message}`, { cause: e, exitCode: 2 });
    throw e;
  }
  const options = resolveFromFlags({
    ...cfg.learning,
    features: { kind: 'dense', dim: layout.dim },
    maxFeatures: Math.max(DEFAULT_LEARNER_OPTIONS.maxFeatures, layout.dim),
  });
  const learner = new OnlineLearner(options, cfg.learnerId);
  const ev = learner.newEvent();
  const score = learner.newScore();
  const scores = cfg.scoresOut ? new JsonlWriter(cfg.scoresOut) : null;
  let rows = 0;
  let rejected = 0;
  const start = now();

  // Returns a promise only when the scores file asks to wait (no await per row otherwise).
  const one = (line: string, rowNumber: number): Promise<void> | undefined => after(parseCsvRow(line, layout, ev, rowNumber), rowNumber);
  const oneBytes = (buf: Uint8Array, begin: number, end: number, rowNumber: number): Promise<void> | undefined =>
    after(parseCsvRowBytes(buf, begin, end, layout, ev, rowNumber), rowNumber);
  const after = (rejection: Rejection | null, rowNumber: number): Promise<void> | undefined => {
    if (rejection !== null) {
      rejected++;
      if (rejected <= SHOWN_REJECTIONS) io.stderr.write(`replay: rejected ${rejection.reason}\n`);
    } else {
      learner.process(ev, score, rowNumber);
      rows++;
    }
    if (cfg.progressEvery > 0 && (rows + rejected) % cfg.progressEvery === 0) progress();
    return rejection === null && scores ? scores.write(encodeScore(score)) : undefined;
  };
  const progress = (): void => {
    const r = learner.report(now());
    const seconds = (now() - start) / 1000;
    const ll = r.window.logLoss;
    io.stderr.write(
      `replay: ${rows + rejected} rows (${rejected} rejected), window log loss ${ll === null ? '–' : ll.toFixed(4)}, ` +
        `${Math.round((rows + rejected) / Math.max(seconds, 1e-9))} rows/s\n`,
    );
  };

  if (cfg.shuffleSeed === null) {
    let rowNumber = -1; // the header is line 0
    await forEachLineBytes(cfg.input, (buf, begin, end) => {
      rowNumber++;
      if (rowNumber === 0 || end === begin || (end === begin + 1 && buf[begin] === 13)) return undefined; // blank
      return oneBytes(buf, begin, end, rowNumber);
    });
  } else {
    const all: string[] = [];
    let isHeader = true;
    await forEachLine(cfg.input, (line) => {
      if (isHeader) isHeader = false;
      else all.push(line);
      return undefined;
    });
    const order = new Int32Array(all.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffleInPlace(order, new Rng(cfg.shuffleSeed));
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (isBlank(all[i])) continue;
      const wait = one(all[i], i + 1);
      if (wait) await wait;
    }
  }
  if (scores) await scores.close();

  const end = now();
  const elapsedMs = end - start;
  const summary: ReplaySummary = {
    ...learner.report(end),
    rows,
    rejected,
    elapsedMs,
    rowsPerSec: elapsedMs > 0 ? ((rows + rejected) * 1000) / elapsedMs : 0,
  };
  if (rejected > SHOWN_REJECTIONS) io.stderr.write(`replay: … ${rejected - SHOWN_REJECTIONS} more rejected rows not shown\n`);
  if (cfg.modelOut) {
    await writeFile(cfg.modelOut, `${JSON.stringify(learner.exportModel(layout.featureColumns), null, 2)}\n`);
  }
  io.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary;
}

/** An empty line (or a lone CR) between or after the rows: skipped, not counted. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.length === 1 && line.charCodeAt(0) === 13);
}

/**
 * Reads a UTF-8 file line by line in 1 MiB chunks, calling `onLine` for each line synchronously
 * within a chunk (awaiting only when `onLine` returns a promise, or at chunk boundaries); the file is
 * never held whole. `onLine` returns false to stop. A trailing CR is left for the CSV parser.
 */
async function forEachLine(path: string, onLine: (line: string) => Promise<void> | boolean | undefined): Promise<void> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const buf = rest + (chunk as string);
    let pos = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', pos)) {
      const r = onLine(buf.slice(pos, nl));
      pos = nl + 1;
      if (r === false) return;
      if (r !== undefined && r !== true) await r;
    }
    rest = buf.slice(pos);
  }
  if (rest.length > 0) {
    const r = onLine(rest);
    if (r !== undefined && typeof r !== 'boolean') await r;
  }
}

/**
 * {@link forEachLine} on the raw bytes: calls `onLine(buffer, start, end)` for each line `buffer[start, end)` (no
 * newline; a trailing CR is left for the CSV parser), without decoding or slicing; a line that spans two 1 MiB
 * chunks is copied once into a joined buffer. Awaits only when `onLine` returns a promise, or at chunk boundaries.
 */
async function forEachLineBytes(
  path: string,
  onLine: (buf: Uint8Array, start: number, end: number) => Promise<void> | undefined,
): Promise<void> {
  let rest: Buffer | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf: Buffer = rest === null ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      const r = onLine(buf, pos, nl);
      pos = nl + 1;
      if (r !== undefined) await r;
    }
    rest = pos < buf.length ? buf.subarray(pos) : null;
  }
  if (rest !== null && rest.length > 0) {
    const r = onLine(rest, 0, rest.length);
    if (r !== undefined) await r;
  }
}
