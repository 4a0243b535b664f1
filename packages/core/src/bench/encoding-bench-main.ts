/**
 * JSON (fast path on and off) vs binary event decoding ({@link benchEventEncodings}): ns per event, message bytes and heap bytes
 * allocated per event, for the 20-named-feature benchmark event and a 100-value dense event. Prints one
 * JSON object. Run from the repository root (bundles the TypeScript sources with the root's esbuild):
 * `npx esbuild packages/core/src/bench/encoding-bench-main.ts --bundle --platform=node --format=esm --conditions=source --outfile=/tmp/encoding-bench.mjs && node /tmp/encoding-bench.mjs [--quick] [--case named20|dense100]`
 * (one case per process: the JIT then sees one shape of event, as in a learner with one feature space)
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { benchEventEncodings } from '../events/encoding-bench.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const events = process.argv.includes('--quick') ? 50_000 : 500_000;
const at = process.argv.indexOf('--case');
const only = at >= 0 ? process.argv[at + 1] : undefined;
if (only !== undefined && only !== 'named20' && only !== 'dense100') throw new Error(`--case ${only}: use named20 or dense100`);
const results = benchEventEncodings({
  events,
  memory: { gc, heapUsed: () => process.memoryUsage().heapUsed },
  ...(only === undefined ? {} : { cases: [only] }),
});
process.stdout.write(
  `${JSON.stringify({
    bench: 'EventDecoder.decode: JSON (fast path, slow path) vs binary',
    events,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadavg: os.loadavg(), node: process.version },
    results,
  })}\n`,
);
