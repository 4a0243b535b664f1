import { KafkaAdapterError } from './kafka-adapter-error.js';
import { SecretValue } from './secret-value.js';

/** The SASL mechanisms the adapters support. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
/** A supported SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
/** kafkajs log levels, by name. */
export const KAFKA_LOG_LEVELS = ['nothing', 'error', 'warn', 'info', 'debug'] as const;
/** A kafkajs log level, by name. */
export type KafkaLogLevel = (typeof KAFKA_LOG_LEVELS)[number];
/**
 * The clients the plain result sink can produce with: `lean` (the default; createLeanSink: record
 * batches encoded by this package into one reused buffer and sent over @platformatic/kafka's
 * connections, about a third of platformatic's CPU per record and a tenth of kafkajs's, the same
 * guarantees; needs Kafka 3.1+), `lean-worker` (the lean producer on its own worker thread:
 * createThreadedSink), @platformatic/kafka's Producer (`platformatic`), or kafkajs. The
 * exactly-once sink is kafkajs either way.
 */
export const KAFKA_PRODUCER_CLIENTS = ['kafkajs', 'platformatic', 'lean', 'lean-worker'] as const;
/** A producer client of the plain result sink, by name. */
export type KafkaProducerClient = (typeof KAFKA_PRODUCER_CLIENTS)[number];

/**
 * The clients the learner can consume its events with: kafkajs (the default: a classic consumer
 * group, JoinGroup/SyncGroup), or `lean` (createLeanKafkaSource: record batches decoded by this
 * package straight from the Fetch responses over @platformatic/kafka's connections, the group joined
 * with the consumer group protocol of KIP-848; needs Kafka 4.0+, not with --exactly-once).
 */
export const KAFKA_CONSUMER_CLIENTS = ['kafkajs', 'lean'] as const;
/** A consumer client of the learner, by name. */
export type KafkaConsumerClient = (typeof KAFKA_CONSUMER_CLIENTS)[number];

/**
 * Connection settings as given (CLI flags, code). Every field is optional: what is missing comes from
 * the environment (`KAFKA_*`, see {@link resolveKafkaConfig}), then from the defaults.
 */
export interface KafkaConfigOptions {
  /** `host:port` list, as an array or comma-separated. */
  readonly brokers?: string | readonly string[];
  readonly clientId?: string;
  readonly groupId?: string;
  readonly saslMechanism?: string;
  readonly saslUsername?: string;
  readonly saslPassword?: string;
  /** Connect with TLS. Implied by any of the TLS file settings. */
  readonly tls?: boolean;
  /** PEM file of the CA(s) to trust (else the system's). */
  readonly tlsCaFile?: string;
  /** PEM client certificate (mutual TLS; needs `tlsKeyFile`). */
  readonly tlsCertFile?: string;
  /** PEM client key (mutual TLS; needs `tlsCertFile`). */
  readonly tlsKeyFile?: string;
  /** Verify the broker's certificate (default true). */
  readonly tlsRejectUnauthorized?: boolean;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** kafkajs's own log level (default warn). */
  readonly logLevel?: string;
  /** The producer client of the plain result sink: `lean` (default), `platformatic` or `kafkajs`. */
  readonly producerClient?: string;
  /** The consumer client of the learner: `kafkajs` (default) or `lean`. */
  readonly consumerClient?: string;
}

/** Validated connection settings; the SASL password is a {@link SecretValue}. */
export interface KafkaConnectionConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly sasl: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: SecretValue } | null;
  readonly tls: {
    readonly caFile: string | null;
    readonly certFile: string | null;
    readonly keyFile: string | null;
    readonly rejectUnauthorized: boolean;
  } | null;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly logLevel: KafkaLogLevel;
  /** The producer client of the plain result sink (see {@link KAFKA_PRODUCER_CLIENTS}). */
  readonly producerClient: KafkaProducerClient;
  /** The consumer client of the learner (see {@link KAFKA_CONSUMER_CLIENTS}). */
  readonly consumerClient: KafkaConsumerClient;
}

