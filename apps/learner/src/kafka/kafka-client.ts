import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import type { KafkaConnectionConfig, KafkaLogLevel } from './kafka-config.js';
import { kafkaLogCreator } from './kafka-log-creator.js';
import { defaultKafkaLogger, type StructuredLogger } from './structured-logger.js';

const LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new KafkaAdapterError('bad-setting', `cannot read the TLS ${what} file ${file}: ${(cause as Error).message}; check the path and its permissions`, { cause });
  }
}

/**
 * Node TLS options for validated settings (the CA, certificate and key files read now, failing with
 * the file's name if one cannot be read), or undefined when TLS is off. Shared by the kafkajs client
 * and the platformatic sink.
 *
 * @param c validated settings
 * @throws KafkaAdapterError 'bad-setting' naming an unreadable file
 * @example
 * toTlsOptions(resolveKafkaConfig({ brokers: 'b:9093', tls: true })); // { rejectUnauthorized: true }
 */
export function toTlsOptions(c: KafkaConnectionConfig): ConnectionOptions | undefined {
  if (c.tls === null) return undefined;
  const o: ConnectionOptions = { rejectUnauthorized: c.tls.rejectUnauthorized };
  if (c.tls.caFile !== null) o.ca = [readPem(c.tls.caFile, 'CA')];
  if (c.tls.certFile !== null) o.cert = readPem(c.tls.certFile, 'certificate');
  if (c.tls.keyFile !== null) o.key = readPem(c.tls.keyFile, 'key');
  return o;
}

/**
 * The kafkajs client configuration for validated settings: reads the TLS files (failing with the
 * file's name if one cannot be read), reveals the SASL password only to kafkajs, and routes kafkajs's
 * logs into `logger` at the configured level.
 *
 * @param c validated settings (see resolveKafkaConfig)
 * @param logger where kafkajs's log lines go (default: pino on stderr)
 * @example
 * const kafka = new Kafka(toKafkaJsConfig(resolveKafkaConfig({ brokers: '127.0.0.1:9092' })));
 */
export function toKafkaJsConfig(c: KafkaConnectionConfig, logger?: StructuredLogger): KafkaConfig {
  const ssl = toTlsOptions(c);
  let sasl: SASLOptions | undefined;
  if (c.sasl !== null) {
    sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password.reveal() } as SASLOptions;
  }
  const log = logger ?? defaultKafkaLogger(c.logLevel === 'nothing' ? 'silent' : c.logLevel);
  return {
    brokers: [...c.brokers],
    clientId: c.clientId,
    connectionTimeout: c.connectionTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    logLevel: LEVELS[c.logLevel],
    logCreator: kafkaLogCreator(log),
    ...(ssl === undefined ? {} : { ssl }),
    ...(sasl === undefined ? {} : { sasl }),
  };
}

/**
 * A kafkajs client for validated settings (see {@link toKafkaJsConfig}). One client serves any number
 * of consumers, producers and admins.
 *
 * @param c validated settings
 * @param logger where kafkajs's log lines go (default: pino on stderr at the configured level)
 * @example
 * const kafka = createKafkaClient(kafkaConfigFromEnv());
 * const sink = createKafkaSink({ kafka });
 */
export function createKafkaClient(c: KafkaConnectionConfig, logger?: StructuredLogger): Kafka {
  const kafka = new Kafka(toKafkaJsConfig(c, logger));
  CONFIG_OF.set(kafka, c);
  return kafka;
}

const CONFIG_OF = new WeakMap<Kafka, KafkaConnectionConfig>();

/**
 * The validated settings a client was made from by {@link createKafkaClient}, or undefined for a
 * client made otherwise. Lets `createKafkaSink({ kafka })` honour `producerClient` (and give the
 * platformatic producer the same brokers, TLS and SASL) without more arguments.
 *
 * @param kafka a kafkajs client
 * @example
 * kafkaConnectionConfigOf(createKafkaClient(c)) === c; // true
 */
export function kafkaConnectionConfigOf(kafka: Kafka): KafkaConnectionConfig | undefined {
  return CONFIG_OF.get(kafka);
}
