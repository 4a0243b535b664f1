import { AccuracyMetric, CalibrationErrorMetric, LogLossMetric } from '@logit-stream/kernel';
import type { ReliabilityBin } from '@logit-stream/kernel';

/** Held-out metrics of one model. */
export interface HeldOutMetrics {
  readonly logLoss: number;
  readonly ece: number;
  readonly accuracy: number;
  readonly bins: ReliabilityBin[];
}

/**
 * Held-out log loss, ECE (15 bins) and accuracy of probabilities p against labels y, with the
 * kernel's `LogLossMetric`, `CalibrationErrorMetric` and `AccuracyMetric`.
 *
 * @param y labels
 * @param p predicted P(y = 1)
 * @example
 * heldOutMetrics([1, 0], [0.9, 0.2]).accuracy; // 1
 */
export function heldOutMetrics(y: ArrayLike<number>, p: ArrayLike<number>): HeldOutMetrics {
  const ll = new LogLossMetric();
  const ece = new CalibrationErrorMetric();
  const acc = new AccuracyMetric();
  for (let i = 0; i < y.length; i++) {
    ll.update(y[i], p[i]);
    ece.update(y[i], p[i]);
    acc.update(y[i], p[i]);
  }
  return { logLoss: ll.get(), ece: ece.get(), accuracy: acc.get(), bins: ece.bins() };
}