/** Defaults of the settings that have one. */
export const KAFKA_CONFIG_DEFAULTS = {
  clientId: 'logit-stream',
  groupId: 'logit-learner',
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 30000,
  logLevel: 'warn' as KafkaLogLevel,
  producerClient: 'lean' as KafkaProducerClient,
  consumerClient: 'kafkajs' as KafkaConsumerClient,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function bad(setting: string, value: unknown, allowed: string): never {
  throw new KafkaAdapterError('bad-setting', `${setting} ${JSON.stringify(value)} is not valid: ${allowed}`);
}

function pick(
  optionValue: string | undefined,
  env: Env,
  envName: string,
  optionName: string,
): { value: string | undefined; from: string } {
  if (optionValue !== undefined) return { value: optionValue, from: optionName };
  const v = env[envName];
  return { value: v === undefined || v === '' ? undefined : v, from: envName };
}

function parseBool(raw: string, setting: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === 'off') return false;
  return bad(setting, raw, 'use true/false (or 1/0, yes/no, on/off)');
}

function parseMs(raw: number | string, setting: string): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3_600_000) bad(setting, raw, 'use a whole number of milliseconds in 1..3600000');
  return n;
}

const BROKER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;

function parseBrokers(raw: string | readonly string[], setting: string): readonly string[] {
  const list = (typeof raw === 'string' ? raw.split(',') : raw).map((b) => b.trim()).filter((b) => b !== '');
  if (list.length === 0) bad(setting, raw, 'give at least one host:port, e.g. 127.0.0.1:9092');
  for (const b of list) {
    const m = BROKER.exec(b);
    const port = m === null ? 0 : Number(m[2]);
    if (m === null || port < 1 || port > 65535) {
      bad(setting, b, 'each broker must be host:port with a port in 1..65535, e.g. 127.0.0.1:9092');
    }
  }
  return Object.freeze(list);
}

/**
 * Validates Kafka connection settings: each from `options` if given, else from the environment, else
 * the default. Environment: `KAFKA_BROKERS` (comma-separated host:port), `KAFKA_CLIENT_ID`,
 * `KAFKA_GROUP_ID`, `KAFKA_SASL_MECHANISM` (plain | scram-sha-256 | scram-sha-512),
 * `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, `KAFKA_TLS` (true/false), `KAFKA_TLS_CA_FILE`,
 * `KAFKA_TLS_CERT_FILE`, `KAFKA_TLS_KEY_FILE`, `KAFKA_TLS_REJECT_UNAUTHORIZED`,
 * `KAFKA_CONNECTION_TIMEOUT_MS`, `KAFKA_REQUEST_TIMEOUT_MS`, `KAFKA_LOG_LEVEL`, `KAFKA_PRODUCER_CLIENT`
 * (lean | platformatic | kafkajs; default lean), `KAFKA_CONSUMER_CLIENT` (kafkajs | lean; default kafkajs).
 * Files are not read here (see {@link toKafkaJsConfig}).
 *
 * @param options settings given in code or on the command line (they win over the environment)
 * @param env the environment (default `process.env`)
 * @returns the validated settings
 * @throws KafkaAdapterError 'no-brokers' when no broker is given anywhere, 'bad-setting' naming the
 *   setting, the value and what is allowed
 * @example
 * const c = resolveKafkaConfig({ brokers: '127.0.0.1:9092' }, {});
 * c.brokers; // ['127.0.0.1:9092']
 */
