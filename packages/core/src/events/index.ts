export { DecodedEvent } from './types.js';
export type { RejectCode, Rejection, Score } from './types.js';
export { EventDecoder, MAX_ID_LENGTH, MAX_TS } from './event-decoder.js';
export type { EventDecoderOptions } from './event-decoder.js';
export { firstInvalidUtf8 } from './utf8-error.js';
export { locateJsonError } from './json-error.js';
export type { JsonErrorLocation } from './json-error.js';
