import { CoreError, DEFAULT_LEARNER_OPTIONS, resolveLearnerOptions } from '@logit-stream/core';
import type { FeatureOptions, LearnerOptions, LearnerOptionsInput } from '@logit-stream/core';
import type { Command } from 'commander';
import { AppError } from './app-error.js';

/** Raw flag values as commander hands them over (strings, booleans, or undefined when not given). */
export type RawFlags = Readonly<Record<string, unknown>>;

const D = DEFAULT_LEARNER_OPTIONS;

/** The learner option (as `resolveLearnerOptions` names it) → the CLI flag that sets it. */
const FLAG_OF: Readonly<Record<string, string>> = {
  loss: '--loss',
  optimizer: '--optimizer',
  learningRate: '--learning-rate',
  schedule: '--schedule',
  powerT: '--power-t',
  l2: '--l2',
  l1: '--l1',
  ftrlBeta: '--ftrl-beta',
  labelSmoothing: '--label-smoothing',
  noiseRates: '--noise-rates',
  noiseCorrection: '--noise-correction',
  noiseEstimation: '--noise-estimation',
  calibration: '--calibration',
  standardize: '--standardize',
  'features.bits': '--hash-bits',
  'features.seed': '--hash-seed',
  'features.dim': '--dense-dim',
  maxFeatures: '--max-features',
  maxEventBytes: '--max-event-bytes',
  metricsWindow: '--metrics-window',
  'drift.detectors': '--drift-detectors',
  'drift.detectors entry': '--drift-detectors',
  'drift.reaction': '--drift-reaction',
};

function bad(flag: string, value: unknown, allowed: string): never {
  throw new AppError('bad-option', `${flag} ${JSON.stringify(value)} is not allowed: use ${allowed}`, { exitCode: 2 });
}

/**
 * Reads a numeric flag. `undefined` (flag not given) gives `undefined`.
 *
 * @example
 * numberFlag('--rate', '100', { min: 0 }) // 100
 */
export function numberFlag(
  flag: string,
  raw: unknown,
  o: { integer?: boolean; min?: number; max?: number; minExclusive?: boolean } = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const v = s === '' ? Number.NaN : Number(s);
  const min = o.min ?? Number.NEGATIVE_INFINITY;
  const max = o.max ?? Number.POSITIVE_INFINITY;
  const kind = o.integer ? 'an integer' : 'a number';
  const range =
    o.min !== undefined && o.max !== undefined
      ? ` in [${min}, ${max}]`
      : o.min !== undefined
        ? ` ${o.minExclusive ? '>' : '>='} ${min}`
        : o.max !== undefined
          ? ` <= ${max}`
          : '';
  if (!Number.isFinite(v) || (o.integer && !Number.isInteger(v)) || v < min || v > max || (o.minExclusive && v <= min)) {
    bad(flag, raw, kind + range);
  }
  return v;
}

/** Reads a flag that must be one of `allowed`; `undefined` gives `undefined`. */
export function choiceFlag<T extends string>(flag: string, raw: unknown, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) bad(flag, raw, `one of ${allowed.join('|')}`);
  return raw as T;
}

/** Reads a non-empty string flag (topic names, ids, paths); `undefined` gives `undefined`. */
export function stringFlag(flag: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') bad(flag, raw, 'a non-empty string');
  return raw;
}

function noiseRatesFlag(raw: unknown): [number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = String(raw).split(',');
  const allowed = 'two rates r0,r1 with 0 <= r0, 0 <= r1 and r0 + r1 < 1, e.g. 0.1,0.2';
  if (parts.length !== 2) bad('--noise-rates', raw, allowed);
  const r = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (!r.every((v) => Number.isFinite(v) && v >= 0) || !(r[0] + r[1] < 1)) bad('--noise-rates', raw, allowed);
  return [r[0], r[1]];
}

function detectorsFlag(raw: unknown): ('adwin' | 'page-hinkley' | 'ddm')[] | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (s === 'none') return [];
  const names = ['adwin', 'page-hinkley', 'ddm'] as const;
  const out: ('adwin' | 'page-hinkley' | 'ddm')[] = [];
  for (const part of s.split(',')) {
    const n = part.trim();
    if (!(names as readonly string[]).includes(n) || out.includes(n as (typeof names)[number])) {
      bad('--drift-detectors', raw, `'none' or a comma list of distinct ${names.join('|')}`);
    }
    out.push(n as (typeof names)[number]);
  }
  return out;
}

/**
 * Adds the learning options shared by `replay` and `run` (SPEC §3), each documented with its default.
 *
 * @example
 * addLearningOptions(new Command('replay'))
 */
