/**
 * The kernel's one error class: thrown by constructors and setters given settings that cannot work
 * (never on the per-event path, which trusts validated input).
 *
 * @example
 * throw new KernelError('noise rates ρ0 = 0.6, ρ1 = 0.5 must satisfy ρ0 + ρ1 < 1');
 */
export class KernelError extends Error {
  override readonly name = 'KernelError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
