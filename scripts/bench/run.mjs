// `pnpm bench`: the benchmark suite. Run after a build (the root script builds first):
//   node scripts/bench/run.mjs            # full run: writes docs/benchmarks.json and docs/benchmarks.md
//   node scripts/bench/run.mjs --quick    # smoke run with small counts: writes bench-data/benchmarks-quick.{json,md}
//   node scripts/bench/run.mjs --kernel-only [--quick] [--kernel-bench <run.js>]
//                                          # the kernel's figures only (steps 1 and 2 without the peers, no replay): prints
//                                          # them as Markdown, writes bench-data/benchmarks-kernel.json
// 1. kernel: learn/predict throughput of Sgd, AdaGrad, FTRL (plain and with noise correction + calibration) on
//    20-nnz hashed, 20- and 100-dimensional dense events (packages/kernel/dist/bench/run.js);
// 2. the same generated files (scripts/bench/gen-data.mjs, under the git-ignored bench-data/) for the kernel's Sgd and
//    the peers (scripts/bench/peers.py in the git-ignored .venv-bench/ that scripts/bench/venv.sh installs from PyPI;
//    skipped with a message when Python or the registry is missing): events per CPU second and prequential log loss;
// 3. replay end to end: `logit replay` on the 1 M-row CSV against VW's driver on the same rows in its text format,
//    each a whole child process, CPU time (user + sys) and wall clock.
// The machine may be shared: every figure is also given per CPU second of the process that did the work, and ratios
// compare figures of the same run. The 1-minute load average is recorded before and after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-data.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const kernelOnly = process.argv.includes('--kernel-only');
// `--kernel-bench <file>`: another build of the kernel's bench entry (e.g. one built from an older commit, to compare).
const kbIdx = process.argv.indexOf('--kernel-bench');
const kernelBench = kbIdx >= 0 ? process.argv[kbIdx + 1] : 'packages/kernel/dist/bench/run.js';
const LR = 0.05;
const S = quick
  ? { rows20: 50_000, rows100: 20_000, river: 10_000, partial: 2_000, river100: 5_000, partial100: 1_000, reps: 3 }
  : { rows20: 1_000_000, rows100: 200_000, river: 100_000, partial: 5_000, river100: 20_000, partial100: 1_000, reps: 5 };
const dataDir = join(root, 'bench-data');
const python = join(root, '.venv-bench', 'bin', 'python');
const log = (s) => process.stderr.write(`bench: ${s}\n`);
const load = [loadavg()[0]];