export function addLearningOptions(cmd: Command): Command {
  return cmd
    .option('--loss <loss>', `loss: log|hinge (hinge needs --calibration platt|isotonic) (default: ${D.loss})`)
    .option('--optimizer <name>', `optimizer: sgd|adagrad|ftrl (default: ${D.optimizer})`)
    .option('--learning-rate <eta>', `learning rate η (α for ftrl), > 0 (default: ${D.learningRate})`)
    .option('--schedule <schedule>', `SGD schedule: constant|invscaling (η/t^power-t) (default: ${D.schedule})`)
    .option('--power-t <p>', `exponent of the invscaling schedule, > 0 (default: ${D.powerT})`)
    .option('--l2 <lambda>', `L2 regularisation λ (λ/2)‖w‖², >= 0; the bias is never regularised (default: ${D.l2})`)
    .option('--l1 <lambda>', `L1 regularisation λ1, ftrl only, >= 0 (default: ${D.l1})`)
    .option('--ftrl-beta <beta>', `FTRL β, > 0 (default: ${D.ftrlBeta})`)
    .option('--label-smoothing <eps>', `label smoothing ε in [0,1): train on y(1−ε)+ε/2 (default: ${D.labelSmoothing})`)
    .option('--noise-rates <r0,r1>', 'known label-noise rates ρ0=P(1|true 0), ρ1=P(0|true 1), ρ0+ρ1<1 (default: none)')
    .option('--noise-correction <kind>', `label-noise correction: none|forward|backward (default: ${D.noiseCorrection})`)
    .option('--noise-estimation <kind>', `online noise-rate estimation: none|trusted|anchor (default: ${D.noiseEstimation})`)
    .option('--calibration <kind>', `online calibration: none|platt|isotonic (default: ${D.calibration})`)
    .option('--standardize', 'online standardisation of dense features (running mean/variance) (default: off)')
    .option('--metrics-window <n>', `sliding window of the windowed metrics, in labelled events (default: ${D.metricsWindow})`)
    .option(
      '--drift-detectors <list>',
      `drift detectors on the 0/1 error: 'none' or a comma list of adwin|page-hinkley|ddm (default: ${D.drift.detectors.join(',')})`,
    )
    .option('--drift-reaction <kind>', `on drift: none (report only)|boost (raise η for a while)|reset (restart the η schedule) (default: ${D.drift.reaction})`)
    .option('--learner-id <id>', 'learner id in logs and metrics (default: learner-0)');
}

/**
 * Turns the learning flags into a partial {@link LearnerOptionsInput} (no defaults filled in:
 * core's `resolveLearnerOptions` does that), checking the syntax of each value.
 */
export function learningInputFromFlags(f: RawFlags): LearnerOptionsInput {
  const input: Record<string, unknown> = {
    loss: choiceFlag('--loss', f.loss, ['log', 'hinge'] as const),
    optimizer: choiceFlag('--optimizer', f.optimizer, ['sgd', 'adagrad', 'ftrl'] as const),
    learningRate: numberFlag('--learning-rate', f.learningRate, { min: 0, minExclusive: true }),
    schedule: choiceFlag('--schedule', f.schedule, ['constant', 'invscaling'] as const),
    powerT: numberFlag('--power-t', f.powerT, { min: 0, minExclusive: true }),
    l2: numberFlag('--l2', f.l2, { min: 0 }),
    l1: numberFlag('--l1', f.l1, { min: 0 }),
    ftrlBeta: numberFlag('--ftrl-beta', f.ftrlBeta, { min: 0, minExclusive: true }),
    labelSmoothing: numberFlag('--label-smoothing', f.labelSmoothing, { min: 0 }),
    noiseRates: noiseRatesFlag(f.noiseRates),
    noiseCorrection: choiceFlag('--noise-correction', f.noiseCorrection, ['none', 'forward', 'backward'] as const),
    noiseEstimation: choiceFlag('--noise-estimation', f.noiseEstimation, ['none', 'trusted', 'anchor'] as const),
    calibration: choiceFlag('--calibration', f.calibration, ['none', 'platt', 'isotonic'] as const),
    standardize: f.standardize === true ? true : undefined,
    metricsWindow: numberFlag('--metrics-window', f.metricsWindow, { integer: true, min: 1 }),
  };
  const detectors = detectorsFlag(f.driftDetectors);
  const reaction = choiceFlag('--drift-reaction', f.driftReaction, ['none', 'boost', 'reset'] as const);
  if (detectors !== undefined || reaction !== undefined) {
    const drift: Record<string, unknown> = {};
    if (detectors !== undefined) drift.detectors = detectors;
    if (reaction !== undefined) drift.reaction = reaction;
    input.drift = drift;
  }
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input as LearnerOptionsInput;
}

