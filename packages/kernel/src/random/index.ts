export { Rng } from './rng.js';
export { shuffleInPlace } from './shuffle.js';
export type { MutableArrayLike } from './shuffle.js';
