import { CoreError, resolveLearnerOptions } from '@logit-stream/core';
import type { FeatureOptions, LearnerOptions, LearnerOptionsInput } from '@logit-stream/core';
import type { Command } from 'commander';
import { AppError } from './app-error.js';
import { addSettingOptions } from './config/add-setting-options.js';
import { badSetting } from './config/bad-setting.js';
import { ResolvedSettings } from './config/resolved-settings.js';
import type { CommandName } from './config/setting.js';
import { KafkaAdapterError } from './kafka/kafka-adapter-error.js';
import { resolveKafkaConfig, type KafkaConfigOptions } from './kafka/kafka-config.js';

/** Raw flag values as commander hands them over (strings, booleans, or undefined when not given). */
export type RawFlags = Readonly<Record<string, unknown>>;

type Env = Readonly<Record<string, string | undefined>>;

/** The learner option (as `resolveLearnerOptions` names it) → the setting (schema key) that sets it. */
const SETTING_OF: Readonly<Record<string, string>> = {
  loss: 'loss',
  optimizer: 'optimizer',
  learningRate: 'learningRate',
  schedule: 'schedule',
  powerT: 'powerT',
  l2: 'l2',
  l1: 'l1',
  ftrlBeta: 'ftrlBeta',
  labelSmoothing: 'labelSmoothing',
  noiseRates: 'noiseRates',
  noiseCorrection: 'noiseCorrection',
  noiseEstimation: 'noiseEstimation',
  calibration: 'calibration',
  standardize: 'standardize',
  'features.bits': 'hashBits',
  'features.seed': 'hashSeed',
  'features.dim': 'denseDim',
  maxFeatures: 'maxFeatures',
  maxEventBytes: 'maxEventBytes',
  metricsWindow: 'metricsWindow',
  'drift.detectors': 'driftDetectors',
  'drift.detectors entry': 'driftDetectors',
  'drift.reaction': 'driftReaction',
};

