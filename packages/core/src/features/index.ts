export { FeatureSpace, NOT_AN_INDEX, INDEX_OUT_OF_RANGE, MAX_DENSE_DIM } from './feature-space.js';
export type { FeatureSpaceOptions } from './feature-space.js';
