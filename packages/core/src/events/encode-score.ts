import type { Score } from './types.js';

/**
 * Writes a SPEC §2 score record as JSON:
 * `{"id","ts","z","p","pCalibrated","modelVersion","label"}` in that order.
 * Numbers are JavaScript's shortest round-trip decimal form, so `JSON.parse` gives back the identical
 * double (−0 is written `-0`, which JSON allows and parses back to −0); a non-finite value (a diverged
 * score, which JSON cannot hold) is written as `null`. `ts` and `label` are `null` when absent. The id
 * is escaped with `JSON.stringify` (quotes, backslashes, control characters, lone surrogates).
 *
 * With `learnerId` (scale-out: which learner of a group produced the score) a `"learnerId"` member
 * follows `label`; SPEC §2's fields and their order are unchanged.
 *
 * @param s - the score
 * @param learnerId - the producing learner's id, or omitted
 * @returns one line of JSON (no trailing newline)
 * @example
 * encodeScore({ id: 'e-17', ts: 1732300000000, z: 0.5, p: 0.6224593312018546, pCalibrated: 0.6, modelVersion: 3, label: 1 })
 * // '{"id":"e-17","ts":1732300000000,"z":0.5,"p":0.6224593312018546,"pCalibrated":0.6,"modelVersion":3,"label":1}'
 */
export function encodeScore(s: Score, learnerId?: string): string {
  return (
    '{"id":' +
    JSON.stringify(s.id) +
    ',"ts":' +
    num(s.ts) +
    ',"z":' +
    num(s.z) +
    ',"p":' +
    num(s.p) +
    ',"pCalibrated":' +
    num(s.pCalibrated) +
    ',"modelVersion":' +
    num(s.modelVersion) +
    ',"label":' +
    num(s.label) +
    (learnerId === undefined ? '}' : learnerIdMember(learnerId))
  );
}

function num(x: number | null): string {
  if (x === null || x !== x || x === Infinity || x === -Infinity) return 'null';
  if (x === 0 && 1 / x < 0) return '-0';
  return '' + x;
}

let lastId: string | null = null;
let lastMember = '';

/** `,"learnerId":"…"}`, cached for the last id (a learner encodes all its scores with one id). */
function learnerIdMember(id: string): string {
  if (id !== lastId) {
    lastId = id;
    lastMember = `,"learnerId":${JSON.stringify(id)}}`;
  }
  return lastMember;
}
