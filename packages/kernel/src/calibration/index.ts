export { IdentityCalibrator } from './identity-calibrator.js';
export { PlattCalibrator, type PlattCalibratorOptions } from './platt-calibrator.js';
export { IsotonicCalibrator, type IsotonicCalibratorOptions } from './isotonic-calibrator.js';
export { poolAdjacentViolators } from './pool-adjacent-violators.js';
