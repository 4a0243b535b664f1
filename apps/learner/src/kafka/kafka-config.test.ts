import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { describeKafkaConfig, kafkaConfigFromEnv, resolveKafkaConfig } from './kafka-config.js';

function error(f: () => unknown): KafkaAdapterError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KafkaAdapterError);
    return e as KafkaAdapterError;
  }
  throw new Error('expected a KafkaAdapterError, nothing was thrown');
}

describe('resolveKafkaConfig', () => {
  it('reads KAFKA_BROKERS and applies defaults', () => {
    const c = kafkaConfigFromEnv({ KAFKA_BROKERS: ' 127.0.0.1:9092 , broker-2.local:19092 ' });
    expect(c.brokers).toEqual(['127.0.0.1:9092', 'broker-2.local:19092']);
    expect(c.clientId).toBe('logit-stream');
    expect(c.groupId).toBe('logit-learner');
    expect(c.sasl).toBeNull();
    expect(c.tls).toBeNull();
    expect(c.logLevel).toBe('warn');
  });

  it('options win over the environment', () => {
    const c = resolveKafkaConfig({ brokers: ['a:1'], groupId: 'g-opt' }, { KAFKA_BROKERS: 'b:2', KAFKA_GROUP_ID: 'g-env', KAFKA_CLIENT_ID: 'cid' });
    expect(c.brokers).toEqual(['a:1']);
    expect(c.groupId).toBe('g-opt');
    expect(c.clientId).toBe('cid');
  });

  it('says how to get a broker when none is configured', () => {
    const e = error(() => resolveKafkaConfig({}, {}));
    expect(e.code).toBe('no-brokers');
    expect(e.message).toContain('KAFKA_BROKERS');
    expect(e.message).toContain('--brokers');
  });

  it('names the setting, the value and what is allowed for a bad broker', () => {
    const e = error(() => resolveKafkaConfig({}, { KAFKA_BROKERS: 'localhost:99999' }));
    expect(e.code).toBe('bad-setting');
    expect(e.message).toContain('KAFKA_BROKERS');
    expect(e.message).toContain('"localhost:99999"');
    expect(e.message).toContain('1..65535');
    expect(error(() => resolveKafkaConfig({ brokers: 'no-port' }, {})).message).toMatch(/^brokers "no-port"/);
  });

  it('builds SASL settings and rejects an unknown mechanism', () => {
    const c = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' });
    expect(c.sasl?.mechanism).toBe('scram-sha-512');
    expect(c.sasl?.username).toBe('u');
    expect(c.sasl?.password.reveal()).toBe('hunter2');
    const e = error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'md5', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }));
    expect(e.message).toContain('KAFKA_SASL_MECHANISM "md5"');
    expect(e.message).toContain('plain, scram-sha-256, scram-sha-512');
  });

  it('requires username and password with a mechanism, and a mechanism with them', () => {
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).message).toContain('KAFKA_SASL_PASSWORD');
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' })).message).toContain('KAFKA_SASL_USERNAME');
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_PASSWORD: 'p' })).message).toContain('no mechanism');
  });

  it('never shows the password: describe, JSON, inspect, template strings', () => {
    const c = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'alice', KAFKA_SASL_PASSWORD: 's3cr3t-value' });
    const shown = [JSON.stringify(describeKafkaConfig(c)), JSON.stringify(c), inspect(c, { depth: 5 }), `${c.sasl?.password}`];
    for (const s of shown) {
      expect(s).not.toContain('s3cr3t-value');
      expect(s).toContain('***');
    }
    expect(describeKafkaConfig(c).sasl).toEqual({ mechanism: 'plain', username: 'alice', password: '***' });
  });

  it('TLS: files imply TLS, KAFKA_TLS=false with files is a conflict, cert needs key', () => {
    const c = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_TLS_CA_FILE: '/etc/ca.pem' });
    expect(c.tls).toEqual({ caFile: '/etc/ca.pem', certFile: null, keyFile: null, rejectUnauthorized: true });
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_TLS: 'true', KAFKA_TLS_REJECT_UNAUTHORIZED: '0' }).tls?.rejectUnauthorized).toBe(false);
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_TLS: 'false', KAFKA_TLS_CA_FILE: '/x' })).message).toContain('TLS is off');
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_TLS_CERT_FILE: '/c' })).message).toContain('KAFKA_TLS_KEY_FILE');
    const e = error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_TLS: 'maybe' }));
    expect(e.message).toContain('KAFKA_TLS "maybe"');
  });

  it('validates timeouts, ids and the log level by name', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(5000);
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_CONNECTION_TIMEOUT_MS: '-3' })).message).toContain('KAFKA_CONNECTION_TIMEOUT_MS "-3"');
    expect(error(() => resolveKafkaConfig({ brokers: 'a:1', groupId: 'bad group' }, {})).message).toContain('groupId "bad group"');
    expect(error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_LOG_LEVEL: 'loud' })).message).toContain('nothing, error, warn, info, debug');
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
  });

  it('chooses the producer client: lean by default, kafkajs or platformatic by option or KAFKA_PRODUCER_CLIENT, anything else refused', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1' }).producerClient).toBe('lean');
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_PRODUCER_CLIENT: 'Kafkajs' }).producerClient).toBe('kafkajs');
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_PRODUCER_CLIENT: 'Platformatic' }).producerClient).toBe('platformatic');
    expect(resolveKafkaConfig({ brokers: 'a:1', producerClient: 'kafkajs' }, { KAFKA_PRODUCER_CLIENT: 'platformatic' }).producerClient).toBe('kafkajs');
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_PRODUCER_CLIENT: ' LEAN ' }).producerClient).toBe('lean');
    expect(resolveKafkaConfig({ brokers: 'a:1', producerClient: 'lean' }, {}).producerClient).toBe('lean');
    const e = error(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_PRODUCER_CLIENT: 'rdkafka' }));
    expect(e.message).toContain('KAFKA_PRODUCER_CLIENT "rdkafka"');
    expect(e.message).toContain('kafkajs, platformatic, lean');
  });

  it('chooses the consumer client: kafkajs by default, lean by option or KAFKA_CONSUMER_CLIENT, anything else refused', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1' }).consumerClient).toBe('kafkajs');
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_CONSUMER_CLIENT: ' Lean ' }).consumerClient).toBe('lean');
    expect(resolveKafkaConfig({ brokers: 'a:1', consumerClient: 'kafkajs' }, { KAFKA_CONSUMER_CLIENT: 'lean' }).consumerClient).toBe('kafkajs');
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_CONSUMER_CLIENT: 'platformatic' })).toThrow(/KAFKA_CONSUMER_CLIENT.*kafkajs, lean/);
  });
});
