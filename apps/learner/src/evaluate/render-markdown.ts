import { ORACLE_KEY, type CalibrationResults } from './calibration-experiment.js';
import type { EvaluationSetup } from './definitions.js';
import type { DriftResults, DriftSummaryRow } from './drift-experiment.js';
import { fmt, fmtMeanSd, markdownTable } from './markdown-table.js';
import type { NoiseResults } from './noise-experiment.js';

/** Everything the report is rendered from. */
export interface EvaluationReportInput {
  readonly setup: EvaluationSetup;
  readonly noise: NoiseResults | null;
  readonly calibration: CalibrationResults | null;
  readonly drift: DriftResults | null;
  /** The exact command that produced the figures. */
  readonly command: string;
  /** Wall time of each experiment and in total, seconds. */
  readonly seconds: Readonly<Record<string, number>>;
  /** Machine description (CPU, cores, Node version, platform). */
  readonly machine: string;
  /** ISO date of the run. */
  readonly date: string;
  /** Where the raw figures are (file name beside the markdown). */
  readonly jsonFile: string;
  /** Data folder as given (relative to the repository root). */
  readonly dataDir: string;
}

const seedsText = (s: readonly number[]): string =>
  s.length === 1 ? `1 seed (${s[0]})` : `${s.length} seeds (${s[0]}–${s[s.length - 1]})`;

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

const optionsText = (o: object): string => {
  const e = Object.entries(o).filter(([, v]) => v !== undefined);
  return e.length === 0 ? '(defaults)' : e.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
};

