/**
 * The core package's one error class. `code` is stable and machine-readable; the message says what
 * was wrong and what to do.
 *
 * @example
 * throw new CoreError('bad-option', 'learningRate -1 must be a finite number > 0 (--learning-rate)');
 */
export class CoreError extends Error {
  override readonly name = 'CoreError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
