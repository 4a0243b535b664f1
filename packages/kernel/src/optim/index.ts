export type { LinearOptimizer } from './base.js';
export { Sgd } from './sgd.js';
export type { SgdOptions } from './sgd.js';