function renderNoise(input: EvaluationReportInput, r: NoiseResults): string {
  const s = input.setup.noise;
  const out: string[] = [];
  out.push('## 1. Label noise: correction with a known and with an estimated transition matrix\n');
  out.push('**Setup.**\n');
  out.push(
    `- Data: ${s.datasets.map((d) => `\`${input.dataDir}/${d.file}\``).join(' and ')}; ` +
      `rows shuffled and split with the seed, ${Math.round(s.testFraction * 100)} % held out with their clean labels.`,
  );
  out.push(
    '- Features standardised with the mean and variance of the training rows only (kernel `StandardScaler`); ' +
      'the learner itself runs with `standardize: false` on the scaled rows.',
  );
  out.push(
    `- Training labels flipped with ρ0 = P(1 | clean 0) = ${s.rho0} and ρ1 = P(0 | clean 1) = ${s.rho1} (seeded, one draw per label). ` +
      `${Math.round(s.trustedFraction * 100)} % of the training events (exactly, seeded) are audited: they carry the clean label, ` +
      '`trusted: true` and `sourceLabel` = the flipped label; the other variants see the flipped label there too (the clean variant sees clean labels everywhere).',
  );
  out.push(
    `- Learner: ${optionsText(s.common)}, dense features; ` +
      s.datasets.map((d) => `${d.passes} passes over ${d.name}`).join(', ') +
      ' (each pass in a fresh seeded order, the same for every variant).',
  );
  out.push(
    '- Estimated T: `noiseEstimation: "trusted"` with `noiseMinEvidence` = the number of audited events, so the ' +
      'estimate from the (label, sourceLabel) pairs replaces "no correction" once every audited pair has been seen (after the first pass; ' +
      'later passes repeat the same pairs, which leaves the estimate unchanged).',
  );
  out.push(
    '- Metric: accuracy (p ≥ 0.5) on the held-out rows, scored as unlabelled events (never learned from), against their clean labels; ' +
      `mean ± sd over ${seedsText(s.seeds)}. Seed s drives the split (Rng(s)), the flips (Rng(s + 1000003)), the audit (Rng(s + 2000003)) and the pass orders (Rng(s + 3000003)).`,
  );
  out.push(`- Command: \`${input.command}\` (wall time of this table ${fmt(input.seconds.noise ?? NaN, 1)} s).\n`);

  const header = ['training labels / correction', ...s.datasets.map((d) => `${d.name} accuracy`)];
  const rows = s.variants.map((v) => [
    v.title,
    ...s.datasets.map((d) => {
      const row = r.summary.find((x) => x.dataset === d.name && x.variant === v.key);
      return row === undefined ? 'n/a' : fmtMeanSd(row.accuracy, 3);
    }),
  ]);
  out.push(markdownTable(header, rows));

  const estRows: string[][] = [];
  const trustedKeys = s.variants.filter((v) => v.options.noiseEstimation === 'trusted').map((v) => v.key);
  let allSame = true;
  for (const d of s.datasets) {
    const rows = r.summary.filter((x) => x.dataset === d.name && trustedKeys.includes(x.variant));
    // Every trusted-estimation variant sees the same audited pairs; then one row per data set.
    const same = rows.every((x) => x.rho0.mean === rows[0].rho0.mean && x.rho1.mean === rows[0].rho1.mean);
    allSame &&= same;
    for (const row of same ? rows.slice(0, 1) : rows) {
      const runs = r.runs.filter((x) => x.dataset === d.name && x.variant === row.variant);
      const title = s.variants.find((v) => v.key === row.variant)?.title ?? row.variant;
      estRows.push([
        same ? d.name : `${d.name}, ${title}`,
        fmtMeanSd(row.rho0, 3),
        fmtMeanSd(row.rho1, 3),
        [...new Set(runs.map((x) => x.estimator))].join(', '),
        String(runs[0]?.trustedRows ?? 0),
        `${pct(runs.reduce((a, x) => a + x.flipped0, 0) / runs.length)} / ${pct(runs.reduce((a, x) => a + x.flipped1, 0) / runs.length)}`,
      ]);
    }
  }
  if (estRows.length > 0) {
    out.push(
      `\nEstimated rates (true ρ0 = ${s.rho0}, ρ1 = ${s.rho1}), as the learner publishes them in \`report().noise\`` +
        (allSame ? ' (identical for the forward and the backward variant, which see the same audited pairs):\n' : ':\n'),
    );
    out.push(markdownTable(['data', 'ρ̂0', 'ρ̂1', 'estimator', 'audited events', 'realised flips 0→1 / 1→0'], estRows));
  }

  out.push('\n**What it shows.**\n');
  for (const d of s.datasets) {
    const acc = (k: string): number => r.summary.find((x) => x.dataset === d.name && x.variant === k)?.accuracy.mean ?? NaN;
    const noisy = acc('noisy');
    const parts = s.variants
      .filter((v) => v.key !== 'noisy')
      .map((v) => {
        const a = acc(v.key);
        const diff = 100 * (a - noisy);
        return `${v.title} ${fmt(a, 3)} (${diff >= 0 ? '+' : '−'}${fmt(Math.abs(diff), 1)} points)`;
      });
    out.push(`- ${d.name}: uncorrected training on the flipped labels reaches ${fmt(noisy, 3)}; against it, ${parts.join('; ')}.`);
  }
  const negatives = r.runs.filter((x) => x.variant.startsWith('backward')).reduce((a, x) => a + x.negativeLosses, 0);
  out.push(
    '- Why: under asymmetric flips the noisy posterior is ρ0 + (1 − ρ0 − ρ1)·η, so a model fitted to it puts its 0.5 threshold where the clean ' +
      `η = (0.5 − ρ0)/(1 − ρ0 − ρ1) = ${fmt((0.5 - s.rho0) / (1 - s.rho0 - s.rho1), 2)}, not 0.5; the corrections undo that shift. ` +
      `Backward correction's loss went negative on ${negatives} training steps, summed over all backward runs (the learner reports them as \`noise.negativeLosses\`).`,
  );
  for (const d of s.datasets) {
    const row = r.summary.find((x) => x.dataset === d.name && x.variant === 'forward-trusted');
    const run = r.runs.find((x) => x.dataset === d.name && x.variant === 'forward-trusted');
    if (row === undefined || run === undefined) continue;
    out.push(
      `- ${d.name}: from ${run.trustedRows} audited events the estimate is ρ̂0 = ${fmtMeanSd(row.rho0, 3)}, ρ̂1 = ${fmtMeanSd(row.rho1, 3)} ` +
        `(true ${s.rho0}, ${s.rho1}); its spread across seeds is the price of a small audit.`,
    );
  }
  return `${out.join('\n')}\n`;
}

