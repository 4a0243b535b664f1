export { SparseVector } from './sparse-vector.js';
