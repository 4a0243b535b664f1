import { describe, expect, it } from 'vitest';
import { explainConnectError } from './explain-connect-error.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';

const env = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'alice', KAFKA_SASL_PASSWORD: 's3cret-Pa55' };

/** What kafkajs 2.2.4 throws for refused credentials (KafkaJSSASLAuthenticationError). */
function kafkajsSaslError(): Error {
  const e = new Error('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
  e.name = 'KafkaJSSASLAuthenticationError';
  return e;
}

describe('explainConnectError', () => {
  it('names the mechanism, the user and the brokers of a refused SASL login, never the password', () => {
    const c = resolveKafkaConfig({ brokers: '127.0.0.1:19094' }, env);
    const e = explainConnectError(kafkajsSaslError(), c);
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect([e.code, e.retriable, e.exitCode]).toEqual(['auth-failed', false, 1]);
    expect(e.message).toMatch(/^the broker 127\.0\.0\.1:19094 refused SASL SCRAM-SHA-512 authentication of user "alice" \(SASL SCRAM SHA512 authentication failed: .*\); check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM$/);
    expect(`${e.message} ${JSON.stringify(e)} ${String(e.stack)}`).not.toContain('s3cret-Pa55');
  });

  it('finds the SASL failure in a cause chain', () => {
    const c = resolveKafkaConfig({ brokers: '127.0.0.1:19094' }, env);
    expect(explainConnectError(new Error('outer', { cause: kafkajsSaslError() }), c).code).toBe('auth-failed');
  });

  it('reports other failures as retriable connect-failed with the security settings, and passes adapter errors through', () => {
    const c = resolveKafkaConfig({ brokers: '127.0.0.1:1' }, {});
    const e = explainConnectError(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), c, 'the Kafka admin client');
    expect([e.code, e.retriable]).toEqual(['connect-failed', true]);
    expect(e.message).toBe(
      'the Kafka admin client could not connect to 127.0.0.1:1 (no SASL, no TLS): Connection error: connect ECONNREFUSED 127.0.0.1:1; check the brokers setting, that the broker runs, and that its listener expects this security setting',
    );
    const own = new KafkaAdapterError('bad-setting', 'x');
    expect(explainConnectError(own, c)).toBe(own);
  });

  it('says which CA was trusted when TLS refuses the broker certificate', () => {
    const c = resolveKafkaConfig({ brokers: '127.0.0.1:19096', tls: true }, {});
    const e = explainConnectError(new Error('Connection error: self-signed certificate in certificate chain'), c);
    expect([e.code, e.retriable]).toEqual(['tls-failed', false]);
    expect(e.message).toBe(
      "TLS to 127.0.0.1:19096 failed: Connection error: self-signed certificate in certificate chain (trusting the system's CAs); set KAFKA_TLS_CA_FILE to the PEM file of the CA that signed the broker's certificate, and check that the broker's name or IP is in that certificate",
    );
    const withCa = resolveKafkaConfig({ brokers: '127.0.0.1:19096', tlsCaFile: '/x/ca.pem' }, {});
    expect(explainConnectError(new Error('unable to verify the first certificate'), withCa).message).toContain('(trusting the CA in /x/ca.pem)');
    // without TLS the same words are just a connection failure
    expect(explainConnectError(new Error('self-signed certificate'), resolveKafkaConfig({ brokers: 'h:1' }, {})).code).toBe('connect-failed');
  });
});