function renderCalibration(input: EvaluationReportInput, r: CalibrationResults): string {
  const s = input.setup.calibration;
  const out: string[] = [];
  out.push('## 2. Calibration: raw logistic, hinge + calibrators, label smoothing\n');
  out.push('**Setup.**\n');
  out.push(
    `- Streams: ${s.streams
      .map((st) =>
        st.kind === 'csv'
          ? `\`${input.dataDir}/${st.file}\` (rows shuffled with the seed)`
          : `a synthetic logistic stream (${st.events} events, d = ${st.dim}, x ~ N(0, I), y ~ Bernoulli(σ(w·x − 0.5)) with ‖w‖ = 2, w drawn with the seed)`,
      )
      .join('; ')}; one pass each.`,
  );
  out.push(`- Learner: ${optionsText(s.common)}, dense features standardised online by the learner (\`standardize: true\`).`);
  out.push(
    `- Variants: ${s.variants.map((v) => `${v.title} (${optionsText(v.options)})`).join('; ')}. Platt and isotonic are the kernel defaults (isotonic: window 2000, refit every 100).`,
  );
  out.push(
    '- Metrics: prequential (each event scored before anything learns from it) over the whole stream, on `pCalibrated`, as the learner reports them in `report().total`: ' +
      'ECE (positive-class version, 15 equal-width bins of p), Brier score, log loss, accuracy at 0.5; ' +
      `mean ± sd over ${seedsText(s.seeds)}. The last column is the ECE over the learner's sliding window (its last \`metricsWindow\` = 1000 events, \`report().window\`): ` +
      'where the model ends up, without the warm-up.',
  );
  out.push(`- Command: \`${input.command}\` (wall time of this table ${fmt(input.seconds.calibration ?? NaN, 1)} s).\n`);
  for (const st of s.streams) {
    const rows = [...s.variants.map((v) => v.key), ORACLE_KEY]
      .map((k) => r.summary.find((x) => x.stream === st.name && x.variant === k))
      .filter((x) => x !== undefined)
      .map((x) => [
        x.variant === ORACLE_KEY ? 'true P(y = 1 | x) (reference)' : (s.variants.find((v) => v.key === x.variant)?.title ?? x.variant),
        fmtMeanSd(x.ece, 4),
        fmtMeanSd(x.brier, 4),
        fmtMeanSd(x.logLoss, 4),
        fmtMeanSd(x.accuracy, 4),
        fmtMeanSd(x.eceWindow, 4),
      ]);
    if (rows.length === 0) continue;
    const run = r.runs.find((x) => x.stream === st.name);
    out.push(`\n**${st.name}** (${run?.events ?? 0} events):\n`);
    out.push(markdownTable(['model', 'ECE', 'Brier', 'log loss', 'accuracy', `ECE, last ${run?.window.events ?? 0}`], rows));
  }
  out.push('\n**What it shows.**\n');
  for (const st of s.streams) {
    const all = r.summary.filter((x) => x.stream === st.name);
    const rows = all.filter((x) => x.variant !== ORACLE_KEY);
    if (rows.length === 0) continue;
    const oracle = all.find((x) => x.variant === ORACLE_KEY);
    const get = (k: string): number => rows.find((x) => x.variant === k)?.ece.mean ?? NaN;
    const ll = (k: string): number => rows.find((x) => x.variant === k)?.logLoss.mean ?? NaN;
    const best = rows.reduce((a, b) => (b.ece.mean < a.ece.mean ? b : a));
    const title = (k: string): string => s.variants.find((v) => v.key === k)?.title ?? k;
    out.push(
      `- ${st.name}: lowest ECE ${fmt(best.ece.mean, 4)} for ${title(best.variant)}; raw logistic ${fmt(get('log'), 4)}; ` +
        `with label smoothing the raw ECE is ${fmt(get('ls'), 4)} (${get('ls') > get('log') ? 'higher' : 'lower'} than without), and ${fmt(get('ls-platt'), 4)} / ${fmt(get('ls-isotonic'), 4)} after Platt / isotonic; ` +
        `hinge + Platt ${fmt(get('hinge-platt'), 4)}, hinge + isotonic ${fmt(get('hinge-isotonic'), 4)}. ` +
        `Platt against the raw model: log loss ${fmt(ll('log-platt'), 4)} vs ${fmt(ll('log'), 4)}, ECE ${fmt(get('log-platt'), 4)} vs ${fmt(get('log'), 4)}.` +
        (oracle === undefined
          ? ''
          : ` The true probability itself scores ECE ${fmt(oracle.ece.mean, 4)} over the stream and ${fmt(oracle.eceWindow.mean, 4)} over its last ` +
            `${r.runs.find((x) => x.stream === st.name && x.variant === ORACLE_KEY)?.window.events ?? 0} events: finite-sample ECE has a floor, ` +
            'so windowed ECE differences below it are noise.'),
    );
  }
  out.push(
    '- Expected from theory (ML-NOTES): smoothing with ε trains towards p* = (1 − ε)η + ε/2, so a model that would otherwise be calibrated becomes under-confident and its ' +
      'raw ECE grows, while a calibrator fitted on the smoothed scores maps them back; a model that is over-confident (unregularised SGD early in a stream, visible as a log loss ' +
      'far above the Brier score) can instead gain from smoothing. Platt scaling fits σ(a z + c) by log loss, not by ECE: on an over-confident model it shrinks the scores (a < 1), which cuts the log loss of confident mistakes but can leave the middle bins miscalibrated, since a sigmoid cannot change the shape of the reliability curve; isotonic can. A hinge score is not a probability at all and only becomes one through a calibrator. On small data sets ' +
      '(WDBC: 569 events) the prequential figures are dominated by the first few hundred events, while the model and the calibrator are still learning.',
  );
  return `${out.join('\n')}\n`;
}

