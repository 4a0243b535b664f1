/**
 * A streaming metric over (label y, probability p) pairs.
 * `revert` removes a pair previously added, for sliding windows; not every metric supports it.
 */
export interface Metric {
  update(y: number, p: number): void;
  revert(y: number, p: number): void;
  get(): number;
  reset(): void;
}