/**
 * Resolves learning options with core's `resolveLearnerOptions`, turning its 'bad-option' errors
 * (which name the option field) into AppErrors that name the CLI flag, the value and what is allowed.
 *
 * @param input - from {@link learningInputFromFlags}, plus `features` and limits set by the command
 * @param hint - appended to a message, e.g. how to switch to dense features
 * @example
 * resolveFromFlags({ learningRate: 0.1 }).learningRate // 0.1
 */
export function resolveFromFlags(input: LearnerOptionsInput, hint = ''): LearnerOptions {
  try {
    return resolveLearnerOptions(input);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'bad-option') {
      let msg = e.message;
      // core's messages start with the option name, e.g. "learningRate -1 is not allowed: ...".
      const names = Object.keys(FLAG_OF).sort((a, b) => b.length - a.length);
      for (const name of names) {
        if (msg.startsWith(`${name} `)) {
          msg = FLAG_OF[name] + msg.slice(name.length);
          break;
        }
      }
      throw new AppError('bad-option', hint ? `${msg} ${hint}` : msg, { cause: e, exitCode: 2 });
    }
    throw e;
  }
}

/** Reads `--learner-id` (default 'learner-0'). */
export function learnerIdFromFlags(f: RawFlags): string {
  return stringFlag('--learner-id', f.learnerId) ?? 'learner-0';
}

/** Everything `replay` needs, validated. */
export interface ReplayConfig {
  input: string;
  labelColumn: string;
  /** Learning options without `features` (the CSV's width decides those). */
  learning: LearnerOptionsInput;
  learnerId: string;
  shuffleSeed: number | null;
  modelOut: string | null;
  scoresOut: string | null;
  progressEvery: number;
}

/**
 * Validates the flags of `replay`.
 *
 * @throws AppError 'bad-option' (exit code 2) naming the flag, the value and what is allowed
 */
export function replayConfigFromFlags(f: RawFlags): ReplayConfig {
  const input = stringFlag('--input', f.input);
  if (input === undefined) bad('--input', f.input, 'the path of a CSV file with a header row');
  const learning = learningInputFromFlags(f);
  // Validate now with a placeholder width so that bad values stop before the file is read.
  resolveFromFlags({ ...learning, features: { kind: 'dense', dim: 1 } });
  return {
    input,
    labelColumn: stringFlag('--label-column', f.labelColumn) ?? 'label',
    learning,
    learnerId: learnerIdFromFlags(f),
    shuffleSeed: numberFlag('--shuffle-seed', f.shuffleSeed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) ?? null,
    modelOut: stringFlag('--model-out', f.modelOut) ?? null,
    scoresOut: stringFlag('--scores-out', f.scoresOut) ?? null,
    progressEvery: numberFlag('--progress-every', f.progressEvery, { integer: true, min: 0 }) ?? 10_000,
  };
}

/** Topic names of the service (SPEC §2 defaults). */
export interface Topics {
  events: string;
  scores: string;
  metrics: string;
  dlq: string;
  snapshots: string;
}

/** Everything `run` needs, validated. */
export interface RunConfig {
  learner: LearnerOptions;
  learnerId: string;
  /** Broker list from --brokers or KAFKA_BROKERS; null = the embedded source. */
  brokers: string[] | null;
  groupId: string;
  topics: Topics;
  partitions: number | null;
  modelOut: string | null;
  scoresOut: string | null;
  exitOnIdleMs: number | null;
  maxEvents: number | null;
  metricsEvery: number;
  metricsIntervalMs: number;
  /** Embedded source only. */
  embedded: { seed: number; rate: number; batchSize: number; driftEvery: number; concept: 'sea' | 'hyperplane' };
  logLevel: string;
  /** The metrics/health/live-page server, or null (no --http-port). */
  http: { host: string; port: number } | null;
}

function httpFromFlags(f: RawFlags): { host: string; port: number } | null {
  const port = numberFlag('--http-port', f.httpPort, { integer: true, min: 0, max: 65535 });
  const host = stringFlag('--http-host', f.httpHost);
  if (port === undefined) {
    if (host !== undefined) bad('--http-host', host, 'it together with --http-port PORT (the server is off without a port)');
    return null;
  }
  return { host: host ?? '127.0.0.1', port };
}