export function resolveKafkaConfig(options: KafkaConfigOptions = {}, env: Env = process.env): KafkaConnectionConfig {
  const brokersRaw = options.brokers ?? (env.KAFKA_BROKERS === '' ? undefined : env.KAFKA_BROKERS);
  if (brokersRaw === undefined) {
    throw new KafkaAdapterError(
      'no-brokers',
      'no Kafka brokers configured: pass --brokers host:port[,host:port] or set KAFKA_BROKERS (e.g. 127.0.0.1:9092; `pnpm kafka:up` starts a local one)',
    );
  }
  const brokers = parseBrokers(brokersRaw, options.brokers !== undefined ? 'brokers' : 'KAFKA_BROKERS');

  const clientId = pick(options.clientId, env, 'KAFKA_CLIENT_ID', 'clientId');
  const groupId = pick(options.groupId, env, 'KAFKA_GROUP_ID', 'groupId');
  for (const s of [clientId, groupId]) {
    if (s.value !== undefined && !/^[A-Za-z0-9._-]{1,249}$/.test(s.value)) {
      bad(s.from, s.value, 'use 1..249 characters of A-Z a-z 0-9 . _ -');
    }
  }

  const mech = pick(options.saslMechanism, env, 'KAFKA_SASL_MECHANISM', 'saslMechanism');
  const user = pick(options.saslUsername, env, 'KAFKA_SASL_USERNAME', 'saslUsername');
  const pass = pick(options.saslPassword, env, 'KAFKA_SASL_PASSWORD', 'saslPassword');
  let sasl: KafkaConnectionConfig['sasl'] = null;
  if (mech.value !== undefined) {
    const m = mech.value.toLowerCase();
    if (!(SASL_MECHANISMS as readonly string[]).includes(m)) bad(mech.from, mech.value, `use one of ${SASL_MECHANISMS.join(', ')}`);
    if (user.value === undefined) {
      throw new KafkaAdapterError('bad-setting', `SASL mechanism ${m} needs a username: set KAFKA_SASL_USERNAME (or saslUsername)`);
    }
    if (pass.value === undefined) {
      throw new KafkaAdapterError('bad-setting', `SASL mechanism ${m} needs a password: set KAFKA_SASL_PASSWORD (or saslPassword)`);
    }
    sasl = Object.freeze({ mechanism: m as SaslMechanism, username: user.value, password: new SecretValue(pass.value) });
  } else if (user.value !== undefined || pass.value !== undefined) {
    throw new KafkaAdapterError(
      'bad-setting',
      `a SASL username or password is set but no mechanism: set KAFKA_SASL_MECHANISM to one of ${SASL_MECHANISMS.join(', ')}, or unset KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD`,
    );
  }

  const ca = pick(options.tlsCaFile, env, 'KAFKA_TLS_CA_FILE', 'tlsCaFile');
  const cert = pick(options.tlsCertFile, env, 'KAFKA_TLS_CERT_FILE', 'tlsCertFile');
  const key = pick(options.tlsKeyFile, env, 'KAFKA_TLS_KEY_FILE', 'tlsKeyFile');
  const anyFile = ca.value !== undefined || cert.value !== undefined || key.value !== undefined;
  let tlsOn: boolean;
  if (options.tls !== undefined) tlsOn = options.tls;
  else if (env.KAFKA_TLS !== undefined && env.KAFKA_TLS !== '') tlsOn = parseBool(env.KAFKA_TLS, 'KAFKA_TLS');
  else tlsOn = anyFile;
  if (!tlsOn && anyFile) {
    throw new KafkaAdapterError('bad-setting', 'TLS files are set (KAFKA_TLS_CA_FILE/CERT_FILE/KEY_FILE) but TLS is off: set KAFKA_TLS=true or remove the files');
  }
  if ((cert.value === undefined) !== (key.value === undefined)) {
    throw new KafkaAdapterError('bad-setting', 'mutual TLS needs both a certificate and a key: set both KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE, or neither');
  }
  let rejectUnauthorized = true;
  if (options.tlsRejectUnauthorized !== undefined) rejectUnauthorized = options.tlsRejectUnauthorized;
  else if (env.KAFKA_TLS_REJECT_UNAUTHORIZED !== undefined && env.KAFKA_TLS_REJECT_UNAUTHORIZED !== '') {
    rejectUnauthorized = parseBool(env.KAFKA_TLS_REJECT_UNAUTHORIZED, 'KAFKA_TLS_REJECT_UNAUTHORIZED');
  }
  const tls = tlsOn
    ? Object.freeze({ caFile: ca.value ?? null, certFile: cert.value ?? null, keyFile: key.value ?? null, rejectUnauthorized })
    : null;

  const connRaw = options.connectionTimeoutMs ?? env.KAFKA_CONNECTION_TIMEOUT_MS;
  const reqRaw = options.requestTimeoutMs ?? env.KAFKA_REQUEST_TIMEOUT_MS;
  const connSetting = options.connectionTimeoutMs !== undefined ? 'connectionTimeoutMs' : 'KAFKA_CONNECTION_TIMEOUT_MS';
  const reqSetting = options.requestTimeoutMs !== undefined ? 'requestTimeoutMs' : 'KAFKA_REQUEST_TIMEOUT_MS';

  const level = pick(options.logLevel, env, 'KAFKA_LOG_LEVEL', 'logLevel');
  let logLevel: KafkaLogLevel = KAFKA_CONFIG_DEFAULTS.logLevel;
  if (level.value !== undefined) {
    const l = level.value.toLowerCase();
    if (!(KAFKA_LOG_LEVELS as readonly string[]).includes(l)) bad(level.from, level.value, `use one of ${KAFKA_LOG_LEVELS.join(', ')}`);
    logLevel = l as KafkaLogLevel;
  }
  // A client by name, case and surrounding blanks ignored.
  const clientChoice = <T extends string>(picked: { value: string | undefined; from: string }, allowed: readonly T[], fallback: T): T => {
    if (picked.value === undefined) return fallback;
    const c = picked.value.trim().toLowerCase();
    if (!(allowed as readonly string[]).includes(c)) bad(picked.from, picked.value, `use one of ${allowed.join(', ')}`);
    return c as T;
  };
  const producerClient = clientChoice(pick(options.producerClient, env, 'KAFKA_PRODUCER_CLIENT', 'producerClient'), KAFKA_PRODUCER_CLIENTS, KAFKA_CONFIG_DEFAULTS.producerClient);
  const consumerClient = clientChoice(pick(options.consumerClient, env, 'KAFKA_CONSUMER_CLIENT', 'consumerClient'), KAFKA_CONSUMER_CLIENTS, KAFKA_CONFIG_DEFAULTS.consumerClient);

  return Object.freeze({
    brokers,
    clientId: clientId.value ?? KAFKA_CONFIG_DEFAULTS.clientId,
    groupId: groupId.value ?? KAFKA_CONFIG_DEFAULTS.groupId,
    sasl,
    tls,
    connectionTimeoutMs: connRaw === undefined || connRaw === '' ? KAFKA_CONFIG_DEFAULTS.connectionTimeoutMs : parseMs(connRaw, connSetting),
    requestTimeoutMs: reqRaw === undefined || reqRaw === '' ? KAFKA_CONFIG_DEFAULTS.requestTimeoutMs : parseMs(reqRaw, reqSetting),
    logLevel,
    producerClient,
    consumerClient,
  });
}

