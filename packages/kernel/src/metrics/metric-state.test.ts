import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { AccuracyMetric } from './accuracy-metric.js';
import { BrierMetric } from './brier-metric.js';
import { CalibrationErrorMetric } from './calibration-error-metric.js';
import { LogLossMetric } from './log-loss-metric.js';
import { RocAucMetric } from './roc-auc-metric.js';

// toState/fromState of the five metrics (added by C2 for the learner's snapshot): a restored metric
// continues with bit-identical values (===), and a state of another metric is refused.
describe('metric state round trip', () => {
  const makers = [
    () => new LogLossMetric(),
    () => new BrierMetric(),
    () => new AccuracyMetric(),
    () => new RocAucMetric(),
    () => new CalibrationErrorMetric(),
  ];
  it('restores every metric exactly and the next values are identical (===)', () => {
    for (const make of makers) {
      const rng = new Rng(42);
      const a = make();
      for (let i = 0; i < 300; i++) a.update(rng.next() < 0.4 ? 1 : rng.next() * 0.3, rng.next());
      const b = make();
      b.fromState(a.toState());
      expect(Object.is(b.get(), a.get())).toBe(true);
      for (let i = 0; i < 100; i++) {
        const y = rng.next() < 0.5 ? 1 : 0;
        const p = rng.next();
        a.update(y, p);
        b.update(y, p);
        if (i % 3 === 0) {
          a.revert(y, p);
          b.revert(y, p);
        }
        expect(Object.is(b.get(), a.get())).toBe(true);
      }
    }
  });

  it('refuses the state of another metric', () => {
    expect(() => new BrierMetric().fromState(new LogLossMetric().toState())).toThrow(/BrierMetric/);
    expect(() => new RocAucMetric({ bins: 8 }).fromState(new RocAucMetric().toState())).toThrow(/RocAucMetric/);
  });
});