/** The SEA stream's width: the embedded source emits dense arrays of this length with --dense-dim. */
const EMBEDDED_DIM = { sea: 3, hyperplane: 10 } as const;

/**
 * Validates the flags of `run`; `env` supplies KAFKA_BROKERS when --brokers is absent.
 *
 * @throws AppError 'bad-option' (exit code 2) naming the flag, the value and what is allowed
 */
export function runConfigFromFlags(f: RawFlags, env: Readonly<Record<string, string | undefined>> = {}): RunConfig {
  const brokersRaw = stringFlag('--brokers', f.brokers) ?? (env.KAFKA_BROKERS?.trim() ? env.KAFKA_BROKERS : undefined);
  const brokers = brokersRaw === undefined ? null : brokersRaw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers !== null && brokers.length === 0) bad('--brokers', brokersRaw, 'a comma list of host:port');
  const concept = choiceFlag('--concept', f.concept, ['sea', 'hyperplane'] as const) ?? 'sea';
  const denseDim = numberFlag('--dense-dim', f.denseDim, { integer: true, min: 1, max: 1 << 24 });
  if (brokers === null && denseDim !== undefined && denseDim !== EMBEDDED_DIM[concept]) {
    bad('--dense-dim', f.denseDim, `${EMBEDDED_DIM[concept]} with the embedded ${concept} stream (or give --brokers)`);
  }
  const features: FeatureOptions =
    denseDim !== undefined
      ? { kind: 'dense', dim: denseDim }
      : {
          kind: 'hashed',
          bits: numberFlag('--hash-bits', f.hashBits, { integer: true, min: 1, max: 30 }) ?? 18,
          seed: numberFlag('--hash-seed', f.hashSeed, { integer: true, min: 0, max: 0xffffffff }) ?? 0,
        };
  const input: LearnerOptionsInput = {
    ...learningInputFromFlags(f),
    features,
  };
  const maxFeatures = numberFlag('--max-features', f.maxFeatures, { integer: true, min: 1 });
  if (maxFeatures !== undefined) input.maxFeatures = maxFeatures;
  const maxEventBytes = numberFlag('--max-event-bytes', f.maxEventBytes, { integer: true, min: 16 });
  if (maxEventBytes !== undefined) input.maxEventBytes = maxEventBytes;
  const learner = resolveFromFlags(input, features.kind === 'hashed' ? '(for dense array events pass --dense-dim D)' : '');
  const exitOnIdle = numberFlag('--exit-on-idle', f.exitOnIdle, { min: 0, minExclusive: true });
  return {
    learner,
    learnerId: learnerIdFromFlags(f),
    brokers,
    groupId: stringFlag('--group-id', f.groupId) ?? 'logit-stream',
    topics: {
      events: stringFlag('--events-topic', f.eventsTopic) ?? 'events',
      scores: stringFlag('--scores-topic', f.scoresTopic) ?? 'scores',
      metrics: stringFlag('--metrics-topic', f.metricsTopic) ?? 'metrics',
      dlq: stringFlag('--dlq-topic', f.dlqTopic) ?? 'events-dlq',
      snapshots: stringFlag('--snapshots-topic', f.snapshotsTopic) ?? 'model-snapshots',
    },
    partitions: numberFlag('--partitions', f.partitions, { integer: true, min: 1, max: 10_000 }) ?? null,
    modelOut: stringFlag('--model-out', f.modelOut) ?? null,
    scoresOut: stringFlag('--scores-out', f.scoresOut) ?? null,
    exitOnIdleMs: exitOnIdle === undefined ? null : exitOnIdle * 1000,
    maxEvents: numberFlag('--max-events', f.maxEvents, { integer: true, min: 1 }) ?? null,
    metricsEvery: numberFlag('--metrics-every', f.metricsEvery, { integer: true, min: 1 }) ?? 10_000,
    metricsIntervalMs: numberFlag('--metrics-interval-ms', f.metricsIntervalMs, { integer: true, min: 1 }) ?? 5_000,
    embedded: {
      seed: numberFlag('--seed', f.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 1,
      rate: numberFlag('--rate', f.rate, { min: 0 }) ?? 0,
      batchSize: numberFlag('--batch-size', f.batchSize, { integer: true, min: 1, max: 1_000_000 }) ?? 1000,
      driftEvery: numberFlag('--drift-every', f.driftEvery, { integer: true, min: 0 }) ?? 25_000,
      concept,
    },
    http: httpFromFlags(f),
    logLevel: choiceFlag('--log-level', f.logLevel, ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) ?? 'info',
  };
}
