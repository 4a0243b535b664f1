import type { Command } from 'commander';
import { EXPERIMENTS, type ExperimentName } from './definitions.js';
import { EvaluationError } from './evaluation-error.js';

/** Where the command writes (structurally the CLI's `CliIo`). */
export interface EvaluateIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

/** Flags of `logit evaluate` as commander hands them over (strings, unparsed). */
interface EvaluateFlags {
  quick?: boolean;
  seeds?: string;
  out?: string;
  dataDir?: string;
  only?: string;
}

function parseSeeds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1 && n <= 1000)) {
    throw new EvaluationError(`--seeds ${JSON.stringify(v)} is not allowed: use an integer from 1 to 1000`, { code: 'bad-option' });
  }
  return n;
}

function parseOnly(v: string | undefined): ExperimentName[] | undefined {
  if (v === undefined) return undefined;
  const names = v.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(EXPERIMENTS as readonly string[]).includes(n)) {
      throw new EvaluationError(`--only ${JSON.stringify(n)} is not an experiment: use a comma-separated subset of ${EXPERIMENTS.join(',')}`, {
        code: 'bad-option',
      });
    }
  }
  return names as ExperimentName[];
}

/**
 * Adds `logit evaluate [--quick] [--seeds N] [--out docs/evaluation.md] [--data-dir ../shared/data]
 * [--only noise,calibration,drift]` to the CLI program. It runs {@link runEvaluation} from the
 * current directory (the repository root under `pnpm logit`), prints progress on stderr and, on
 * stdout, one JSON line with the files written and the wall times. Errors are {@link EvaluationError}s
 * (AppError), which the CLI prints and exits with.
 *
 * @param program - the `logit` program (from `buildProgram`)
 * @param io - where to write
 * @param result - receives the exit code (0) once the run succeeded
 * @example
 * registerEvaluateCommand(program, io, result);
 */
export function registerEvaluateCommand(program: Command, io: EvaluateIo, result: { code: number }): void {
  program
    .command('evaluate')
    .description(
      'regenerate docs/evaluation.md and evaluation.json beside it: label-noise correction, calibration and drift-detection experiments',
    )
    .option('--quick', 'reduced run: 1-2 seeds, shorter streams, fewer passes, seconds not minutes (default: off, the full run)')
    .option('--seeds <n>', 'number of seeds 1..n for every table (default: 10; quick: 2 for label noise, 1 for the others)')
    .option('--out <file>', 'markdown output; the JSON of the raw figures goes beside it (default: docs/evaluation.md)')
    .option('--data-dir <dir>', 'folder with breast_cancer_wdbc.csv and spambase.csv (default: ../shared/data)')
    .option('--only <list>', `comma-separated subset of ${EXPERIMENTS.join(',')} (default: all)`)
    .action(async (flags: EvaluateFlags) => {
      const seeds = parseSeeds(flags.seeds);
      const experiments = parseOnly(flags.only);
      const { runEvaluation } = await import('./run-evaluation.js');
      const r = runEvaluation({
        quick: flags.quick === true,
        seeds,
        out: flags.out,
        dataDir: flags.dataDir,
        experiments,
        log: (line) => io.stderr.write(`evaluate: ${line}\n`),
      });
      io.stdout.write(`${JSON.stringify({ markdown: r.markdownPath, json: r.jsonPath, seconds: r.seconds })}\n`);
      result.code = 0;
    });
}
