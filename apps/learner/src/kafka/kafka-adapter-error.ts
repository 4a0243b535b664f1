/**
 * The error of the Kafka adapters (configuration, source, sink, topics). `code` is stable and
 * machine-readable; the message says what was wrong and what to do; `retriable` says whether the same
 * call could succeed later (a broker that is briefly away) or never will (a bad setting).
 *
 * @example
 * throw new KafkaAdapterError('bad-setting', "KAFKA_SASL_MECHANISM 'md5' is not one of plain, scram-sha-256, scram-sha-512");
 */
export class KafkaAdapterError extends Error {
  override readonly name = 'KafkaAdapterError';
  /** Whether retrying the same call could succeed. */
  readonly retriable: boolean;

  /**
   * @param code stable error code, e.g. 'bad-setting', 'no-brokers', 'send-failed', 'handler-failed'
   * @param message what was wrong and what to do
   * @param options `cause` (the underlying error) and `retriable` (default false)
   */
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}
