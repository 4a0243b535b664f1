import { DEFAULT_LEARNER_OPTIONS as D } from '@logit-stream/core';
import { badSetting } from './bad-setting.js';
import type { CommandName, Setting } from './setting.js';

const BOTH: readonly CommandName[] = ['replay', 'run'];
const RUN: readonly CommandName[] = ['run'];
const REPLAY: readonly CommandName[] = ['replay'];

/** Drift detectors the learner knows (`--drift-detectors`). */
export const DRIFT_DETECTOR_NAMES = ['adwin', 'page-hinkley', 'ddm'] as const;

function parseNoiseRates(raw: string, name: string): [number, number] {
  const parts = raw.split(',');
  const allowed = 'two rates r0,r1 with 0 <= r0, 0 <= r1 and r0 + r1 < 1, e.g. 0.1,0.2';
  if (parts.length !== 2) badSetting(name, raw, allowed);
  const r = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (!r.every((v) => Number.isFinite(v) && v >= 0) || !(r[0] + r[1] < 1)) badSetting(name, raw, allowed);
  return [r[0], r[1]];
}

function parseDetectors(raw: string, name: string): ('adwin' | 'page-hinkley' | 'ddm')[] {
  const s = raw.trim();
  if (s === 'none') return [];
  const out: ('adwin' | 'page-hinkley' | 'ddm')[] = [];
  for (const part of s.split(',')) {
    const n = part.trim() as (typeof DRIFT_DETECTOR_NAMES)[number];
    if (!DRIFT_DETECTOR_NAMES.includes(n) || out.includes(n)) {
      badSetting(name, raw, `'none' or a comma list of distinct ${DRIFT_DETECTOR_NAMES.join('|')}`);
    }
    out.push(n);
  }
  return out;
}

const BROKER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;

function parseBrokers(raw: string, name: string): string[] {
  const list = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (list.length === 0) badSetting(name, raw, 'a comma list of host:port, e.g. 127.0.0.1:9092');
  for (const b of list) {
    const m = BROKER.exec(b);
    const port = m === null ? 0 : Number(m[2]);
    if (m === null || port < 1 || port > 65535) {
      badSetting(name, raw, `a comma list of host:port with ports in 1..65535, e.g. 127.0.0.1:9092 (${JSON.stringify(b)} is not one)`);
    }
  }
  return list;
}

/**
 * The one schema of the `logit replay` / `logit run` settings: every flag, environment variable and
 * config-file key, with its type, help line and default. `--help`, the config-file reader,
 * `logit config --print` and `docs/configuration.md` are all derived from it; add a setting here (and
 * read it in `options.ts`) to add a flag.
 *
 * Precedence: flag > environment > config file (`--config FILE` / `LOGIT_CONFIG`) > default.
 *
 * @example
 * SETTINGS.find((s) => s.key === 'learningRate')?.env // 'LOGIT_LEARNING_RATE'
 */
