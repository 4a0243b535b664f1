/**
 * The producer package's one error class. `code` is stable ('bad-option', 'bad-input', 'kafka');
 * the message says what was wrong and what to do; `retriable` whether the same call could succeed
 * later; `exitCode` what the command exits with (2 for bad usage, 1 otherwise).
 *
 * @example
 * throw new ProducerError('bad-option', '--rate "fast" is not valid: use a number of events per second >= 0 (0 = as fast as possible)');
 */
export class ProducerError extends Error {
  override readonly name = 'ProducerError';
  /** Whether retrying the same call could succeed. */
  readonly retriable: boolean;
  /** Exit code of the command for this error. */
  readonly exitCode: number;

  /**
   * @param code stable error code
   * @param message what was wrong and what to do
   * @param options `cause`, `retriable` (default false), `exitCode` (default 2 for 'bad-option', else 1)
   */
  constructor(readonly code: string, message: string, options: { cause?: unknown; retriable?: boolean; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
    this.exitCode = options.exitCode ?? (code === 'bad-option' ? 2 : 1);
  }
}
