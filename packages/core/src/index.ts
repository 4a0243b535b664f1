/**
 * @packageDocumentation
 * Events, codecs, validation, model state and the prequential learner of logit-stream.
 */
export { CoreError } from './errors/index.js';
export { DecodedEvent } from './events/types.js';
export type { RejectCode, Rejection, Score } from './events/types.js';
