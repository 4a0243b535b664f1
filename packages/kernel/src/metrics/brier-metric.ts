import { MeanMetric } from './mean-metric.js';

/**
 * Brier score: the mean of (p − y)² over pairs, for hard or soft labels. Revertible; NaN when empty.
 *
 * @example
 * const m = new BrierMetric();
 * m.update(1, 0.8);
 * m.get(); // 0.04 (up to rounding)
 */
export class BrierMetric extends MeanMetric {
  constructor() {
    super('brier-metric', 'BrierMetric');
  }

  protected point(y: number, p: number): number {
    const d = p - y;
    return d * d;
  }
}
