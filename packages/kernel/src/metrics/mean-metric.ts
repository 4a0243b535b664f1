import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { Metric } from './base.js';

/**
 * The shared shell of metrics that are the mean of a per-pair value (log loss, Brier score): a sum and
 * a count, revertible for sliding windows, NaN when empty, with an exact state round trip. A subclass
 * gives only `point(y, p)` and the state `kind`.
 *
 * @example
 * class AbsError extends MeanMetric {
 *   constructor() { super('abs-error', 'AbsError'); }
 *   protected point(y: number, p: number): number { return Math.abs(p - y); }
 * }
 */
export abstract class MeanMetric implements Metric {
  private sum = 0;
  private n = 0;

  /**
   * @param kind - the `kind` tag of `toState()`
   * @param className - the subclass's name, for the message when a foreign state is restored
   */
  protected constructor(
    private readonly kind: string,
    private readonly className: string,
  ) {}

  /** The value that one (y, p) pair adds to the mean. */
  protected abstract point(y: number, p: number): number;

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    this.sum += this.point(y, p);
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    this.sum -= this.point(y, p);
    this.n--;
    if (this.n === 0) this.sum = 0;
  }

  /** The mean over the pairs, NaN when empty. */
  get(): number {
    return this.n === 0 ? Number.NaN : this.sum / this.n;
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** The metric's sum and count (exact round trip through `fromState`). */
  toState(): NamedState {
    return { kind: this.kind, sum: this.sum, n: this.n };
  }

  /** Restores a state from `toState()` of the same metric; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (state['kind'] !== this.kind || typeof state['sum'] !== 'number' || typeof state['n'] !== 'number') {
      throw new KernelError(
        `state of kind '${String(state['kind'])}' does not fit ${this.className}; pass ${this.className}.toState() output`,
      );
    }
    this.sum = state['sum'] as number;
    this.n = state['n'] as number;
  }

  /** Forgets every pair. */
  reset(): void {
    this.sum = 0;
    this.n = 0;
  }
}
