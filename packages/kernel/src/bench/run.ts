// Kernel benchmark entry point: `pnpm bench` (after build) runs `node packages/kernel/dist/bench/run.js`.
// Prints ONE JSON object on stdout: machine, per-(case, optimiser) learn/predict throughput, ratios to the
// hand-written baseline loop. `--quick` for a smoke run with small counts.
import { runBench } from './throughput.js';

const quick = process.argv.includes('--quick');
process.stdout.write(`${JSON.stringify(runBench({ quick }), null, 2)}\n`);
