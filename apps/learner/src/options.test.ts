import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { learningInputFromFlags, numberFlag, replayConfigFromFlags, resolveFromFlags, runConfigFromFlags } from './options.js';

function failure(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('CLI options', () => {
  it('maps every learning flag onto the learner option it sets', () => {
    expect(
      learningInputFromFlags({
        loss: 'hinge',
        optimizer: 'ftrl',
        learningRate: '0.2',
        schedule: 'constant',
        powerT: '0.25',
        l2: '0.001',
        l1: '0.5',
        ftrlBeta: '2',
        labelSmoothing: '0.1',
        noiseRates: '0.1,0.2',
        noiseCorrection: 'backward',
        noiseEstimation: 'trusted',
        calibration: 'platt',
        standardize: true,
        metricsWindow: '500',
        driftDetectors: 'adwin,ddm',
        driftReaction: 'boost',
      }),
    ).toEqual({
      loss: 'hinge',
      optimizer: 'ftrl',
      learningRate: 0.2,
      schedule: 'constant',
      powerT: 0.25,
      l2: 0.001,
      l1: 0.5,
      ftrlBeta: 2,
      labelSmoothing: 0.1,
      noiseRates: [0.1, 0.2],
      noiseCorrection: 'backward',
      noiseEstimation: 'trusted',
      calibration: 'platt',
      standardize: true,
      metricsWindow: 500,
      drift: { detectors: ['adwin', 'ddm'], reaction: 'boost' },
    });
    expect(learningInputFromFlags({})).toEqual({});
    expect(learningInputFromFlags({ driftDetectors: 'none' })).toEqual({ drift: { detectors: [] } });
  });

  it('stops bad values with a message naming the flag, the value and what is allowed (exit code 2)', () => {
    const e = failure(() => learningInputFromFlags({ learningRate: 'fast' }));
    expect(e.message).toBe('--learning-rate "fast" is not allowed: use a number > 0');
    expect(e.exitCode).toBe(2);
    expect(failure(() => learningInputFromFlags({ learningRate: '0' })).message).toMatch(/--learning-rate "0" .* > 0/);
    expect(failure(() => learningInputFromFlags({ loss: 'squared' })).message).toBe('--loss "squared" is not allowed: use one of log|hinge');
    expect(failure(() => learningInputFromFlags({ noiseRates: '0.6,0.5' })).message).toMatch(/--noise-rates "0.6,0.5" is not allowed: use two rates/);
    expect(failure(() => learningInputFromFlags({ noiseRates: '0.1' })).message).toMatch(/--noise-rates/);
    expect(failure(() => learningInputFromFlags({ driftDetectors: 'adwin,adwin' })).message).toMatch(/--drift-detectors "adwin,adwin"/);
    expect(failure(() => learningInputFromFlags({ metricsWindow: '2.5' })).message).toBe('--metrics-window "2.5" is not allowed: use an integer >= 1');
    expect(numberFlag('--x', '7', { integer: true, min: 0, max: 9 })).toBe(7);
    expect(failure(() => numberFlag('--x', '10', { integer: true, min: 0, max: 9 })).message).toBe('--x "10" is not allowed: use an integer in [0, 9]');
  });

  it("renames core's option names to flags in resolveLearnerOptions' errors", () => {
    const e = failure(() => resolveFromFlags({ optimizer: 'sgd', l1: 0.1 }));
    expect(e.message).toMatch(/^--l1 0.1 is not allowed: use 0 unless optimizer is 'ftrl'/);
    expect(e.exitCode).toBe(2);
    expect(failure(() => resolveFromFlags({ loss: 'hinge' })).message).toMatch(/^--calibration "none" is not allowed/);
    expect(failure(() => resolveFromFlags({ noiseCorrection: 'forward' })).message).toMatch(/^--noise-correction/);
  });

  it('replay: requires --input, validates learning options before reading, and has the documented defaults', () => {
    expect(failure(() => replayConfigFromFlags({})).message).toMatch(/^--input undefined is not allowed: use the path of a CSV file/);
    expect(failure(() => replayConfigFromFlags({ input: 'x.csv', schedule: 'invscaling', optimizer: 'adagrad' })).message).toMatch(/^--schedule/);
    const c = replayConfigFromFlags({ input: 'x.csv' });
    expect(c).toEqual({
      input: 'x.csv',
      labelColumn: 'label',
      learning: {},
      learnerId: 'learner-0',
      shuffleSeed: null,
      modelOut: null,
      scoresOut: null,
      progressEvery: 10_000,
    });
    expect(replayConfigFromFlags({ input: 'x.csv', shuffleSeed: '42', standardize: true }).shuffleSeed).toBe(42);
  });

  it('run: SPEC §2 topic defaults, group logit-stream, embedded mode without brokers, KAFKA_BROKERS from the environment', () => {
    const c = runConfigFromFlags({}, {});
    expect(c.brokers).toBeNull();
    expect(c.groupId).toBe('logit-stream');
    expect(c.topics).toEqual({ events: 'events', scores: 'scores', metrics: 'metrics', dlq: 'events-dlq', snapshots: 'model-snapshots' });
    expect(c.metricsEvery).toBe(10_000);
    expect(c.metricsIntervalMs).toBe(5_000);
    expect(c.maxEvents).toBeNull();
    expect(c.exitOnIdleMs).toBeNull();
    expect(c.learner.features).toEqual({ kind: 'hashed', bits: 18, seed: 0 });
    expect(runConfigFromFlags({}, { KAFKA_BROKERS: 'a:9092, b:9092' }).brokers).toEqual(['a:9092', 'b:9092']);
    expect(runConfigFromFlags({ brokers: 'c:1' }, { KAFKA_BROKERS: 'a:9092' }).brokers).toEqual(['c:1']);
    const d = runConfigFromFlags({ exitOnIdle: '1.5', maxEvents: '200000', denseDim: '3', standardize: true, hashBits: '20' }, {});
    expect(d.exitOnIdleMs).toBe(1500);
    expect(d.maxEvents).toBe(200_000);
    expect(d.learner.features).toEqual({ kind: 'dense', dim: 3 });
    expect(d.learner.standardize).toBe(true);
  });

  it('run: --standardize without dense events says how to get them; --dense-dim must match the embedded stream', () => {
    expect(failure(() => runConfigFromFlags({ standardize: true }, {})).message).toMatch(/^--standardize true is not allowed.*pass --dense-dim D/);
    expect(failure(() => runConfigFromFlags({ denseDim: '5' }, {})).message).toBe(
      '--dense-dim "5" is not allowed: use 3 with the embedded sea stream (or give --brokers)',
    );
    expect(runConfigFromFlags({ denseDim: '5', brokers: 'x:1' }, {}).learner.features).toEqual({ kind: 'dense', dim: 5 });
    expect(failure(() => runConfigFromFlags({ rate: '-1' }, {})).message).toBe('--rate "-1" is not allowed: use a number >= 0');
    expect(failure(() => runConfigFromFlags({ groupId: ' ' }, {})).message).toMatch(/--group-id " " is not allowed/);
  });

  it('run: --exactly-once with KAFKA_CONSUMER_CLIENT=lean stops before anything connects (exit code 2); with kafkajs it is taken', () => {
    const e = failure(() => runConfigFromFlags({ brokers: 'x:1', exactlyOnce: true }, { KAFKA_CONSUMER_CLIENT: 'lean' }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^--exactly-once needs the kafkajs consumer .*unset KAFKA_CONSUMER_CLIENT/);
    expect(runConfigFromFlags({ brokers: 'x:1', exactlyOnce: true }, { KAFKA_CONSUMER_CLIENT: 'kafkajs' }).checkpoint.exactlyOnce).toBe(true);
    expect(runConfigFromFlags({ brokers: 'x:1' }, { KAFKA_CONSUMER_CLIENT: 'lean' }).checkpoint.exactlyOnce).toBe(false);
  });
});
