import {
  AccuracyMetric,
  BrierMetric,
  CalibrationErrorMetric,
  LogLossMetric,
  PairWindow,
  RocAucMetric,
} from '@logit-stream/kernel';
import type { NamedState } from '@logit-stream/kernel';
import { CoreError } from '../errors/core-error.js';
import type { QualityMetrics, ReliabilityBinReport } from './metrics-report.js';

/** The five kernel metrics plus the sums behind the means, over one set of pairs. */
class MetricSet {
  readonly logLoss = new LogLossMetric();
  readonly brier = new BrierMetric();
  readonly accuracy = new AccuracyMetric();
  readonly auc = new RocAucMetric();
  readonly ece = new CalibrationErrorMetric();
  count = 0;
  sumY = 0;
  sumP = 0;

  update(y: number, p: number): void {
    this.logLoss.update(y, p);
    this.brier.update(y, p);
    this.accuracy.update(y, p);
    this.auc.update(y, p);
    this.ece.update(y, p);
    this.count++;
    this.sumY += y;
    this.sumP += p;
  }

  revert(y: number, p: number): void {
    this.logLoss.revert(y, p);
    this.brier.revert(y, p);
    this.accuracy.revert(y, p);
    this.auc.revert(y, p);
    this.ece.revert(y, p);
    this.count--;
    this.sumY -= y;
    this.sumP -= p;
  }

  reset(): void {
    this.logLoss.reset();
    this.brier.reset();
    this.accuracy.reset();
    this.auc.reset();
    this.ece.reset();
    this.count = 0;
    this.sumY = 0;
    this.sumP = 0;
  }

  /** Resets and re-adds every pair of `w`, oldest first. */
  replay(w: PairWindow): void {
    this.reset();
    const n = w.size;
    for (let i = 0; i < n; i++) this.update(w.y(i), w.p(i));
  }

  toState(): NamedState {
    return {
      logLoss: this.logLoss.toState(),
      brier: this.brier.toState(),
      accuracy: this.accuracy.toState(),
      auc: this.auc.toState(),
      ece: this.ece.toState(),
      count: this.count,
      sumY: this.sumY,
      sumP: this.sumP,
    };
  }

  fromState(s: NamedState): void {
    this.logLoss.fromState(s.logLoss as NamedState);
    this.brier.fromState(s.brier as NamedState);
    this.accuracy.fromState(s.accuracy as NamedState);
    this.auc.fromState(s.auc as NamedState);
    this.ece.fromState(s.ece as NamedState);
    this.count = s.count as number;
    this.sumY = s.sumY as number;
    this.sumP = s.sumP as number;
  }

  summary(): QualityMetrics {
    const n = this.count;
    if (n === 0) {
      return { logLoss: null, brier: null, accuracy: null, auc: null, ece: null, meanLabel: null, meanP: null, count: 0 };
    }
    return {
      logLoss: finiteOrNull(this.logLoss.get()),
      brier: finiteOrNull(this.brier.get()),
      accuracy: finiteOrNull(this.accuracy.get()),
      auc: finiteOrNull(this.auc.get()), // NaN (→ null) unless both classes are present
      ece: finiteOrNull(this.ece.get()),
      meanLabel: this.sumY / n,
      meanP: this.sumP / n,
      count: n,
    };
  }
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The learner's prequential quality metrics: log loss, Brier score, accuracy at 0.5, ROC AUC, ECE and
 * the 15-bin reliability table, plus mean label, mean p and counts, each over a sliding window of the
 * last `window` labelled events and since start. Fed with (y, pCalibrated) of each labelled event
 * after it was scored and before the model learns from it.
 *
 * The window keeps its (y, p) pairs in a kernel {@link PairWindow}; an evicted pair is removed with
 * `revert`. Floating-point reverts accumulate rounding, so every `window` evictions the windowed
 * metrics are rebuilt exactly from the pairs in the buffer (amortised O(1) per event). Nothing is
 * allocated per event.
 *
 * @example
 * const m = new MetricsSuite(100);
 * m.update(1, 0.8);
 * m.window().brier // ≈ 0.04
 */
export class MetricsSuite {
  private readonly pairs: PairWindow;
  private readonly win = new MetricSet();
  private readonly all = new MetricSet();

  /** @param windowSize - size of the sliding window (labelled events), an integer ≥ 1 */
  constructor(readonly windowSize: number) {
    if (!Number.isInteger(windowSize) || windowSize < 1) {
      throw new CoreError('bad-option', `metricsWindow ${windowSize} is not allowed: use an integer >= 1`);
    }
    this.pairs = new PairWindow(windowSize);
  }

  /** Adds one labelled event's (label, calibrated probability). */
  update(y: number, p: number): void {
    this.all.update(y, p);
    const w = this.pairs;
    if (w.push(y, p)) this.win.revert(w.evictedY, w.evictedP);
    this.win.update(y, p);
    // Every `windowSize` evictions, rebuild the windowed sums exactly from the buffered pairs.
    if (w.evictions > 0 && w.evictions % this.windowSize === 0) this.win.replay(w);
  }

  /** Metrics over the last `windowSize` labelled events. */
  window(): QualityMetrics {
    return this.win.summary();
  }

  /** Metrics since start. */
  total(): QualityMetrics {
    return this.all.summary();
  }

  /** The 15-bin reliability table over the window (means null for empty bins). */
  reliability(): ReliabilityBinReport[] {
    return binsOf(this.win.ece);
  }

  /** The 15-bin reliability table since start. */
  totalReliability(): ReliabilityBinReport[] {
    return binsOf(this.all.ece);
  }

  /** Forgets everything. */
  reset(): void {
    this.win.reset();
    this.all.reset();
    this.pairs.clear();
  }

  /** The suite's state: the window's pairs and both metric sets (exact round trip through {@link MetricsSuite.fromState}). */
  toState(): NamedState {
    return {
      kind: 'metrics-suite',
      windowSize: this.windowSize,
      pairs: this.pairs.toState(),
      window: this.win.toState(),
      total: this.all.toState(),
    };
  }

  /**
   * Restores a state from {@link MetricsSuite.toState} of a suite with the same window size.
   *
   * @throws CoreError 'bad-state' when the state is not a metrics-suite state of this window size
   */
  fromState(state: NamedState): void {
    if (state.kind !== 'metrics-suite' || state.windowSize !== this.windowSize) {
      throw new CoreError(
        'bad-state',
        `metrics state (kind ${String(state.kind)}, window ${String(state.windowSize)}) does not fit a suite of window ${this.windowSize}; pass MetricsSuite.toState() output`,
      );
    }
    this.pairs.fromState(state.pairs as NamedState);
    this.win.fromState(state.window as NamedState);
    this.all.fromState(state.total as NamedState);
  }
}

function binsOf(ece: CalibrationErrorMetric): ReliabilityBinReport[] {
  const bins = ece.bins();
  const out: ReliabilityBinReport[] = [];
  for (const b of bins) {
    const empty = b.count === 0;
    out.push({
      lower: b.lower,
      upper: b.upper,
      count: b.count,
      meanP: empty || !Number.isFinite(b.meanP) ? null : b.meanP,
      meanY: empty || !Number.isFinite(b.meanY) ? null : b.meanY,
    });
  }
  return out;
}
