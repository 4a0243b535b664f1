export { Welford } from './welford.js';
export { StandardScaler } from './standard-scaler.js';
export type { StandardScalerOptions } from './standard-scaler.js';