function runJson(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${cmd} ${args.join(' ')}`);
  const text = r.stdout.trim();
  if (text.startsWith('{\n')) return JSON.parse(text); // one pretty-printed object
  const lines = text.split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Runs a whole child process; returns its last stdout line as JSON, its CPU seconds (user + sys) and wall seconds. */
function timedProcess(cmd, args) {
  const out = join(tmpdir(), `logit-bench-${process.pid}.out`);
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', '"$@" > "$BENCH_OUT"; s=$?; times; exit $s', 'bash', cmd, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BENCH_OUT: out },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  const sec = (t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  };
  const [user, sys] = r.stdout.trim().split('\n')[1].trim().split(/\s+/).map(sec); // times: line 2 = children
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  return { result: JSON.parse(lines[lines.length - 1]), cpuSec: user + sys, wallSec: wall };
}

async function dataSet(dim, rows) {
  const base = join(dataDir, `dense${dim}-${rows}`);
  if (!existsSync(`${base}.y.f64`) || !existsSync(`${base}.csv`)) {
    log(`generating ${relative(root, base)}.csv (${rows} rows × ${dim})`);
    await generate({ rows, dim, out: base, seed: 1 });
  }
  return base;
}

function peersAvailable() {
  if (spawnSync('python3', ['--version']).status !== 0) {
    log('peers skipped: python3 is not installed (install Python 3.10+ to compare with VW, River and scikit-learn)');
    return 'python3 not found';
  }
  const r = spawnSync('bash', [join(root, 'scripts/bench/venv.sh')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    log('peers skipped: could not install vowpalwabbit, river, scikit-learn into .venv-bench/ (no package registry?)');
    return 'bench venv could not be installed (package registry unreachable?)';
  }
  return null;
}

const kernelSynthetic = () => runJson('node', [kernelBench, ...(quick ? ['--quick'] : [])], 'kernel bench');

function sameFile(base, dim, river, partial) {
  const kernel = runJson(
    'node',
    [kernelBench, '--data', base, '--dim', String(dim), '--lr', String(LR), '--prefixes', `${river},${partial}`, '--reps', String(S.reps)],
    'kernel file bench',
  );
  const peers = skipped
    ? null
    : runJson(python, ['scripts/bench/peers.py', '--data', base, '--dim', String(dim), '--lr', String(LR), '--rows-river', String(river), '--rows-partial', String(partial)], 'peers');
  return { data: relative(root, base), dim, kernel, peers };
}

function replay(base) {
  const csv = `${base}.csv`;
  log(`replay: logit replay --input ${relative(root, csv)}`);
  const logit = timedProcess('node', ['apps/learner/dist/cli.js', 'replay', '--input', csv, '--progress-every', '0', '--learning-rate', String(LR)]);
  const out = {
    input: relative(root, csv),
    logit: { rows: logit.result.rows, cpuSec: logit.cpuSec, wallSec: logit.wallSec, logLoss: logit.result.total.logLoss, rowsPerCpuSec: logit.result.rows / logit.cpuSec, rowsPerSec: logit.result.rows / logit.wallSec },
    vw: {},
  };
  if (skipped) return out;
  const vwFile = `${base}.vw`;
  if (!existsSync(vwFile)) runJson(python, ['scripts/bench/peers.py', '--data', base, '--dim', '20', '--write-vw', vwFile], 'write VW text');
  for (const mode of ['sgd', 'adaptive']) {
    log(`replay: VW ${mode} -d ${relative(root, vwFile)}`);
    const v = timedProcess(python, ['scripts/bench/peers.py', '--vw-replay', vwFile, '--vw-mode', mode, '--lr', String(LR)]);
    out.vw[mode] = { rows: v.result.rows, cpuSec: v.cpuSec, wallSec: v.wallSec, logLoss: v.result.logLoss, rowsPerCpuSec: v.result.rows / v.cpuSec, rowsPerSec: v.result.rows / v.wallSec };
  }
  return out;
}

// ---- report ----
function peer(f, name) {
  return f.peers?.results.find((r) => r.name === name) ?? null;
}

function checks(d) {
  const f = d.sameFile.dense20;
  const k = f.kernel;
  const out = [];
  const add = (goal, ratio, target) => out.push({ goal, ratio, target, met: ratio !== null && ratio >= target });
  const fit = peer(f, 'sklearn-fit');
  const pf = peer(f, 'sklearn-partial-fit-1');
  const river = peer(f, 'river');
  add('kernel learn on decoded events (dense 20) vs scikit-learn fit(max_iter=1), per CPU s', fit && k.learnDecodedPerCpuSec / fit.eventsPerCpuSec, 1);
  add('… the same, the kernel also copying each row into its event vector', fit && k.learnPerCpuSec / fit.eventsPerCpuSec, 1);
  add('kernel prequential (dense 20) vs scikit-learn partial_fit per event, per CPU s', pf && k.prequentialPerCpuSec / pf.eventsPerCpuSec, 300);
  const riverLearn = peer(f, 'river-learn-one');
  add('kernel learn on decoded events (dense 20) vs River learn_one alone, per CPU s', riverLearn && k.learnDecodedPerCpuSec / riverLearn.eventsPerCpuSec, 100);
  add('kernel prequential (dense 20) vs River predict_proba_one + learn_one, per CPU s', river && k.prequentialPerCpuSec / river.eventsPerCpuSec, 100);
  const vw = d.replay.vw.sgd;
  add('logit replay vs VW --sgd driver on the same rows, per CPU s', vw ? d.replay.logit.rowsPerCpuSec / vw.rowsPerCpuSec : null, 1);
  return out;
}

function fmtRate(v) {
  if (v === null || v === undefined) return '–';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(0);
}
const fmtLoss = (v) => (v === null || v === undefined ? '–' : v.toFixed(6));
const fmtRatio = (v) => (v === null || v === undefined ? '–' : v >= 100 ? `${v.toFixed(0)}×` : `${v.toFixed(2)}×`);

function sameFileTable(f) {
  const k = f.kernel;
  const lossAt = (rows) => (rows === k.rows ? k.logLoss : k.logLossAt[String(rows)]);
  const rows = [
    `| contestant | rows | events / CPU s | events / s (wall) | prequential log loss | logit-stream's on the same rows | logit-stream ÷ peer (CPU) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    `| **logit-stream kernel Sgd, learn only, decoded events** (score → gradient → step; rows copied into event vectors off the clock) | ${k.rows} | ${fmtRate(k.learnDecodedPerCpuSec)} | ${fmtRate(k.learnDecodedPerSec)} | – | – | – |`,
    `| **logit-stream kernel Sgd, learn only, copying each row** into the event vector | ${k.rows} | ${fmtRate(k.learnPerCpuSec)} | ${fmtRate(k.learnPerSec)} | – | – | – |`,
    `| **logit-stream kernel Sgd, prequential** (score → σ → log loss → learn) | ${k.rows} | ${fmtRate(k.prequentialPerCpuSec)} | ${fmtRate(k.prequentialPerSec)} | ${fmtLoss(k.logLoss)} | ${fmtLoss(k.logLoss)} | 1× |`,
  ];
  if (!f.peers) return `${rows.join('\n')}\n\nPeers skipped: ${skipped}.\n`;
  const label = {
    'vw-sgd': 'VW `--sgd --power_t 0` (its driver, parsing its text file)',
    'vw-adaptive': 'VW default adaptive (its driver, parsing its text file)',
    river: 'River `LogisticRegression` predict_proba_one + learn_one',
    'river-learn-one': 'River `LogisticRegression` learn_one alone',
    'sklearn-partial-fit-1': 'scikit-learn `partial_fit` per event',
    'sklearn-partial-fit-1000': 'scikit-learn `partial_fit` per 1000',
    'sklearn-fit': 'scikit-learn `fit(max_iter=1)` (compiled epoch)',
  };
  for (const r of f.peers.results) {
    const learnOnly = r.name === 'sklearn-fit' || r.name === 'river-learn-one';
    const versus = learnOnly ? k.learnDecodedPerCpuSec : k.prequentialPerCpuSec;
    const mine = r.name === 'sklearn-partial-fit-1000' || r.name === 'vw-adaptive' || r.logLoss === null ? null : lossAt(r.rows);
    let loss = fmtLoss(r.logLoss);
    if (r.name === 'sklearn-fit') {
      const dw = Math.max(Math.abs(r.intercept - k.bias), ...r.coef.map((c, j) => Math.abs(c - k.weights[j])));
      loss = `– (final weights = kernel's ± ${dw.toExponential(1)})`;
    }
    rows.push(`| ${label[r.name] ?? r.name} | ${r.rows} | ${fmtRate(r.eventsPerCpuSec)} | ${fmtRate(r.eventsPerSec)} | ${loss} | ${fmtLoss(mine)} | ${fmtRatio(versus / r.eventsPerCpuSec)} |`);
  }
  return `${rows.join('\n')}\n`;
}

