import { Command, CommanderError } from 'commander';
import { AppError } from './app-error.js';
import { addLearningOptions, replayConfigFromFlags, runConfigFromFlags } from './options.js';
import type { RawFlags } from './options.js';
import { registerEvaluateCommand } from './evaluate/evaluate-command.js';

/** Where the CLI writes and what it reads from its environment (the process's, or a test's). */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the `logit` command line: `replay` and `run` (SPEC §3). Actions run the commands and leave
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

  addLearningOptions(
    program
      .command('replay')
      .description(
        'learn prequentially over a CSV file (no Kafka): progress on stderr, the final metrics as one JSON object on the last line of stdout',
      )
      .option('--input <file>', 'CSV file with a header row and numeric columns (required)')
      .option('--label-column <name>', 'name of the label column (default: label)')
      .option('--shuffle-seed <n>', 'shuffle the rows with this seed before replaying (default: file order)')
      .option('--model-out <file>', 'write the final model as JSON: bias, weights in CSV column order, columns (default: none)')
      .option('--scores-out <file>', 'write one score per row as JSONL (SPEC §2 score fields, label included) (default: none)')
      .option('--progress-every <n>', 'progress line on stderr every n rows, 0 = none (default: 10000)'),
  ).action(async (flags: RawFlags) => {
    const cfg = replayConfigFromFlags(flags);
    const { runReplay } = await import('./replay.js');
    await runReplay(cfg, { stdout: io.stdout, stderr: io.stderr });
    result.code = 0;
  });

  addLearningOptions(
    program
      .command('run')
      .description(
        'start the streaming learner: on Kafka when --brokers or KAFKA_BROKERS is set, otherwise on the embedded synthetic drifting stream (SEA concepts, label noise)',
      )
      .option('--brokers <list>', 'Kafka brokers host:port,… (default: $KAFKA_BROKERS, else the embedded source)')
      .option('--group-id <id>', 'Kafka consumer group (default: logit-stream)')
      .option('--events-topic <name>', 'input topic (default: events)')
      .option('--scores-topic <name>', 'score output topic (default: scores)')
      .option('--metrics-topic <name>', 'metrics report topic (default: metrics)')
      .option('--dlq-topic <name>', 'dead-letter topic for rejected events (default: events-dlq)')
      .option('--snapshots-topic <name>', 'compacted model-snapshot topic; created, snapshots not published yet (default: model-snapshots)')
      .option('--partitions <n>', 'partitions of topics this learner creates when missing (default: the Kafka adapter\'s)')
      .option('--model-out <file>', 'write the final model at shutdown, same JSON as replay (default: none)')
      .option('--scores-out <file>', 'also write every score as JSONL to this file (default: none)')
      .option('--exit-on-idle <seconds>', 'stop cleanly once no event arrived for this long (default: never)')
      .option('--max-events <n>', 'stop cleanly after this many events (default: endless)')
      .option('--metrics-every <n>', 'publish a metrics report every n events (default: 10000)')
      .option('--metrics-interval-ms <ms>', 'and at least every ms milliseconds, also on an idle stream (default: 5000)')
      .option('--hash-bits <bits>', 'hashed feature space of 2^bits slots for named features (default: 18)')
      .option('--hash-seed <seed>', 'MurmurHash3 seed of feature hashing (default: 0)')
      .option('--dense-dim <d>', 'events carry dense feature arrays of length d instead of named features (default: named, hashed)')
      .option('--max-features <n>', 'reject events with more features (default: 1000)')
      .option('--max-event-bytes <n>', 'reject events larger than this (default: 65536)')
      .option('--seed <n>', 'embedded source: seed of the synthetic stream (default: 1)')
      .option('--rate <events/s>', 'embedded source: events per second, 0 = as fast as possible (default: 0)')
      .option('--batch-size <n>', 'embedded source: events per batch (default: 1000)')
      .option('--drift-every <n>', 'embedded source: SEA concept switch every n events, 0 = never (default: 25000)')
      .option('--concept <name>', 'embedded source: sea|hyperplane (default: sea)')
      .option('--http-port <port>', 'serve /metrics (Prometheus), /health and a live page on this port, 0 = any free port (default: off)')
      .option('--http-host <host>', 'address of that server (default: 127.0.0.1)')
      .option('--log-level <level>', 'pino log level on stderr: fatal|error|warn|info|debug|trace|silent (default: info)'),
    // PRODUCE: I (the Kafka engineer) registers `logit produce` here, e.g.
    //   registerProduceCommand(program, io)  (from '@logit-stream/producer')
    // once that package exports it and apps/learner depends on it.
  ).action(async (flags: RawFlags) => {
    const cfg = runConfigFromFlags(flags, io.env);
    const { runService } = await import('./run.js');
    const summary = await runService(cfg, { stdout: io.stdout, stderr: io.stderr, env: io.env, handleSignals: true });
    result.code = summary.exitCode;
  });

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
