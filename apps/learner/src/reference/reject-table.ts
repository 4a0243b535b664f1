import { OnlineLearner } from '@logit-stream/core';
import type { RejectCode } from '@logit-stream/core';

/** One documented rejection: an input that produces it and how the table shows that input. */
interface RejectExample {
  readonly input: Uint8Array;
  readonly shown: string;
  /** Decode against a dense model of this many columns (default: the hashed 2^18 space). */
  readonly denseDim?: number;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (s: string): RejectExample => ({ input: utf8(s), shown: `\`${s}\`` });
const tooLarge = utf8(`{"id":"e-1","features":{"a":1},"pad":"${'x'.repeat(70_000)}"}`);
const manyFeatures = `{"id":"e-9","features":{${Array.from({ length: 1001 }, (_, i) => `"f${i}":1`).join(',')}}}`;

/** An example input for every reject code (the `Record` type makes a new code without an example a type error). */
export const REJECT_EXAMPLES: Readonly<Record<RejectCode, RejectExample>> = {
  empty: { input: new Uint8Array(0), shown: 'an empty message (0 bytes, or a tombstone)' },
  'too-large': { input: tooLarge, shown: `a message of ${tooLarge.length} bytes (limit \`--max-event-bytes\`, 65536)` },
  'bad-utf8': { input: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), shown: 'bytes `7b 22 ff 22 7d`' },
  'bad-json': json('{"id": "e-1", "features": {'),
  'not-an-object': json('[1, 2, 3]'),
  'forbidden-key': json('{"id":"e-1","features":{"__proto__":1}}'),
  'bad-id': json('{"id":17,"features":{"a":1}}'),
  'bad-ts': json('{"id":"e-1","ts":"yesterday","features":{"a":1}}'),
  'bad-features': json('{"id":"e-1","features":"a=1"}'),
  'non-finite': json('{"id":"e-1","features":{"a":1e400}}'),
  'too-many-features': { input: utf8(manyFeatures), shown: 'an event with 1001 named features (limit `--max-features`, 1000)' },
  'bad-label': json('{"id":"e-1","features":{"a":1},"label":true}'),
  'label-range': json('{"id":"e-17","features":{"a":1},"label":1.7}'),
  'bad-trusted': json('{"id":"e-1","features":{"a":1},"label":1,"trusted":"yes"}'),
  'bad-source-label': json('{"id":"e-1","features":{"a":1},"label":1,"sourceLabel":2}'),
  'dimension-mismatch': { ...json('{"id":"e-1","features":[0.5,1]}'), denseDim: 3 },
  'bad-binary': { input: new Uint8Array([0xb1, 0x02, 0x00, 0x00]), shown: 'bytes `b1 02 00 00` (a binary event of version 2, see event-encoding.md)' },
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/**
 * The reject table of docs/event-format.md: every reject code with an example input and the reason
 * the decoder really writes for it (decoded here, with the learner's default limits; the dense
 * example against a 3-column model). A test keeps the document in step with the decoder.
 *
 * @example
 * rejectTableMarkdown().split('\n')[0] // '| code | example message | reason (as written to the DLQ record) |'
 */
export function rejectTableMarkdown(): string {
  const hashed = new OnlineLearner({});
  const dense = new OnlineLearner({ features: { kind: 'dense', dim: 3 } });
  const lines = ['| code | example message | reason (as written to the DLQ record) |', '|---|---|---|'];
  for (const [code, ex] of Object.entries(REJECT_EXAMPLES)) {
    const l = ex.denseDim === undefined ? hashed : dense;
    const r = l.decoder.decode(ex.input, l.newEvent());
    if (r === null) throw new Error(`the example of '${code}' was accepted; fix REJECT_EXAMPLES`);
    if (r.code !== code) throw new Error(`the example of '${code}' was rejected as '${r.code}' (${r.reason}); fix REJECT_EXAMPLES`);
    lines.push(`| \`${code}\` | ${cell(ex.shown)} | ${cell(r.reason)} |`);
  }
  return `${lines.join('\n')}\n`;
}
