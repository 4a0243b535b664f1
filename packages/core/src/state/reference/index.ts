/**
 * The snapshot v1 codec exactly as it was before the byte-level writer (commit 59b679c), kept
 * verbatim (only import paths changed) as the reference the tests hold the fast implementation to:
 * same envelope bytes for every state, same refusals with the same messages. Not exported from the
 * package; tests only.
 */
export { encodeSnapshot as referenceEncodeSnapshot, decodeSnapshot as referenceDecodeSnapshot } from './snapshot.js';
export { encodeBase64 as referenceEncodeBase64, decodeBase64 as referenceDecodeBase64 } from './base64.js';
export { canonicalJson as referenceCanonicalJson } from './canonical-json.js';
export { stateToJsonValue as referenceStateToJsonValue, stateFromJsonValue as referenceStateFromJsonValue } from './state-codec.js';
