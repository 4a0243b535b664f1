#!/usr/bin/env node
import { main } from './program.js';

// The `logit` command: `pnpm logit replay …`, `pnpm logit run …` (see program.ts).
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
