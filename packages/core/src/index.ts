export { DecodedEvent } from './events/types.js';
export type { RejectCode, Rejection, Score } from './events/types.js';