function delayText(row: DriftSummaryRow): string {
  if (row.changes === 0) return '–';
  if (row.detected === 0) return 'none detected';
  return fmtMeanSd(row.delay, 0);
}

function renderDrift(input: EvaluationReportInput, r: DriftResults): string {
  const s = input.setup.drift;
  const out: string[] = [];
  out.push('## 3. Drift: detection delay, missed detections and false alarms\n');
  out.push('**Setup.**\n');
  out.push(`- Streams (drawn with the seed): ${s.streams.map((st) => `**${st.name}**: ${st.description}, ${st.events} events`).join('; ')}.`);
  out.push(
    `- Learner: ${optionsText(s.common)}, dense features; one learner per detector (\`drift.detectors: [name]\`, River/MOA default settings), ` +
      'each watching the 0/1 error of the live model and of the frozen reference model (a copy of the weights after 1000 labelled events, dropped on a detection ' +
      'and re-taken 1000 labelled events later); `reaction: "none"`.',
  );
  out.push(
    `- Scoring: the first detection in [c, c + ${s.tolerance}) (cut at the next change) detects change c, its delay is the number of events from c to it; ` +
      'a change with none there is missed; further detections in that window are re-detections (not counted); every other detection is a false alarm, counted per ' +
      `100 000 events outside the windows. On the streams without an abrupt change every detection is counted. ${seedsText(s.seeds)}; delays are pooled over seeds and changes (mean ± sd).`,
  );
  out.push(`- Command: \`${input.command}\` (wall time of this table ${fmt(input.seconds.drift ?? NaN, 1)} s).\n`);
  for (const st of s.streams) {
    const rows = r.summary.filter((x) => x.stream === st.name);
    if (rows.length === 0) continue;
    out.push(`\n**${st.name}**${st.changes.length > 0 ? ` (changes at ${st.changes.join(', ')})` : ''}:\n`);
    if (st.changes.length > 0) {
      out.push(
        markdownTable(
          ['detector', 'error of', 'delay (events)', 'detected', 'missed', 'false alarms / 100k'],
          rows.map((x) => [
            x.detector,
            x.model,
            delayText(x),
            `${x.detected} / ${x.changes}`,
            String(x.missed),
            fmtMeanSd(x.falseAlarmsPer100k, 1),
          ]),
        ),
      );
    } else {
      out.push(
        markdownTable(
          ['detector', 'error of', 'detections / 100k events'],
          rows.map((x) => [x.detector, x.model, fmtMeanSd(x.detectionsPer100k, 1)]),
        ),
      );
    }
    const acc = rows[0]?.accuracy;
    if (acc !== undefined) out.push(`\nPrequential accuracy of the live model on this stream: ${fmtMeanSd(acc, 3)}.`);
  }
  out.push('\n**What it shows.**\n');
  for (const st of s.streams) {
    const rows = r.summary.filter((x) => x.stream === st.name);
    if (rows.length === 0) continue;
    if (st.changes.length > 0) {
      const cell = (x: DriftSummaryRow): string =>
        `${x.detector}/${x.model} ${x.detected}/${x.changes}${x.detected > 0 ? ` after ${fmt(x.delay.mean, 0)} events` : ''}`;
      const live = rows.filter((x) => x.model === 'live').reduce((a, x) => a + x.detected, 0);
      const ref = rows.filter((x) => x.model === 'reference').reduce((a, x) => a + x.detected, 0);
      out.push(
        `- ${st.name}: detected changes ${rows.map(cell).join('; ')}. Over all detectors the live model's error gave ${live} detections of a change and the reference model's ${ref}.`,
      );
    } else {
      out.push(`- ${st.name}: detections per 100 000 events: ${rows.map((x) => `${x.detector}/${x.model} ${fmt(x.detectionsPer100k.mean, 1)}`).join('; ')}.`);
    }
  }
  out.push(
    '- Expected (SPEC, ML-NOTES): an adaptive learner hides mild drift (SEA\'s switches θ = 8 → 9 → 7 → 9.5 change the label of 8.5 %, 16 % and 20.6 % of the feature square) from detectors that watch its own error, ' +
      'because it re-learns about as fast as its error rises; the frozen reference model keeps the old concept, so its error jumps and stays up. DDM is known to raise false alarms on long ' +
      'stationary streams.',
  );
  return `${out.join('\n')}\n`;
}

