export { DecodedEvent } from './types.js';
export type { RejectCode, Rejection, Score } from './types.js';
export { EventDecoder, MAX_ID_LENGTH, MAX_TS, RAW_COUNT_MIN_BYTES } from './event-decoder.js';
export type { EventDecoderOptions } from './event-decoder.js';
export {
  BINARY_EVENT_FLAGS,
  BINARY_EVENT_MAGIC,
  BINARY_EVENT_MAX_STRING_BYTES,
  BINARY_EVENT_VERSION,
  binaryEventSize,
  encodeBinaryEvent,
  encodeBinaryEventInto,
} from './binary-event.js';
export type { BinaryEventInput } from './binary-event.js';
export { BinaryEventDecoder } from './binary-event-decoder.js';
export { JsonEventScanner } from './json-event-scanner.js';
export { eiselLemire } from './eisel-lemire.js';
export type { JsonEventScannerHost } from './json-event-scanner.js';
export type { BinaryEventDecoderHost } from './binary-event-decoder.js';
export { countRawFeatures, RAW_COUNT_UNKNOWN } from './count-raw-features.js';
export { firstInvalidUtf8 } from './utf8-error.js';
export { locateJsonError } from './json-error.js';
export type { JsonErrorLocation } from './json-error.js';
export { encodeScore } from './encode-score.js';
export { encodeScoreInto, scoreBytesBound } from './encode-score-into.js';
export { JS_NUMBER_MAX_BYTES, writeJsNumber } from './write-js-number.js';
export { encodeDlqRecord, DLQ_MAX_KEY_BYTES, DLQ_MAX_VALUE_BYTES, DLQ_UTF8_PREVIEW_CHARS } from './encode-dlq-record.js';
export type { DlqRecordInput } from './encode-dlq-record.js';
export { benchEventDecoder } from './decoder-bench.js';
export { benchEventEncodings } from './encoding-bench.js';
export type { EncodingBenchCase, HeapProbe } from './encoding-bench.js';
export type { DecoderBenchResult } from './decoder-bench.js';
