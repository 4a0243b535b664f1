import { MeanMetric } from './mean-metric.js';

const EPS = 1e-15;

/**
 * Mean logistic loss −[y ln p + (1−y) ln(1−p)] of probabilities, with p clipped to [1e-15, 1 − 1e-15]
 * (as scikit-learn's `log_loss` used to and River's `LogLoss` does), for hard or soft labels y ∈ [0, 1].
 * Revertible for sliding windows (see {@link PairWindow} for keeping a window exact); NaN when empty.
 *
 * @example
 * const m = new LogLossMetric();
 * m.update(1, 0.5);
 * m.get(); // Math.LN2
 */
export class LogLossMetric extends MeanMetric {
  constructor() {
    super('log-loss-metric', 'LogLossMetric');
  }

  /** The loss of one pair (what `update` adds), clipped as described above. */
  static pointLoss(y: number, p: number): number {
    const q = p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
    let l = 0;
    if (y > 0) l -= y * Math.log(q);
    if (y < 1) l -= (1 - y) * Math.log1p(-q);
    return l;
  }

  protected point(y: number, p: number): number {
    return LogLossMetric.pointLoss(y, p);
  }
}
