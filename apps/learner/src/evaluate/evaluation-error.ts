import { AppError } from '../app-error.js';

/**
 * Thrown by the evaluation harness when its inputs cannot work: a missing data file ('bad-input',
 * exit code 1) or a bad option ('bad-option', exit code 2). A subclass of the app's {@link AppError},
 * so the CLI prints its message and exits with its code. Never retriable.
 *
 * @example
 * throw new EvaluationError('data file ../shared/data/spambase.csv is missing: pass --data-dir');
 */
export class EvaluationError extends AppError {
  /**
   * @param message what was wrong and what to do
   * @param options `code` (default 'bad-input'), `cause`
   */
  constructor(message: string, options: { code?: 'bad-input' | 'bad-option'; cause?: unknown } = {}) {
    super(options.code ?? 'bad-input', message, { cause: options.cause, retriable: false });
  }
}
