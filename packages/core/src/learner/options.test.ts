import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/core-error.js';
import { DEFAULT_LEARNER_OPTIONS, type LearnerOptionsInput, resolveLearnerOptions } from './options.js';

function badOption(partial: unknown): CoreError {
  try {
    resolveLearnerOptions(partial as LearnerOptionsInput);
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe('bad-option');
    return e as CoreError;
  }
  throw new Error(`expected ${JSON.stringify(partial)} to be refused`);
}

describe('resolveLearnerOptions', () => {
  it('runs the doc example', () => {
    const o = resolveLearnerOptions({ optimizer: 'adagrad', learningRate: 0.1 });
    expect(o.loss).toBe('log');
    expect(DEFAULT_LEARNER_OPTIONS.learningRate).toBe(0.05);
  });

  it('fills every default and returns a fresh object', () => {
    const o = resolveLearnerOptions();
    expect(o).toEqual(DEFAULT_LEARNER_OPTIONS);
    expect(o).not.toBe(DEFAULT_LEARNER_OPTIONS);
    expect(o.drift.detectors).not.toBe(DEFAULT_LEARNER_OPTIONS.drift.detectors);
    expect(o.learningRate).toBe(0.05);
    expect(o.features).toEqual({ kind: 'hashed', bits: 18, seed: 0 });
  });

  it('keeps given values and fills nested defaults', () => {
    const o = resolveLearnerOptions({
      optimizer: 'ftrl',
      l1: 0.5,
      features: { kind: 'hashed', bits: 10 },
      drift: { reaction: 'boost' },
    });
    expect(o.optimizer).toBe('ftrl');
    expect(o.l1).toBe(0.5);
    expect(o.features).toEqual({ kind: 'hashed', bits: 10, seed: 0 });
    expect(o.drift.reaction).toBe('boost');
    expect(o.drift.referenceAfter).toBe(1000);
  });

  it('names the option, the value and what is allowed', () => {
    expect(badOption({ learningRate: -1 }).message).toBe('learningRate -1 is not allowed: use a finite number > 0');
    expect(badOption({ learningRate: Number.NaN }).message).toContain('learningRate NaN');
    expect(badOption({ optimizer: 'adam' }).message).toBe(
      'optimizer "adam" is not allowed: use one of sgd|adagrad|ftrl',
    );
    expect(badOption({ l2: -0.1 }).message).toContain('l2 -0.1');
    expect(badOption({ labelSmoothing: 1 }).message).toContain('[0, 1)');
    expect(badOption({ metricsWindow: 2.5 }).message).toContain('metricsWindow 2.5');
    expect(badOption({ features: { kind: 'hashed', bits: 31 } }).message).toContain('features.bits 31');
    expect(badOption({ features: { kind: 'dense', dim: 0 } }).message).toContain('features.dim 0');
    expect(badOption({ drift: { detectors: ['adwin', 'kswin'] } }).message).toContain('"kswin"');
    expect(badOption({ drift: { detectors: ['adwin', 'adwin'] } }).message).toContain('at most once');
    expect(badOption({ drift: { boostFactor: 0 } }).message).toContain('drift.boostFactor 0');
    expect(badOption({ standardize: 'yes' }).message).toContain('true or false');
  });

  it('refuses unknown keys, listing the known ones', () => {
    expect(badOption({ learningrate: 0.1 }).message).toContain('unknown option learningrate');
    expect(badOption({ drift: { window: 3 } }).message).toContain('drift.referenceAfter');
  });

  it('validates noise rates with rho0 + rho1 < 1', () => {
    expect(resolveLearnerOptions({ noiseRates: [0.2, 0.3] }).noiseRates).toEqual([0.2, 0.3]);
    expect(badOption({ noiseRates: [0.6, 0.4] }).message).toContain('rho0 + rho1 < 1');
    expect(badOption({ noiseRates: [-0.1, 0.2] }).message).toContain('noiseRates [-0.1,0.2]');
    expect(badOption({ noiseRates: [0.1] }).message).toContain('noiseRates');
  });

  it('requires calibration platt|isotonic for hinge loss and says so', () => {
    expect(badOption({ loss: 'hinge' }).message).toContain("platt or isotonic with loss 'hinge'");
    expect(resolveLearnerOptions({ loss: 'hinge', calibration: 'platt' }).loss).toBe('hinge');
    expect(badOption({ loss: 'hinge', calibration: 'isotonic', noiseCorrection: 'forward', noiseRates: [0.1, 0.1] }).message)
      .toContain('forward correction needs a probability');
  });

  it('requires noiseRates or an estimator for noise correction', () => {
    expect(badOption({ noiseCorrection: 'backward' }).message).toContain('noiseRates');
    expect(resolveLearnerOptions({ noiseCorrection: 'forward', noiseEstimation: 'trusted' }).noiseEstimation).toBe(
      'trusted',
    );
    expect(resolveLearnerOptions({ noiseCorrection: 'backward', noiseRates: [0.1, 0.2] }).noiseCorrection).toBe(
      'backward',
    );
  });

  it('refuses settings that only one optimiser or input kind uses', () => {
    expect(badOption({ l1: 0.1 }).message).toContain("optimizer is 'ftrl'");
    expect(badOption({ optimizer: 'adagrad', schedule: 'invscaling' }).message).toContain("optimizer is 'sgd'");
    expect(badOption({ standardize: true }).message).toContain("features.kind is 'dense'");
    expect(resolveLearnerOptions({ standardize: true, features: { kind: 'dense', dim: 3 } }).standardize).toBe(true);
    expect(badOption({ features: { kind: 'dense', dim: 20 }, maxFeatures: 10 }).message).toContain('features.dim (20)');
  });
});
