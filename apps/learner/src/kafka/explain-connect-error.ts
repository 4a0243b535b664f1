import { KafkaAdapterError } from './kafka-adapter-error.js';
import type { KafkaConnectionConfig } from './kafka-config.js';

/** Messages of Node's TLS layer for a certificate the client does not accept. */
const TLS_FAILURE = /certificate|self[- ]signed|unable to verify|ERR_TLS|altnames|SSL routines|handshake/i;

/** Whether `e` (or an error in its `cause` chain) is kafkajs's SASL authentication failure. */
function saslFailure(e: unknown): Error | null {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if (x.name === 'KafkaJSSASLAuthenticationError') return x;
  }
  return null;
}

/**
 * Turns a failed first connection into a {@link KafkaAdapterError} that says what to do. A SASL
 * failure becomes `'auth-failed'` naming the mechanism, the user and the brokers (never the
 * password, which kafkajs does not put in its messages either), e.g.
 * `the broker 127.0.0.1:19094 refused SASL SCRAM-SHA-256 authentication of user "logit": … ; check
 * KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`. A SASL failure is not
 * retriable: the same credentials fail again. With TLS on, a certificate the client refuses becomes
 * `'tls-failed'` (not retriable) saying which CA was trusted and how to set another. Anything else
 * becomes `'connect-failed'` (retriable).
 *
 * @param cause what kafkajs threw from `connect()`
 * @param c the settings the client was made from
 * @param what who was connecting, e.g. 'the Kafka admin client'
 * @example
 * await admin.connect().catch((e: unknown) => { throw explainConnectError(e, kcfg, 'the Kafka admin client'); });
 */
export function explainConnectError(cause: unknown, c: KafkaConnectionConfig, what = 'the Kafka client'): KafkaAdapterError {
  if (cause instanceof KafkaAdapterError) return cause;
  const brokers = c.brokers.join(',');
  const sasl = saslFailure(cause);
  if (sasl !== null) {
    const mech = c.sasl === null ? 'SASL' : `SASL ${c.sasl.mechanism.toUpperCase()}`;
    const user = c.sasl === null ? '' : ` of user ${JSON.stringify(c.sasl.username)}`;
    return new KafkaAdapterError(
      'auth-failed',
      `the broker ${brokers} refused ${mech} authentication${user} (${sasl.message}); check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
      { cause, retriable: false },
    );
  }
  const msg = cause instanceof Error ? cause.message : String(cause);
  if (c.tls !== null && TLS_FAILURE.test(msg)) {
    const ca = c.tls.caFile === null ? "the system's CAs" : `the CA in ${c.tls.caFile}`;
    return new KafkaAdapterError(
      'tls-failed',
      `TLS to ${brokers} failed: ${msg} (trusting ${ca}); set KAFKA_TLS_CA_FILE to the PEM file of the CA that signed the broker's certificate, and check that the broker's name or IP is in that certificate`,
      { cause, retriable: false },
    );
  }
  const security = `${c.sasl === null ? 'no SASL' : `SASL ${c.sasl.mechanism}`}, ${c.tls === null ? 'no TLS' : 'TLS'}`;
  return new KafkaAdapterError(
    'connect-failed',
    `${what} could not connect to ${brokers} (${security}): ${msg}; check the brokers setting, that the broker runs, and that its listener expects this security setting`,
    { cause, retriable: true },
  );
}
