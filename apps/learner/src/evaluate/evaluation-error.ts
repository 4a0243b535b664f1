/**
 * Thrown by the evaluation harness when its inputs cannot work: a missing data file, a bad option.
 * The message says what was wrong and what to do. Never retriable (the same input fails again).
 *
 * @example
 * throw new EvaluationError('data file ../shared/data/spambase.csv is missing: pass --data-dir');
 */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  /** Whether retrying the same call could succeed (never, for evaluation input errors). */
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
