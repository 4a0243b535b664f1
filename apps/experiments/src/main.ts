import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExperimentError } from './errors.js';
import { runExperiments } from './run-experiments.js';

/** Parsed command line of `pnpm experiments`. */
interface Args {
  quick: boolean;
  out: string;
  dataDir: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, out: 'docs/experiments.md', dataDir: '../shared/data' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--') continue;
    if (k === '--quick') a.quick = true;
    else if (k === '--out' || k === '--data-dir') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ExperimentError(`${k} needs a value, e.g. ${k} ${k === '--out' ? 'docs/experiments.md' : '../shared/data'}`);
      if (k === '--out') a.out = v;
      else a.dataDir = v;
    } else if (k === '--help' || k === '-h') {
      process.stdout.write('usage: pnpm experiments [--quick] [--out docs/experiments.md] [--data-dir ../shared/data]\n');
      process.exit(0);
    } else {
      throw new ExperimentError(`unknown argument '${k}'; use --quick, --out FILE or --data-dir DIR`);
    }
  }
  return a;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { markdown, figures, timings } = runExperiments({
    quick: args.quick,
    dataDir: args.dataDir,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const figDir = join(dirname(args.out), 'figures');
  mkdirSync(figDir, { recursive: true });
  for (const f of figures) writeFileSync(join(figDir, f.file), f.svg);
  writeFileSync(args.out, markdown);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ out: args.out, figures: figures.length, quick: args.quick, seconds: Number(seconds.toFixed(2)), timings })}\n`,
  );
}

try {
  main();
} catch (e) {
  process.stderr.write(`experiments: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
