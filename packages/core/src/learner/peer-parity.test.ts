import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodedEvent } from '../events/types.js';
import { OnlineLearner } from './online-learner.js';

// The whole learner (its defaults: SGD with a constant rate, log loss, no calibration, metrics and drift detectors on)
// against the peers' prequential log loss on the same stream and learning rate. The CSV and the peers' values are the
// kernel bench's fixtures (scripts/bench/peers.py --fixture: vowpalwabbit 9.11.9 --sgd --power_t 0, river 0.26.1
// learn_one, scikit-learn 1.9.1 partial_fit per event); see packages/kernel/src/bench/prequential.test.ts.
const dir = new URL('../../../kernel/src/bench/fixtures/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('peers-logloss.json', dir), 'utf8')) as {
  rows: number;
  dim: number;
  lr: number;
  meanPrequentialLogLoss: Record<string, number>;
};
const lines = readFileSync(new URL('peers-small.csv', dir), 'utf8').trim().split('\n').slice(1);

describe('OnlineLearner against VW, River and scikit-learn on the same stream', () => {
  const learner = new OnlineLearner({ optimizer: 'sgd', schedule: 'constant', learningRate: fixture.lr, features: { kind: 'dense', dim: fixture.dim } });
  const ev = new DecodedEvent(fixture.dim);
  const out = learner.newScore();
  for (let i = 0; i < lines.length; i++) {
    const cells = lines[i].split(',').map(Number);
    ev.x.clear();
    for (let j = 0; j < fixture.dim; j++) ev.x.push(j, cells[j]);
    ev.id = `row-${i + 1}`;
    ev.label = cells[fixture.dim];
    learner.process(ev, out, i);
  }
  const report = learner.report(0);

  it('learned from every row of the fixture', () => {
    expect(report.total.count).toBe(fixture.rows);
    expect(learner.eventsSeen).toBe(fixture.rows);
  });

  for (const peer of ['vw-sgd', 'river', 'sklearn-partial-fit-1']) {
    it(`total prequential log loss equals ${peer}'s within 1e-6`, () => {
      expect(report.total.logLoss).not.toBeNull();
      expect(Math.abs((report.total.logLoss as number) - fixture.meanPrequentialLogLoss[peer])).toBeLessThan(1e-6);
    });
  }
});