/** The kernel's sections of the report: the synthetic learn/predict table and the same-file tables. */
function kernelMarkdown(d) {
  const k = d.kernel;
  const lines = [];
  lines.push('## Kernel: learn and predict (generated in memory)', '');
  lines.push('Millions of events per CPU second, median of the repetitions. Learn = score → loss gradient → step; predict = score → σ. ' +
    '`+ noise & calibration`: the forward-corrected loss (ρ0 = ρ1 = 0.1) and a Platt calibrator learning from every score; predict through the calibrator. ' +
    'Baseline: a hand-written Float64Array SGD loop. η = 0.01, FTRL α = 0.1, β = 1.', '');
  const cases = [...new Set(k.results.map((r) => r.case))];
  lines.push(`| optimiser | ${cases.map((c) => `${c} learn | ${c} predict`).join(' | ')} |`);
  lines.push(`| --- | ${cases.map(() => '---: | ---:').join(' | ')} |`);
  const names = { baseline: 'baseline loop', sgd: 'SGD', adagrad: 'AdaGrad', ftrl: 'FTRL', 'sgd-nc': 'SGD + noise & calibration', 'adagrad-nc': 'AdaGrad + noise & calibration', 'ftrl-nc': 'FTRL + noise & calibration' };
  for (const o of Object.keys(names)) {
    const cells = cases.map((c) => {
      const r = k.results.find((x) => x.case === c && x.optimizer === o);
      return r ? `${(r.learnPerCpuSec / 1e6).toFixed(2)} | ${(r.predictPerCpuSec / 1e6).toFixed(2)}` : '– | –';
    });
    lines.push(`| ${names[o]} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`## Against the peers on the same generated files (η = ${d.learningRate}, constant, no regularisation)`, '');
  lines.push('Each contestant learns in file order, one pass; prequential log loss = mean of −log p(label) scored before learning the row ' +
    "(p clipped to [1e-15, 1 − 1e-15]). The slow per-event peers run a prefix of the file; logit-stream's loss on the same prefix is beside theirs. " +
    "The ratio divides the kernel's prequential rate by the peer's (its learn-only rate on decoded events against the compiled epoch and River's learn_one alone, which compute no loss and get their rows ready-made too). " +
    'VW is timed through its own C++ driver reading its text format, parsing included; scikit-learn gets the rows as a ready numpy array; River gets ready dicts.', '');
  for (const [name, f] of Object.entries(d.sameFile)) {
    lines.push(`### ${name}: \`${f.data}.csv\` (${f.kernel.rows} rows × ${f.dim} dense features)`, '');
    lines.push(sameFileTable(f));
  }
  return lines;
}

function markdown(d) {
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(`Generated by \`${d.generatedBy}\` at ${d.started}; do not edit by hand. Raw figures: \`${quick ? 'bench-data/benchmarks-quick.json' : 'docs/benchmarks.json'}\`.`, '');
  lines.push(`Machine: ${d.machine.cpu}, ${d.machine.cores} cores, Node ${d.machine.node}, ${d.machine.platform}` +
    (d.sameFile.dense20.peers ? `; Python ${d.sameFile.dense20.peers.versions.python}, vowpalwabbit ${d.sameFile.dense20.peers.versions.vowpalwabbit}, river ${d.sameFile.dense20.peers.versions.river}, scikit-learn ${d.sameFile.dense20.peers.versions['scikit-learn']}, numpy ${d.sameFile.dense20.peers.versions.numpy}` : '') + '.');
  lines.push(`1-minute load average ${d.loadAverage1m.map((v) => v.toFixed(2)).join(' → ')} (start → end) on ${d.machine.cores} cores: ` +
    'rates are per CPU second of the process doing the work (the wall-clock rate is beside it), so other load on the machine slows the wall clock more than these; every ratio compares figures of this one run.', '');
  lines.push('## Goals', '');
  lines.push('| goal | ratio | target | met |', '| --- | ---: | ---: | :---: |');
  for (const c of d.checks) lines.push(`| ${c.goal} | ${fmtRatio(c.ratio)} | ≥ ${c.target}× | ${c.ratio === null ? 'skipped' : c.met ? 'yes' : '**no**'} |`);
  lines.push('');
  lines.push(...kernelMarkdown(d));
  lines.push('## Replay end to end', '');
  const r = d.replay;
  lines.push(`\`logit replay --input ${r.input} --progress-every 0 --learning-rate ${d.learningRate}\` (Node start, CSV parse, OnlineLearner with its metrics and drift detectors, summary) ` +
    'against VW learning the same rows from its own text format (`-d`, Python start and the wheel included), each a whole process: CPU = user + sys of the process.', '');
  lines.push('| run | rows | CPU s | wall s | rows / CPU s | final prequential log loss | logit ÷ this (CPU) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const row = (n, x) => `| ${n} | ${x.rows} | ${x.cpuSec.toFixed(2)} | ${x.wallSec.toFixed(2)} | ${fmtRate(x.rowsPerCpuSec)} | ${fmtLoss(x.logLoss)} | ${fmtRatio(r.logit.rowsPerCpuSec / x.rowsPerCpuSec)} |`;
  lines.push(row('**logit replay** (sgd, constant η)', r.logit));
  if (r.vw.sgd) lines.push(row('VW `--sgd --power_t 0 -l 0.05`', r.vw.sgd));
  if (r.vw.adaptive) lines.push(row('VW default (adaptive)', r.vw.adaptive));
  if (!r.vw.sgd) lines.push('', `VW skipped: ${skipped}.`);
  lines.push('');
  lines.push('Regenerate: `pnpm bench` (full: about 5 minutes on 2 shared cores) or `pnpm bench --quick` (smoke run, written under bench-data/). ' +
    'The peers install once into the git-ignored `.venv-bench/` (`bash scripts/bench/venv.sh`, pinned versions); the data sets go to the git-ignored `bench-data/`.', '');
  return lines.join('\n');
}

// ---- run ----
let skipped = null;
const started = new Date().toISOString();
if (kernelOnly) {
  skipped = 'not run (--kernel-only)';
  log(`kernel synthetic (${quick ? 'quick' : 'full'})`);
  const kernel = kernelSynthetic();
  const files = {};
  for (const [dim, rows, river, partial] of [[20, S.rows20, S.river, S.partial], [100, S.rows100, S.river100, S.partial100]]) {
    log(`kernel on the same file: dense${dim}`);
    files[`dense${dim}`] = sameFile(await dataSet(dim, rows), dim, river, partial);
  }
  load.push(loadavg()[0]);
  const doc = { generatedBy: `node scripts/bench/run.mjs --kernel-only${quick ? ' --quick' : ''}`, started, loadAverage1m: load, learningRate: LR, kernel, sameFile: files };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'benchmarks-kernel.json'), `${JSON.stringify(doc, null, 1)}\n`);
  process.stdout.write(`${kernelMarkdown(doc).join('\n').trim()}\n\n1-minute load average ${load.map((v) => v.toFixed(2)).join(' → ')}; raw figures: bench-data/benchmarks-kernel.json\n`);
  process.exit(0);
}
log(`kernel synthetic (${quick ? 'quick' : 'full'})`);
const kernel = kernelSynthetic();
const base20 = await dataSet(20, S.rows20);
const base100 = await dataSet(100, S.rows100);
skipped = peersAvailable();
log('same files: dense20');
const dense20 = sameFile(base20, 20, S.river, S.partial);
log('same files: dense100');
const dense100 = sameFile(base100, 100, S.river100, S.partial100);
const rep = replay(base20);
load.push(loadavg()[0]);

const cs = cpus();
const doc = {
  generatedBy: `pnpm bench${quick ? ' --quick' : ''} (scripts/bench/run.mjs)`,
  started,
  machine: { cpu: cs[0]?.model ?? 'unknown', cores: cs.length, node: process.version, platform: `${process.platform}-${process.arch}` },
  loadAverage1m: load,
  learningRate: LR,
  peersSkipped: skipped,
  kernel,
  sameFile: { dense20, dense100 },
  replay: rep,
};
doc.checks = checks(doc);
const outDir = quick ? dataDir : join(root, 'docs');
mkdirSync(outDir, { recursive: true });
const stem = quick ? 'benchmarks-quick' : 'benchmarks';
writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(doc, null, 1)}\n`);
// The Kafka-path section (between its markers) comes from `pnpm bench:kafka`: keep it as it is.
const mdPath = join(outDir, `${stem}.md`);
const kafkaBlock = existsSync(mdPath) ? /<!-- kafka-bench:start[\s\S]*?<!-- kafka-bench:end -->\n?/.exec(readFileSync(mdPath, 'utf8'))?.[0] ?? '' : '';
writeFileSync(mdPath, `${markdown(doc)}${kafkaBlock === '' ? '' : `\n${kafkaBlock}`}`);
log(`wrote ${relative(root, join(outDir, stem))}.json and .md`);
process.stdout.write(`${JSON.stringify({ checks: doc.checks, loadAverage1m: load })}\n`);

