export { DecodedEvent } from './types.js';
export type { RejectCode, Rejection, Score } from './types.js';
