import { describe, expect, it } from 'vitest';
import { sigmoid } from '../math/sigmoid.js';
import { IdentityCalibrator } from './identity-calibrator.js';

describe('IdentityCalibrator', () => {
  it('predicts σ(z) before and after learning, and round-trips its (empty) state', () => {
    const cal = new IdentityCalibrator();
    expect(cal.predict(0)).toBe(0.5);
    cal.learnOne(3, 0);
    for (const z of [-800, -3, 0, 2.5, 800]) expect(cal.predict(z)).toBe(sigmoid(z));
    const copy = new IdentityCalibrator();
    copy.fromState(cal.toState());
    expect(copy.predict(1)).toBe(cal.predict(1));
    expect(() => copy.fromState({ kind: 'platt' })).toThrow(/not an identity/);
  });
});