function bad(name: string, value: unknown, allowed: string): never {
  return badSetting(name, value, allowed);
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

/**
 * Adds the learning options shared by `replay` and `run` (SPEC §3) and `--learner-id`, from the
 * schema (`config/settings.ts`), each documented with its default and environment variable.
 *
 * @example
 * addLearningOptions(new Command('replay'))
 */
export function addLearningOptions(cmd: Command, command: CommandName = 'run'): Command {
  return addSettingOptions(cmd, command, ['learning']).option('--learner-id <id>', 'learner id in logs and metrics (default: learner-0) [env LOGIT_LEARNER_ID]');
}

function settingsOf(command: CommandName, f: RawFlags | ResolvedSettings, env: Env): ResolvedSettings {
  return f instanceof ResolvedSettings ? f : ResolvedSettings.collect(command, f, env);
}

/**
 * Turns the learning settings into a partial {@link LearnerOptionsInput} (no defaults filled in:
 * core's `resolveLearnerOptions` does that), checking the syntax of each value.
 *
 * @param f - commander's flags, or settings already collected (flags, environment, config file)
 * @param env - the environment (`LOGIT_LEARNING_RATE`, …) when `f` are flags
 */
export function learningInputFromFlags(f: RawFlags | ResolvedSettings, env: Env = {}): LearnerOptionsInput {
  const s = settingsOf('run', f, env);
  const input: Record<string, unknown> = {};
  for (const key of ['loss', 'optimizer', 'learningRate', 'schedule', 'powerT', 'l2', 'l1', 'ftrlBeta', 'labelSmoothing', 'noiseRates', 'noiseCorrection', 'noiseEstimation', 'calibration', 'metricsWindow']) {
    input[key] = s.get(key);
  }
  input.standardize = s.get('standardize') === true ? true : undefined;
  const detectors = s.get('driftDetectors');
  const reaction = s.get('driftReaction');
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
 * (which name the option field) into AppErrors that name the setting as given (the flag, the
 * environment variable or the config-file key), the value and what is allowed.
 *
 * @param input - from {@link learningInputFromFlags}, plus `features` and limits set by the command
 * @param hint - appended to a message, e.g. how to switch to dense features
 * @param settings - where the values came from (default: flags)
 * @example
 * resolveFromFlags({ learningRate: 0.1 }).learningRate // 0.1
 */
export function resolveFromFlags(input: LearnerOptionsInput, hint = '', settings?: ResolvedSettings): LearnerOptions {
  try {
    return resolveLearnerOptions(input);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'bad-option') {
      let msg = e.message;
      // core's messages start with the option name, e.g. "learningRate -1 is not allowed: ...".
      const names = Object.keys(SETTING_OF).sort((a, b) => b.length - a.length);
      const s = settings ?? ResolvedSettings.collect('run', {}, {});
      for (const name of names) {
        if (msg.startsWith(`${name} `)) {
          msg = s.name(SETTING_OF[name]) + msg.slice(name.length);
          break;
        }
      }
      throw new AppError('bad-option', hint ? `${msg} ${hint}` : msg, { cause: e, exitCode: 2 });
    }
    throw e;
  }
}

/** Reads `--learner-id` / `LOGIT_LEARNER_ID` (default 'learner-0'). */
export function learnerIdFromFlags(f: RawFlags | ResolvedSettings, env: Env = {}): string {
  return (settingsOf('run', f, env).get('learnerId') as string | undefined) ?? 'learner-0';
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
 * Validates the settings of `replay`: flags, then the environment, then the config file.
 *
 * @throws AppError 'bad-option' (exit code 2) naming the setting, the value and what is allowed
 */
export function replayConfigFromFlags(f: RawFlags, env: Env = {}): ReplayConfig {
  const s = ResolvedSettings.collect('replay', f, env);
  const input = s.get('input') as string | undefined;
  if (input === undefined) bad('--input', f.input, 'the path of a CSV file with a header row');
  const learning = learningInputFromFlags(s);
  // Validate now with a placeholder width so that bad values stop before the file is read.
  resolveFromFlags({ ...learning, features: { kind: 'dense', dim: 1 } }, '', s);
  return {
    input,
    labelColumn: (s.get('labelColumn') as string | undefined) ?? 'label',
    learning,
    learnerId: learnerIdFromFlags(s),
    shuffleSeed: (s.get('shuffleSeed') as number | undefined) ?? null,
    modelOut: (s.get('modelOut') as string | undefined) ?? null,
    scoresOut: (s.get('scoresOut') as string | undefined) ?? null,
    progressEvery: (s.get('progressEvery') as number | undefined) ?? 10_000,
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
  /** Broker list from --brokers or KAFKA_BROKERS (or the config file); null = the embedded source. */
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
  /**
   * Kafka only: a model snapshot (with the consumed offsets, committed with it) after the batch that
   * reaches `every` events or `intervalMs` ms since the last one, and at shutdown; `exactlyOnce`: every
   * batch in one transaction with its snapshot and offsets.
   */
  checkpoint: { every: number; intervalMs: number; exactlyOnce: boolean };
  /** Scale-out model averaging (`--mix`, `--mix-every`, `--mix-interval-ms`), or null with `--mix off`. */
  mix: { every: number; intervalMs: number } | null;
  /**
   * At-least-once: process the next batch while the previous one's records are being acknowledged
   * (`--send-overlap on`, the default when absent); see learnerPipeline's `overlap`.
   */
  sendOverlap?: boolean;
  /** Consumer-group session timeout, ms (default 30000). */
  sessionTimeoutMs: number;
  /** How long failed sends and commits are retried while the broker is unavailable, ms (default 300000). */
  brokerWaitMs: number;
  /** Embedded source only. */
  embedded: { seed: number; rate: number; batchSize: number; driftEvery: number; concept: 'sea' | 'hyperplane' };
  logLevel: string;
  /** The metrics/health/live-page server, or null (no --http-port). */
  http: { host: string; port: number } | null;
  /** `/readyz` reports stalled after this long without progress while work is pending (default 30000). */
  stallAfterMs?: number;
  /**
   * Kafka connection settings from the config file (SASL, TLS, timeouts, client id); the `KAFKA_*`
   * environment variables are read by `resolveKafkaConfig` itself and win over these.
   */
  kafka?: KafkaConfigOptions;
}

/** The SEA stream's width: the embedded source emits dense arrays of this length with --dense-dim. */
const EMBEDDED_DIM = { sea: 3, hyperplane: 10 } as const;

const KAFKA_FILE_KEYS = [
  ['clientId', 'clientId'],
  ['saslMechanism', 'saslMechanism'],
  ['saslUsername', 'saslUsername'],
  ['saslPassword', 'saslPassword'],
  ['tls', 'tls'],
  ['tlsCaFile', 'tlsCaFile'],
  ['tlsCertFile', 'tlsCertFile'],
  ['tlsKeyFile', 'tlsKeyFile'],
  ['tlsRejectUnauthorized', 'tlsRejectUnauthorized'],
  ['connectionTimeoutMs', 'connectionTimeoutMs'],
  ['requestTimeoutMs', 'requestTimeoutMs'],
  ['kafkaLogLevel', 'logLevel'],
  ['kafkaProducerClient', 'producerClient'],
  ['kafkaConsumerClient', 'consumerClient'],
] as const;

/**
 * Validates the settings of `run`: flags, then the environment (`KAFKA_BROKERS`, `LOGIT_*`), then
 * the config file (`--config FILE` / `LOGIT_CONFIG`), then the defaults.
 *
 * @throws AppError 'bad-option' (exit code 2) naming the setting, the value and what is allowed
 */
export function runConfigFromFlags(f: RawFlags, env: Env = {}): RunConfig {
  return runConfigFromSettings(ResolvedSettings.collect('run', f, env));
}

/**
 * {@link runConfigFromFlags} on settings already collected (as `logit config --print` does).
 *
 * @throws AppError 'bad-option' (exit code 2) naming the setting, the value and what is allowed
 */
export function runConfigFromSettings(s: ResolvedSettings): RunConfig {
  const brokers = (s.get('brokers') as string[] | undefined) ?? null;
  const concept = (s.get('concept') as 'sea' | 'hyperplane' | undefined) ?? 'sea';
  const denseDim = s.get('denseDim') as number | undefined;
  if (brokers === null && denseDim !== undefined && denseDim !== EMBEDDED_DIM[concept]) {
    bad(s.name('denseDim'), s.raw('denseDim'), `${EMBEDDED_DIM[concept]} with the embedded ${concept} stream (or give --brokers)`);
  }
  const features: FeatureOptions =
    denseDim !== undefined
      ? { kind: 'dense', dim: denseDim }
      : { kind: 'hashed', bits: (s.get('hashBits') as number | undefined) ?? 18, seed: (s.get('hashSeed') as number | undefined) ?? 0 };
  const input: LearnerOptionsInput = { ...learningInputFromFlags(s), features };
  const maxFeatures = s.get('maxFeatures') as number | undefined;
  if (maxFeatures !== undefined) input.maxFeatures = maxFeatures;
  const maxEventBytes = s.get('maxEventBytes') as number | undefined;
  if (maxEventBytes !== undefined) input.maxEventBytes = maxEventBytes;
  const learner = resolveFromFlags(input, features.kind === 'hashed' ? '(for dense array events pass --dense-dim D)' : '', s);
  const exitOnIdle = s.get('exitOnIdle') as number | undefined;
  const port = s.get('httpPort') as number | undefined;
  const host = s.get('httpHost') as string | undefined;
  if (port === undefined && host !== undefined) bad(s.name('httpHost'), host, 'it together with --http-port PORT (the server is off without a port)');
  const kafka: Record<string, unknown> = {};
  for (const [key, option] of KAFKA_FILE_KEYS) {
    if (s.origin(key) === 'file') kafka[option] = s.get(key);
  }
  const groupId = (s.get('groupId') as string | undefined) ?? 'logit-stream';
  if (brokers !== null) {
    // Fail fast on the Kafka connection settings (SASL, TLS, timeouts) too, before anything connects.
    let consumerClient: string;
    try {
      consumerClient = resolveKafkaConfig({ ...(kafka as KafkaConfigOptions), brokers, groupId }, s.env).consumerClient;
    } catch (e) {
      if (e instanceof KafkaAdapterError) throw new AppError('bad-option', e.message, { cause: e, exitCode: 2 });
      throw e;
    }
    if (consumerClient === 'lean' && s.get('exactlyOnce') === true) {
      throw new AppError(
        'bad-option',
        "--exactly-once needs the kafkajs consumer (its transactions commit offsets for a classic consumer group; KAFKA_CONSUMER_CLIENT=lean joins with KIP-848's protocol): unset KAFKA_CONSUMER_CLIENT or set it to kafkajs",
        { exitCode: 2 },
      );
    }
  }
  const str = (key: string, d: string): string => (s.get(key) as string | undefined) ?? d;
  const num = (key: string): number | undefined => s.get(key) as number | undefined;
  return {
    learner,
    learnerId: learnerIdFromFlags(s),
    brokers,
    groupId,
    topics: {
      events: str('eventsTopic', 'events'),
      scores: str('scoresTopic', 'scores'),
      metrics: str('metricsTopic', 'metrics'),
      dlq: str('dlqTopic', 'events-dlq'),
      snapshots: str('snapshotsTopic', 'model-snapshots'),
    },
    partitions: num('partitions') ?? null,
    modelOut: (s.get('modelOut') as string | undefined) ?? null,
    scoresOut: (s.get('scoresOut') as string | undefined) ?? null,
    exitOnIdleMs: exitOnIdle === undefined ? null : exitOnIdle * 1000,
    maxEvents: num('maxEvents') ?? null,
    metricsEvery: num('metricsEvery') ?? 10_000,
    metricsIntervalMs: num('metricsIntervalMs') ?? 5_000,
    checkpoint: {
      every: num('snapshotEvery') ?? 50_000,
      intervalMs: num('snapshotIntervalMs') ?? 10_000,
      exactlyOnce: s.get('exactlyOnce') === true,
    },
    mix: s.get('mix') === 'off' ? null : { every: num('mixEvery') ?? 10_000, intervalMs: num('mixIntervalMs') ?? 2_000 },
    sendOverlap: s.get('sendOverlap') !== 'off',
    sessionTimeoutMs: num('sessionTimeoutMs') ?? 30_000,
    brokerWaitMs: num('brokerWaitMs') ?? 300_000,
    embedded: {
      seed: num('seed') ?? 1,
      rate: num('rate') ?? 0,
      batchSize: num('batchSize') ?? 1000,
      driftEvery: num('driftEvery') ?? 25_000,
      concept,
    },
    http: port === undefined ? null : { host: host ?? '127.0.0.1', port },
    stallAfterMs: (num('stallAfter') ?? 30) * 1000,
    logLevel: str('logLevel', 'info'),
    kafka: kafka as KafkaConfigOptions,
  };
}
