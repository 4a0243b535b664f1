export { SparseVector } from './sparse-vector.js';
export { FeatureHasher } from './feature-hasher.js';
