export type { Loss } from './base.js';
export { LogLoss } from './log-loss.js';
export { HingeLoss } from './hinge-loss.js';
export { smoothLabel } from './smooth-label.js';
