import { AppError } from '../app-error.js';

/**
 * The error of the Kafka adapters (configuration, source, sink, topics): an {@link AppError} (the
 * app's one error base class), so the CLI reports it like any other. `code` is stable and
 * machine-readable; the message says what was wrong and what to do; `retriable` says whether the same
 * call could succeed later (a broker that is briefly away) or never will (a bad setting).
 *
 * @example
 * throw new KafkaAdapterError('bad-setting', 'KAFKA_SASL_MECHANISM "md5" is not valid: use one of plain, scram-sha-256, scram-sha-512');
 */
export class KafkaAdapterError extends AppError {
  /**
   * @param code stable error code, e.g. 'bad-setting', 'no-brokers', 'send-failed', 'handler-failed'
   * @param message what was wrong and what to do
   * @param options `cause` (the underlying error) and `retriable` (default false); bad settings exit 2
   */
  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, { ...options, exitCode: code === 'bad-setting' || code === 'no-brokers' ? 2 : 1 });
    Object.defineProperty(this, 'name', { value: 'KafkaAdapterError', enumerable: false });
  }
}