/**
 * The settings from the environment alone (`KAFKA_BROKERS`, `KAFKA_SASL_*`, `KAFKA_TLS*`, ...), with
 * optional overrides; see {@link resolveKafkaConfig}.
 *
 * @param env the environment (default `process.env`)
 * @param overrides settings that win over the environment
 * @example
 * const c = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:9092,b:9092' });
 * c.brokers.length; // 2
 */
export function kafkaConfigFromEnv(env: Env = process.env, overrides: KafkaConfigOptions = {}): KafkaConnectionConfig {
  return resolveKafkaConfig(overrides, env);
}

/**
 * A plain object of the settings that is safe to log: the password is `***`, files are named, never read.
 *
 * @param c validated settings
 * @example
 * describeKafkaConfig(c); // { brokers: ['127.0.0.1:9092'], sasl: { mechanism: 'plain', username: 'u', password: '***' }, ... }
 */
export function describeKafkaConfig(c: KafkaConnectionConfig): Record<string, unknown> {
  return {
    brokers: [...c.brokers],
    clientId: c.clientId,
    groupId: c.groupId,
    sasl: c.sasl === null ? 'none' : { mechanism: c.sasl.mechanism, username: c.sasl.username, password: '***' },
    tls: c.tls === null ? 'off' : { ...c.tls },
    connectionTimeoutMs: c.connectionTimeoutMs,
    requestTimeoutMs: c.requestTimeoutMs,
    logLevel: c.logLevel,
    producerClient: c.producerClient,
    consumerClient: c.consumerClient,
  };
}