/**
 * Renders `docs/evaluation.md`: a header with how the figures were made, then one section per
 * experiment with its setup (data, seeds, options, exact command), its table(s), and what it shows
 * (sentences computed from the figures, plus what theory predicts, marked as such).
 *
 * @param input - setup, results, command, timings, machine
 * @returns the markdown text
 * @example
 * writeFileSync('docs/evaluation.md', renderEvaluationMarkdown(input));
 */
export function renderEvaluationMarkdown(input: EvaluationReportInput): string {
  const parts: string[] = [];
  parts.push('# Evaluation: label noise, calibration, drift\n');
  parts.push(
    `Generated by \`${input.command}\` on ${input.date} (${input.setup.quick ? 'quick, reduced run' : 'full run'}), ` +
      `on ${input.machine}; wall time of the experiments ${fmt(input.seconds.total ?? NaN, 1)} s (\`pnpm logit\` builds the packages first). ` +
      `Do not edit by hand: rerun the command. The figures are deterministic for the given seeds (only the timings change); ` +
      `the raw per-seed figures are in [\`${input.jsonFile}\`](${input.jsonFile}). The code is \`apps/learner/src/evaluate/\`.\n`,
  );
  if (input.noise !== null) parts.push(renderNoise(input, input.noise));
  if (input.calibration !== null) parts.push(renderCalibration(input, input.calibration));
  if (input.drift !== null) parts.push(renderDrift(input, input.drift));
  // One blank line between blocks (tables end with a newline of their own).
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
