/**
 * The error of the learner app's own code (CLI options, replay, the service). `code` is stable;
 * the message says what was wrong and what to do; `retriable` says whether the same call could
 * succeed later; `exitCode` is what the CLI exits with (2 for bad usage, 1 otherwise).
 *
 * @example
 * throw new AppError('bad-option', '--rate "fast" is not allowed: use a number >= 0', { exitCode: 2 });
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  /** Whether retrying the same call could succeed. */
  readonly retriable: boolean;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  /**
   * @param code stable error code, e.g. 'bad-option', 'bad-input', 'io'
   * @param message what was wrong and what to do
   * @param options `cause`, `retriable` (default false), `exitCode` (default 2 for 'bad-option', else 1)
   */
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown; retriable?: boolean; exitCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
    this.exitCode = options.exitCode ?? (code === 'bad-option' ? 2 : 1);
  }
}
