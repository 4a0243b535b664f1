import { Command, CommanderError } from 'commander';
import { AppError } from './app-error.js';
import { addSettingOptions } from './config/add-setting-options.js';
import { registerConfigCommand } from './config/config-command.js';
import { replayConfigFromFlags, runConfigFromFlags } from './options.js';
import type { RawFlags } from './options.js';
import { registerEvaluateCommand } from './evaluate/evaluate-command.js';
import { createKafkaClient, resolveKafkaConfig } from './kafka/index.js';
import { registerProduceCommand } from '@logit-stream/producer';

/** Where the CLI writes and what it reads from its environment (the process's, or a test's). */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the `logit` command line: `replay` and `run` (SPEC §3), `evaluate` and `config`. The options
 * of `replay` and `run` come from the settings schema (`config/settings.ts`). Actions run the commands and leave
 * their exit code in `result.code`.
 */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('logit')
    .description('logit-stream: online logistic regression on event streams (replay a CSV, or run the streaming learner)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for every option and its default)');

  addSettingOptions(
    program
      .command('replay')
      .description(
        'learn prequentially over a CSV file (no Kafka): progress on stderr, the final metrics as one JSON object on the last line of stdout',
      ),
    'replay',
  ).action(async (flags: RawFlags) => {
    const cfg = replayConfigFromFlags(flags, io.env);
    const { runReplay } = await import('./replay.js');
    await runReplay(cfg, { stdout: io.stdout, stderr: io.stderr });
    result.code = 0;
  });

  addSettingOptions(
    program
      .command('run')
      .description(
        'start the streaming learner: on Kafka when --brokers or KAFKA_BROKERS is set, otherwise on the embedded synthetic drifting stream (SEA concepts, label noise)',
      ),
    'run',
  ).action(async (flags: RawFlags) => {
    const cfg = runConfigFromFlags(flags, io.env);
    const { runService } = await import('./run.js');
    const summary = await runService(cfg, { stdout: io.stdout, stderr: io.stderr, env: io.env, handleSignals: true });
    result.code = summary.exitCode;
  });

  // PRODUCE (apps/producer): `logit produce`, with the learner's Kafka settings (SASL/TLS from the environment).
  registerProduceCommand(program, io, {
    result,
    createKafka: (brokers) => createKafkaClient(resolveKafkaConfig({ brokers }, io.env)),
  });

  // CONFIG: `logit config --print` (effective settings of `run` or `replay` and where each came from,
  // secrets masked) and `logit config --reference` (docs/configuration.md).
  registerConfigCommand(program, io, result);

  // EVALUATE (E, apps/learner/src/evaluate/): `logit evaluate`, the experiments behind docs/evaluation.md.
  registerEvaluateCommand(program, io, result);

  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code: 0 on
 * success, 2 on bad usage (the message names the flag, the value and what is allowed), 1 on failure.
 *
 * @example
 * const code = await main(['replay', '--input', 'data.csv'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are exits with code 0; every other commander error is bad usage.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof AppError) {
      io.stderr.write(`error: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
}