export const SETTINGS: readonly Setting[] = Object.freeze([
  // --- general
  {
    key: 'config',
    flag: '--config <file>',
    env: 'LOGIT_CONFIG',
    commands: BOTH,
    type: { kind: 'string' },
    help: 'JSON config file of settings by key (see docs/configuration.md); flags and the environment win over it',
    default: null,
    group: 'general',
  },
  {
    key: 'learnerId',
    flag: '--learner-id <id>',
    env: 'LOGIT_LEARNER_ID',
    commands: BOTH,
    type: { kind: 'string' },
    help: 'learner id in logs and metrics',
    default: 'learner-0',
    group: 'general',
  },
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'LOGIT_LOG_LEVEL',
    commands: RUN,
    type: { kind: 'choice', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    help: 'pino log level on stderr',
    default: 'info',
    group: 'general',
  },
  // --- replay input and outputs
  {
    key: 'input',
    flag: '--input <file>',
    env: 'LOGIT_INPUT',
    commands: REPLAY,
    type: { kind: 'string' },
    help: 'CSV file with a header row and numeric columns (required)',
    default: null,
    group: 'input and output',
  },
  {
    key: 'labelColumn',
    flag: '--label-column <name>',
    env: 'LOGIT_LABEL_COLUMN',
    commands: REPLAY,
    type: { kind: 'string' },
    help: 'name of the label column',
    default: 'label',
    group: 'input and output',
  },
  {
    key: 'shuffleSeed',
    flag: '--shuffle-seed <n>',
    env: 'LOGIT_SHUFFLE_SEED',
    commands: REPLAY,
    type: { kind: 'number', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
    help: 'shuffle the rows with this seed before replaying (default: file order)',
    default: null,
    group: 'input and output',
  },
  {
    key: 'modelOut',
    flag: '--model-out <file>',
    env: 'LOGIT_MODEL_OUT',
    commands: BOTH,
    type: { kind: 'string' },
    help: {
      replay: 'write the final model as JSON: bias, weights in CSV column order, columns',
      run: 'write the final model at shutdown, same JSON as replay',
    },
    default: null,
    group: 'input and output',
  },
  {
    key: 'scoresOut',
    flag: '--scores-out <file>',
    env: 'LOGIT_SCORES_OUT',
    commands: BOTH,
    type: { kind: 'string' },
    help: {
      replay: 'write one score per row as JSONL (SPEC §2 score fields, label included)',
      run: 'also write every score as JSONL to this file',
    },
    default: null,
    group: 'input and output',
  },
  {
    key: 'progressEvery',
    flag: '--progress-every <n>',
    env: 'LOGIT_PROGRESS_EVERY',
    commands: REPLAY,
    type: { kind: 'number', integer: true, min: 0 },
    help: 'progress line on stderr every n rows, 0 = none',
    default: 10_000,
    group: 'input and output',
  },
  // --- Kafka
  {
    key: 'brokers',
    flag: '--brokers <list>',
    env: 'KAFKA_BROKERS',
    commands: RUN,
    type: { kind: 'custom', allowed: 'a comma list of host:port, e.g. 127.0.0.1:9092', parse: parseBrokers },
    help: 'Kafka brokers host:port,… (default: $KAFKA_BROKERS, else the embedded source)',
    default: null,
    group: 'kafka',
  },
  {
    key: 'groupId',
    flag: '--group-id <id>',
    env: 'LOGIT_GROUP_ID',
    commands: RUN,
    type: { kind: 'string' },
    help: 'Kafka consumer group',
    default: 'logit-stream',
    group: 'kafka',
  },
  { key: 'eventsTopic', flag: '--events-topic <name>', env: 'LOGIT_EVENTS_TOPIC', commands: RUN, type: { kind: 'string' }, help: 'input topic', default: 'events', group: 'kafka' },
  { key: 'scoresTopic', flag: '--scores-topic <name>', env: 'LOGIT_SCORES_TOPIC', commands: RUN, type: { kind: 'string' }, help: 'score output topic', default: 'scores', group: 'kafka' },
  { key: 'metricsTopic', flag: '--metrics-topic <name>', env: 'LOGIT_METRICS_TOPIC', commands: RUN, type: { kind: 'string' }, help: 'metrics report topic', default: 'metrics', group: 'kafka' },
  {
    key: 'dlqTopic',
    flag: '--dlq-topic <name>',
    env: 'LOGIT_DLQ_TOPIC',
    commands: RUN,
    type: { kind: 'string' },
    help: 'dead-letter topic for rejected events',
    default: 'events-dlq',
    group: 'kafka',
  },
  {
    key: 'snapshotsTopic',
    flag: '--snapshots-topic <name>',
    env: 'LOGIT_SNAPSHOTS_TOPIC',
    commands: RUN,
    type: { kind: 'string' },
    help: 'compacted model-snapshot topic: checkpoints restored at start (SPEC §4)',
    default: 'model-snapshots',
    group: 'kafka',
  },
  {
    key: 'snapshotEvery',
    flag: '--snapshot-every <n>',
    env: 'LOGIT_SNAPSHOT_EVERY',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'write a model snapshot (and commit the consumed offsets with it) after a batch once n events were handled since the last one',
    default: 50_000,
    group: 'kafka',
  },
  {
    key: 'snapshotIntervalMs',
    flag: '--snapshot-interval-ms <ms>',
    env: 'LOGIT_SNAPSHOT_INTERVAL_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: '…or once this many milliseconds passed since the last one (checked after each batch); also one at shutdown',
    default: 10_000,
    group: 'kafka',
  },
  {
    key: 'mix',
    flag: '--mix <kind>',
    env: 'LOGIT_MIX',
    commands: RUN,
    type: { kind: 'choice', values: ['average', 'off'] },
    help: 'scale-out: learners of one group id average their models through the snapshots topic (average), or each keeps its own (off)',
    default: 'average',
    group: 'kafka',
  },
  {
    key: 'mixEvery',
    flag: '--mix-every <n>',
    env: 'LOGIT_MIX_EVERY',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'with peers in the group: publish a snapshot and mix in the peers\' newest ones after n events learned since the last mix',
    default: 10_000,
    group: 'kafka',
  },
  {
    key: 'mixIntervalMs',
    flag: '--mix-interval-ms <ms>',
    env: 'LOGIT_MIX_INTERVAL_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: '…or once this many milliseconds passed since the last mix (checked after each batch)',
    default: 2_000,
    group: 'kafka',
  },
  {
    key: 'sendOverlap',
    flag: '--send-overlap <mode>',
    env: 'LOGIT_SEND_OVERLAP',
    commands: RUN,
    type: { kind: 'choice', values: ['on', 'off'] },
    help: 'at-least-once: decode, score and learn the next batch while the broker acknowledges the previous batch\'s scores (on), or wait for the acknowledgement first (off: slower); commits and snapshots always follow the acknowledgements',
    default: 'on',
    group: 'kafka',
  },
  {
    key: 'sessionTimeoutMs',
    flag: '--session-timeout-ms <ms>',
    env: 'LOGIT_SESSION_TIMEOUT_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1000, max: 3_600_000 },
    help: "consumer-group session timeout: a learner that died without leaving the group holds its partitions this long (the broker allows 6000..1800000 by default)",
    default: 30_000,
    group: 'kafka',
  },
  {
    key: 'brokerWaitMs',
    flag: '--broker-wait-ms <ms>',
    env: 'LOGIT_BROKER_WAIT_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 0 },
    help: 'while the broker is unavailable, retry a failed send or commit for this long before the learner fails (at-least-once mode)',
    default: 300_000,
    group: 'kafka',
  },
  {
    key: 'exactlyOnce',
    flag: '--exactly-once',
    env: 'LOGIT_EXACTLY_ONCE',
    commands: RUN,
    type: { kind: 'boolean' },
    help: "each batch's scores, metrics, snapshot and consumed offsets in one Kafka transaction (one transactional id per input partition; read scores with read_committed)",
    default: 'off',
    group: 'kafka',
  },
  {
    key: 'partitions',
    flag: '--partitions <n>',
    env: 'LOGIT_PARTITIONS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 10_000 },
    help: "partitions of topics this learner creates when missing (default: the Kafka adapter's)",
    default: null,
    group: 'kafka',
  },
  { key: 'clientId', flag: null, env: 'KAFKA_CLIENT_ID', commands: RUN, type: { kind: 'string' }, help: 'Kafka client id', default: 'logit-stream', group: 'kafka' },
  {
    key: 'saslMechanism',
    flag: null,
    env: 'KAFKA_SASL_MECHANISM',
    commands: RUN,
    type: { kind: 'choice', values: ['plain', 'scram-sha-256', 'scram-sha-512'] },
    help: 'SASL mechanism (needs a username and a password)',
    default: null,
    group: 'kafka',
  },
  { key: 'saslUsername', flag: null, env: 'KAFKA_SASL_USERNAME', commands: RUN, type: { kind: 'string' }, help: 'SASL username', default: null, group: 'kafka' },
  {
    key: 'saslPassword',
    flag: null,
    env: 'KAFKA_SASL_PASSWORD',
    commands: RUN,
    type: { kind: 'string' },
    help: 'SASL password (masked in `logit config --print` and in logs)',
    default: null,
    secret: true,
    group: 'kafka',
  },
  { key: 'tls', flag: null, env: 'KAFKA_TLS', commands: RUN, type: { kind: 'boolean' }, help: 'connect with TLS (implied by a TLS file)', default: false, group: 'kafka' },
  { key: 'tlsCaFile', flag: null, env: 'KAFKA_TLS_CA_FILE', commands: RUN, type: { kind: 'string' }, help: 'PEM file of the CA(s) to trust (default: the system\'s)', default: null, group: 'kafka' },
  { key: 'tlsCertFile', flag: null, env: 'KAFKA_TLS_CERT_FILE', commands: RUN, type: { kind: 'string' }, help: 'PEM client certificate (mutual TLS, with tlsKeyFile)', default: null, group: 'kafka' },
  { key: 'tlsKeyFile', flag: null, env: 'KAFKA_TLS_KEY_FILE', commands: RUN, type: { kind: 'string' }, help: 'PEM client key (mutual TLS, with tlsCertFile)', default: null, group: 'kafka' },
  {
    key: 'tlsRejectUnauthorized',
    flag: null,
    env: 'KAFKA_TLS_REJECT_UNAUTHORIZED',
    commands: RUN,
    type: { kind: 'boolean' },
    help: "verify the broker's certificate",
    default: true,
    group: 'kafka',
  },
  {
    key: 'connectionTimeoutMs',
    flag: null,
    env: 'KAFKA_CONNECTION_TIMEOUT_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 3_600_000 },
    help: 'Kafka connection timeout in ms',
    default: 3000,
    group: 'kafka',
  },
  {
    key: 'requestTimeoutMs',
    flag: null,
    env: 'KAFKA_REQUEST_TIMEOUT_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 3_600_000 },
    help: 'Kafka request timeout in ms',
    default: 30000,
    group: 'kafka',
  },
  {
    key: 'kafkaLogLevel',
    flag: null,
    env: 'KAFKA_LOG_LEVEL',
    commands: RUN,
    type: { kind: 'choice', values: ['nothing', 'error', 'warn', 'info', 'debug'] },
    help: "kafkajs's own log level",
    default: 'warn',
    group: 'kafka',
  },
  {
    key: 'kafkaProducerClient',
    flag: null,
    env: 'KAFKA_PRODUCER_CLIENT',
    commands: RUN,
    type: { kind: 'choice', values: ['kafkajs', 'platformatic', 'lean', 'lean-worker'] },
    help: 'client of the scores/metrics/DLQ/snapshot producer: lean (default: record batches encoded by logit-stream itself over @platformatic/kafka\'s connections; idempotent, acks = all; about 1–1.5 µs of CPU per record against 3–4.5 for platformatic and 12–15 for kafkajs here; needs Kafka 3.1+), lean-worker (the lean producer on a worker thread of its own: the learner\'s thread only copies each record\'s bytes), platformatic (@platformatic/kafka\'s Producer, same guarantees) or kafkajs; --exactly-once stays on kafkajs (the consumer: KAFKA_CONSUMER_CLIENT)',
    default: 'lean',
    group: 'kafka',
  },
  {
    key: 'kafkaConsumerClient',
    flag: null,
    env: 'KAFKA_CONSUMER_CLIENT',
    commands: RUN,
    type: { kind: 'choice', values: ['kafkajs', 'lean'] },
    help: "client of the events consumer: kafkajs (default: a classic consumer group) or lean (record batches decoded by logit-stream itself from the Fetch responses over @platformatic/kafka's connections, the group joined with KIP-848's consumer protocol; needs Kafka 4.0+; not with --exactly-once)",
    default: 'kafkajs',
    group: 'kafka',
  },
  // --- service
  {
    key: 'exitOnIdle',
    flag: '--exit-on-idle <seconds>',
    env: 'LOGIT_EXIT_ON_IDLE',
    commands: RUN,
    type: { kind: 'number', min: 0, minExclusive: true },
    help: 'stop cleanly once no event arrived for this long (default: never)',
    default: null,
    group: 'service',
  },
  {
    key: 'maxEvents',
    flag: '--max-events <n>',
    env: 'LOGIT_MAX_EVENTS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'stop cleanly after this many events (default: endless)',
    default: null,
    group: 'service',
  },
  {
    key: 'metricsEvery',
    flag: '--metrics-every <n>',
    env: 'LOGIT_METRICS_EVERY',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'publish a metrics report every n events',
    default: 10_000,
    group: 'service',
  },
  {
    key: 'metricsIntervalMs',
    flag: '--metrics-interval-ms <ms>',
    env: 'LOGIT_METRICS_INTERVAL_MS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'and at least every ms milliseconds, also on an idle stream',
    default: 5_000,
    group: 'service',
  },
  {
    key: 'httpPort',
    flag: '--http-port <port>',
    env: 'LOGIT_HTTP_PORT',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 0, max: 65535 },
    help: 'serve /metrics (Prometheus), /healthz, /readyz and a live page on this port, 0 = any free port (default: off)',
    default: null,
    group: 'service',
  },
  {
    key: 'httpHost',
    flag: '--http-host <host>',
    env: 'LOGIT_HTTP_HOST',
    commands: RUN,
    type: { kind: 'string' },
    help: 'address of that server',
    default: '127.0.0.1',
    group: 'service',
  },
  {
    key: 'stallAfter',
    flag: '--stall-after <seconds>',
    env: 'LOGIT_STALL_AFTER',
    commands: RUN,
    type: { kind: 'number', min: 0, minExclusive: true },
    help: '/readyz reports the learner stalled after this long without progress while a batch or lag is pending',
    default: 30,
    group: 'service',
  },
  // --- features and limits
  {
    key: 'hashBits',
    flag: '--hash-bits <bits>',
    env: 'LOGIT_HASH_BITS',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 30 },
    help: 'hashed feature space of 2^bits slots for named features',
    default: 18,
    group: 'features',
  },
  {
    key: 'hashSeed',
    flag: '--hash-seed <seed>',
    env: 'LOGIT_HASH_SEED',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 0, max: 0xffffffff },
    help: 'MurmurHash3 seed of feature hashing',
    default: 0,
    group: 'features',
  },
  {
    key: 'denseDim',
    flag: '--dense-dim <d>',
    env: 'LOGIT_DENSE_DIM',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 1 << 24 },
    help: 'events carry dense feature arrays of length d instead of named features (default: named, hashed)',
    default: null,
    group: 'features',
  },
  {
    key: 'maxFeatures',
    flag: '--max-features <n>',
    env: 'LOGIT_MAX_FEATURES',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'reject events with more features',
    default: D.maxFeatures,
    group: 'features',
  },
  {
    key: 'maxEventBytes',
    flag: '--max-event-bytes <n>',
    env: 'LOGIT_MAX_EVENT_BYTES',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 16 },
    help: 'reject events larger than this',
    default: D.maxEventBytes,
    group: 'features',
  },
  // --- embedded source
  {
    key: 'seed',
    flag: '--seed <n>',
    env: 'LOGIT_SEED',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
    help: 'embedded source: seed of the synthetic stream',
    default: 1,
    group: 'embedded source',
  },
  {
    key: 'rate',
    flag: '--rate <events/s>',
    env: 'LOGIT_RATE',
    commands: RUN,
    type: { kind: 'number', min: 0 },
    help: 'embedded source: events per second, 0 = as fast as possible',
    default: 0,
    group: 'embedded source',
  },
  {
    key: 'batchSize',
    flag: '--batch-size <n>',
    env: 'LOGIT_BATCH_SIZE',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 1, max: 1_000_000 },
    help: 'embedded source: events per batch',
    default: 1000,
    group: 'embedded source',
  },
  {
    key: 'driftEvery',
    flag: '--drift-every <n>',
    env: 'LOGIT_DRIFT_EVERY',
    commands: RUN,
    type: { kind: 'number', integer: true, min: 0 },
    help: 'embedded source: SEA concept switch every n events, 0 = never',
    default: 25_000,
    group: 'embedded source',
  },
  {
    key: 'concept',
    flag: '--concept <name>',
    env: 'LOGIT_CONCEPT',
    commands: RUN,
    type: { kind: 'choice', values: ['sea', 'hyperplane'] },
    help: 'embedded source: the synthetic concept',
    default: 'sea',
    group: 'embedded source',
  },
  // --- learning (replay and run)
  {
    key: 'loss',
    flag: '--loss <loss>',
    env: 'LOGIT_LOSS',
    commands: BOTH,
    type: { kind: 'choice', values: ['log', 'hinge'] },
    help: 'loss (hinge needs --calibration platt|isotonic)',
    default: D.loss,
    group: 'learning',
  },
  {
    key: 'optimizer',
    flag: '--optimizer <name>',
    env: 'LOGIT_OPTIMIZER',
    commands: BOTH,
    type: { kind: 'choice', values: ['sgd', 'adagrad', 'ftrl'] },
    help: 'optimizer',
    default: D.optimizer,
    group: 'learning',
  },
  {
    key: 'learningRate',
    flag: '--learning-rate <eta>',
    env: 'LOGIT_LEARNING_RATE',
    commands: BOTH,
    type: { kind: 'number', min: 0, minExclusive: true },
    help: 'learning rate η (α for ftrl)',
    default: D.learningRate,
    group: 'learning',
  },
  {
    key: 'schedule',
    flag: '--schedule <schedule>',
    env: 'LOGIT_SCHEDULE',
    commands: BOTH,
    type: { kind: 'choice', values: ['constant', 'invscaling'] },
    help: 'SGD schedule (invscaling: η/t^power-t)',
    default: D.schedule,
    group: 'learning',
  },
  {
    key: 'powerT',
    flag: '--power-t <p>',
    env: 'LOGIT_POWER_T',
    commands: BOTH,
    type: { kind: 'number', min: 0, minExclusive: true },
    help: 'exponent of the invscaling schedule',
    default: D.powerT,
    group: 'learning',
  },
  {
    key: 'l2',
    flag: '--l2 <lambda>',
    env: 'LOGIT_L2',
    commands: BOTH,
    type: { kind: 'number', min: 0 },
    help: 'L2 regularisation λ (λ/2)‖w‖²; the bias is never regularised',
    default: D.l2,
    group: 'learning',
  },
  { key: 'l1', flag: '--l1 <lambda>', env: 'LOGIT_L1', commands: BOTH, type: { kind: 'number', min: 0 }, help: 'L1 regularisation λ1, ftrl only', default: D.l1, group: 'learning' },
  {
    key: 'ftrlBeta',
    flag: '--ftrl-beta <beta>',
    env: 'LOGIT_FTRL_BETA',
    commands: BOTH,
    type: { kind: 'number', min: 0, minExclusive: true },
    help: 'FTRL β',
    default: D.ftrlBeta,
    group: 'learning',
  },
  {
    key: 'labelSmoothing',
    flag: '--label-smoothing <eps>',
    env: 'LOGIT_LABEL_SMOOTHING',
    commands: BOTH,
    type: { kind: 'number', min: 0 },
    help: 'label smoothing ε in [0,1): train on y(1−ε)+ε/2',
    default: D.labelSmoothing,
    group: 'learning',
  },
  {
    key: 'noiseRates',
    flag: '--noise-rates <r0,r1>',
    env: 'LOGIT_NOISE_RATES',
    commands: BOTH,
    type: { kind: 'custom', allowed: 'two rates r0,r1 with 0 <= r0, 0 <= r1 and r0 + r1 < 1', parse: parseNoiseRates },
    help: 'known label-noise rates ρ0=P(1|true 0), ρ1=P(0|true 1), ρ0+ρ1<1',
    default: 'none',
    group: 'learning',
  },
  {
    key: 'noiseCorrection',
    flag: '--noise-correction <kind>',
    env: 'LOGIT_NOISE_CORRECTION',
    commands: BOTH,
    type: { kind: 'choice', values: ['none', 'forward', 'backward'] },
    help: 'label-noise correction',
    default: D.noiseCorrection,
    group: 'learning',
  },
  {
    key: 'noiseEstimation',
    flag: '--noise-estimation <kind>',
    env: 'LOGIT_NOISE_ESTIMATION',
    commands: BOTH,
    type: { kind: 'choice', values: ['none', 'trusted', 'anchor'] },
    help: 'online noise-rate estimation',
    default: D.noiseEstimation,
    group: 'learning',
  },
  {
    key: 'calibration',
    flag: '--calibration <kind>',
    env: 'LOGIT_CALIBRATION',
    commands: BOTH,
    type: { kind: 'choice', values: ['none', 'platt', 'isotonic'] },
    help: 'online calibration',
    default: D.calibration,
    group: 'learning',
  },
  {
    key: 'standardize',
    flag: '--standardize',
    env: 'LOGIT_STANDARDIZE',
    commands: BOTH,
    type: { kind: 'boolean' },
    help: 'online standardisation of dense features (running mean/variance)',
    default: 'off',
    group: 'learning',
  },
  {
    key: 'metricsWindow',
    flag: '--metrics-window <n>',
    env: 'LOGIT_METRICS_WINDOW',
    commands: BOTH,
    type: { kind: 'number', integer: true, min: 1 },
    help: 'sliding window of the windowed metrics, in labelled events',
    default: D.metricsWindow,
    group: 'learning',
  },
  {
    key: 'driftDetectors',
    flag: '--drift-detectors <list>',
    env: 'LOGIT_DRIFT_DETECTORS',
    commands: BOTH,
    type: { kind: 'custom', allowed: `'none' or a comma list of distinct ${DRIFT_DETECTOR_NAMES.join('|')}`, parse: parseDetectors },
    help: "drift detectors on the 0/1 error: 'none' or a comma list",
    default: D.drift.detectors.join(','),
    group: 'learning',
  },
  {
    key: 'driftReaction',
    flag: '--drift-reaction <kind>',
    env: 'LOGIT_DRIFT_REACTION',
    commands: BOTH,
    type: { kind: 'choice', values: ['none', 'boost', 'reset'] },
    help: 'on drift: none (report only), boost (raise η for a while), reset (restart the η schedule)',
    default: D.drift.reaction,
    group: 'learning',
  },
] satisfies Setting[]);

/**
 * The settings of one command, in schema order.
 *
 * @example
 * settingsFor('replay').some((s) => s.key === 'input') // true
 */
export function settingsFor(command: CommandName): readonly Setting[] {
  return SETTINGS.filter((s) => s.commands.includes(command));
}

/**
 * A setting by key.
 *
 * @throws Error when no setting has that key (a programming error)
 * @example
 * setting('rate').flag // '--rate <events/s>'
 */
export function setting(key: string): Setting {
  const s = SETTINGS.find((x) => x.key === key);
  if (s === undefined) throw new Error(`no setting '${key}' in the schema (apps/learner/src/config/settings.ts)`);
  return s;
}
