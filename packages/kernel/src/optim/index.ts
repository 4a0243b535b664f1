export type { LinearOptimizer } from './base.js';
export { Sgd } from './sgd.js';
export type { SgdOptions } from './sgd.js';
export { AdaGrad } from './adagrad.js';
export type { AdaGradOptions } from './adagrad.js';
export { Ftrl } from './ftrl.js';
export type { FtrlOptions } from './ftrl.js';
