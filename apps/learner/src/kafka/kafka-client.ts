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
  let ssl: ConnectionOptions | boolean | undefined;
  if (c.tls !== null) {
    const o: ConnectionOptions = { rejectUnauthorized: c.tls.rejectUnauthorized };
    if (c.tls.caFile !== null) o.ca = [readPem(c.tls.caFile, 'CA')];
    if (c.tls.certFile !== null) o.cert = readPem(c.tls.certFile, 'certificate');
    if (c.tls.keyFile !== null) o.key = readPem(c.tls.keyFile, 'key');
    ssl = o;
  }
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
  return new Kafka(toKafkaJsConfig(c, logger));
}
