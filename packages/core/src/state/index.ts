export { encodeBase64, encodeBase64Into, base64Length, decodeBase64 } from './base64.js';
export { crc32c, crc32cCombine } from './crc32c.js';
export { crc32cWithRuns } from './crc32c-runs.js';
export { canonicalJson } from './canonical-json.js';
export { encodeState, decodeState, stateToJsonValue, stateFromJsonValue, MAX_STATE_DEPTH } from './state-codec.js';
export type { StateToJsonOptions } from './state-codec.js';
export { encodeSnapshot, encodeSnapshotBytes, decodeSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js';
export type { SnapshotPayload, SnapshotOffset } from './snapshot.js';
