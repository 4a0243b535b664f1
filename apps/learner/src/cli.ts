#!/usr/bin/env node
import { main } from './program.js';

/**
 * After the command has finished (outputs flushed, clients closed), a Kafka client socket that a
 * broker restart left half-open can still hold the event loop: exit anyway after this grace period.
 * The timer is unref'd, so a process with nothing left to do exits at once as usual.
 */
const EXIT_GRACE_MS = 10_000;

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

// The `logit` command: `pnpm logit replay …`, `pnpm logit run …` (see program.ts).
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => finish(code),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    finish(1);
  },
);
