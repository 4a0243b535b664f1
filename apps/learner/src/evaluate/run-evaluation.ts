import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCalibrationExperiment, type CalibrationResults } from './calibration-experiment.js';
import type { Dataset } from './dataset.js';
import { DATASETS, EXPERIMENTS, evaluationSetup, type EvaluationSetup, type ExperimentName } from './definitions.js';
import { runDriftExperiment, type DriftResults } from './drift-experiment.js';
import { EvaluationError } from './evaluation-error.js';
import { loadCsvDataset } from './load-csv-dataset.js';
import { runNoiseExperiment, type NoiseResults } from './noise-experiment.js';
import { renderEvaluationMarkdown } from './render-markdown.js';

/** Default output, relative to the repository root. */
export const DEFAULT_EVALUATION_OUT = 'docs/evaluation.md';
/** Default data folder, relative to the repository root. */
export const DEFAULT_DATA_DIR = '../shared/data';

/** Options of {@link runEvaluation}. */
export interface EvaluationOptions {
  /** The reduced version: 1–2 seeds, shorter streams, fewer passes (seconds). Default false. */
  readonly quick?: boolean;
  /** Number of seeds (1..N) for every table; default 10 (quick: 2 for label noise, 1 for the others). */
  readonly seeds?: number;
  /** Markdown output path, relative to `root` unless absolute; the JSON goes beside it (`.json`). Default `docs/evaluation.md`. */
  readonly out?: string;
  /** Folder of the CSV data sets, relative to `root` unless absolute. Default `../shared/data`. */
  readonly dataDir?: string;
  /** The repository root the relative paths start from. Default `process.cwd()`. */
  readonly root?: string;
  /** Which experiments to run (default all three). */
  readonly experiments?: readonly ExperimentName[];
  /** Write the markdown and JSON files (default true). */
  readonly write?: boolean;
  /** The command line shown in the report (default: rebuilt from these options). */
  readonly command?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** What {@link runEvaluation} returns: the figures, the rendered report and where it went. */
export interface EvaluationResult {
  readonly setup: EvaluationSetup;
  readonly noise: NoiseResults | null;
  readonly calibration: CalibrationResults | null;
  readonly drift: DriftResults | null;
  /** Wall times in seconds: per experiment and `total`. */
  readonly seconds: Record<string, number>;
  readonly markdown: string;
  /** Absolute paths written (null when `write` is false). */
  readonly markdownPath: string | null;
  readonly jsonPath: string | null;
}

/** The command line equivalent to these options. */
function commandFor(o: EvaluationOptions): string {
  let c = 'pnpm logit evaluate';
  if (o.quick === true) c += ' --quick';
  if (o.seeds !== undefined) c += ` --seeds ${o.seeds}`;
  if (o.out !== undefined && o.out !== DEFAULT_EVALUATION_OUT) c += ` --out ${o.out}`;
  if (o.dataDir !== undefined && o.dataDir !== DEFAULT_DATA_DIR) c += ` --data-dir ${o.dataDir}`;
  if (o.experiments !== undefined && o.experiments.length < EXPERIMENTS.length) c += ` --only ${o.experiments.join(',')}`;
  return c;
}

/** Non-finite numbers become null (JSON has no NaN); fractions are kept to 6 significant digits. */
const finite = (_k: string, x: unknown): unknown => {
  if (typeof x !== 'number') return x;
  if (!Number.isFinite(x)) return null;
  return Number.isInteger(x) ? x : Number(x.toPrecision(6));
};

/**
 * JSON of the figures (see {@link finite}): the outer levels indented, each run (and
 * anything nested deeper than three levels) on one line, so the file stays small and diffable.
 */
function toJson(v: unknown, depth = 0): string {
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (depth >= 3 || v === null || typeof v !== 'object') return JSON.stringify(v, finite) ?? 'null';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => pad + toJson(x, depth + 1)).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${toJson(x, depth + 1)}`).join(',\n')}\n${end}}`;
}

/**
 * Runs the evaluation experiments (label noise, calibration, drift), renders `docs/evaluation.md`
 * and writes it with the raw figures as JSON beside it (`evaluation.json`). The CSV data sets are
 * read from `dataDir`; a missing file fails before anything runs, with a message that names it.
 *
 * @param options - see {@link EvaluationOptions}
 * @returns the setup, the figures per run and summarised, timings, and the markdown
 * @throws EvaluationError for a bad option or a missing data file
 * @example
 * const r = runEvaluation({ quick: true, out: '/tmp/evaluation.md' });
 * r.noise?.summary[0].accuracy.mean // held-out accuracy of the first variant on WDBC
 */
export function runEvaluation(options: EvaluationOptions = {}): EvaluationResult {
  const t0 = performance.now();
  const quick = options.quick ?? false;
  if (options.seeds !== undefined && !(Number.isInteger(options.seeds) && options.seeds >= 1 && options.seeds <= 1000)) {
    throw new EvaluationError(`--seeds ${options.seeds} is not allowed: use an integer from 1 to 1000`, { code: 'bad-option' });
  }
  const experiments = options.experiments ?? EXPERIMENTS;
  for (const e of experiments) {
    if (!EXPERIMENTS.includes(e)) {
      throw new EvaluationError(`unknown experiment ${String(e)}: use ${EXPERIMENTS.join(', ')}`, { code: 'bad-option' });
    }
  }
  const log = options.log ?? ((): void => {});
  const root = options.root ?? process.cwd();
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(root, p));
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const setup = evaluationSetup(quick, options.seeds);

  const datasets = new Map<string, Dataset>();
  if (experiments.includes('noise') || experiments.includes('calibration')) {
    for (const d of DATASETS) datasets.set(d.name, loadCsvDataset(join(at(dataDir), d.file), d.name));
  }

  const seconds: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const s = performance.now();
    const r = f();
    seconds[name] = (performance.now() - s) / 1000;
    log(`${name}: ${seconds[name].toFixed(1)} s`);
    return r;
  };
  const noise = experiments.includes('noise') ? timed('noise', () => runNoiseExperiment(setup.noise, datasets, log)) : null;
  const calibration = experiments.includes('calibration')
    ? timed('calibration', () => runCalibrationExperiment(setup.calibration, datasets, log))
    : null;
  const drift = experiments.includes('drift') ? timed('drift', () => runDriftExperiment(setup.drift, log)) : null;
  seconds.total = (performance.now() - t0) / 1000;

  const out = at(options.out ?? DEFAULT_EVALUATION_OUT);
  const jsonPath = out.replace(/\.md$/i, '') + '.json';
  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'} (${cpu.length} logical cores), ${platform()}, Node ${process.version}`;
  const command = options.command ?? commandFor(options);
  const date = new Date().toISOString();
  const markdown = renderEvaluationMarkdown({
    setup,
    noise,
    calibration,
    drift,
    command,
    seconds,
    machine,
    date,
    jsonFile: basename(jsonPath),
    dataDir,
  });
  const write = options.write ?? true;
  if (write) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, markdown);
    writeFileSync(jsonPath, `${toJson({ command, date, machine, seconds, setup, noise, calibration, drift })}\n`);
    log(`wrote ${out} and ${jsonPath}`);
  }
  return { setup, noise, calibration, drift, seconds, markdown, markdownPath: write ? out : null, jsonPath: write ? jsonPath : null };
}
