#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerProduceCommand } from './produce-command.js';

// Standalone entry: `node apps/producer/dist/cli.js produce --topic events --count 2000` (the same
// command as `pnpm logit produce`).
const result = { code: 0 };
const program = new Command('logit-producer').exitOverride();
registerProduceCommand(program, { stdout: process.stdout, stderr: process.stderr, env: process.env }, { result });
program.parseAsync(process.argv.slice(2), { from: 'user' }).then(
  () => {
    process.exitCode = result.code;
  },
  (e: unknown) => {
    process.exitCode = e instanceof CommanderError ? (e.exitCode === 0 ? 0 : 2) : 1;
    if (!(e instanceof CommanderError)) process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  },
);
