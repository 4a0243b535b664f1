/**
 * The one error class of the experiments package: a bad argument, a missing data file, a solver that
 * did not converge. The message says what was wrong and what to do.
 *
 * @example
 * throw new ExperimentError('data file ../shared/data/x.csv is missing: pass --data-dir DIR');
 */
export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';

  /**
   * @param message what was wrong and what to do
   * @param options the underlying error, if any
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
