import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import { EVENT_ENCODINGS } from './event-value.js';
import { produce, type ProduceOptions } from './produce.js';
import { ProducerError } from './producer-error.js';
import type { ProgressStream } from './progress.js';
import type { SyntheticEventsOptions } from './synthetic-events.js';

/** Where the command writes and what it reads (the process's, or a test's). */
export interface ProduceCommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Optional hooks of {@link registerProduceCommand}. */
export interface ProduceCommandHooks {
  /** Builds the kafkajs client (e.g. with SASL/TLS from the learner's Kafka config); default: a plain client on the brokers. */
  readonly createKafka?: (brokers: string | undefined) => Kafka;
  /** Receives the exit code (0, 1, or 2 for bad usage) instead of errors being thrown. */
  readonly result?: { code: number };
  /** Stop on SIGINT/SIGTERM and still print the summary (default true). */
  readonly handleSignals?: boolean;
}

type Flags = Record<string, string | boolean | undefined>;

function num(flags: Flags, name: string, flag: string, allowed: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v)) throw new ProducerError('bad-option', `${flag} ${JSON.stringify(raw)} is not valid: ${allowed}`);
  return v;
}

function int(flags: Flags, name: string, flag: string, min: number): number | undefined {
  const v = num(flags, name, flag, `use a whole number >= ${min}`);
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new ProducerError('bad-option', `${flag} ${JSON.stringify(flags[name])} is not valid: use a whole number >= ${min}`);
  return v;
}

function pair(flags: Flags, name: string, flag: string): [number, number] | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const parts = String(raw).split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v) || v < 0 || v >= 1) || !(parts[0] + parts[1] < 1)) {
    throw new ProducerError('bad-option', `${flag} ${JSON.stringify(raw)} is not valid: use r0,r1 with 0 <= r < 1 and r0 + r1 < 1, e.g. 0.1,0.2`);
  }
  return [parts[0], parts[1]];
}

function choice<T extends string>(flags: Flags, name: string, flag: string, allowed: readonly T[]): T | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(raw)) throw new ProducerError('bad-option', `${flag} ${JSON.stringify(raw)} is not valid: use one of ${allowed.join(', ')}`);
  return raw as T;
}

/**
 * Turns the command's flags into {@link produce} options (validating each, errors naming the flag).
 *
 * @param flags commander's parsed options of `produce`
 * @param env the environment (KAFKA_BROKERS)
 * @example
 * produceOptionsFromFlags({ topic: 'events', count: '2000', rate: '500' }, process.env).count; // 2000
 */
export function produceOptionsFromFlags(flags: Flags, env: Readonly<Record<string, string | undefined>>): ProduceOptions {
  const input = typeof flags.input === 'string' ? flags.input : null;
  const synthetic: SyntheticEventsOptions = {};
  const set = <K extends keyof SyntheticEventsOptions>(k: K, v: SyntheticEventsOptions[K] | undefined): void => {
    if (v !== undefined) (synthetic as Record<string, unknown>)[k] = v;
  };
  set('generator', choice(flags, 'generator', '--generator', ['sea', 'hyperplane'] as const));
  set('seed', int(flags, 'seed', '--seed', 0));
  set('driftAt', int(flags, 'driftAt', '--drift-at', 0));
  set('driftWidth', int(flags, 'driftWidth', '--drift-width', 0));
  set('noiseRates', pair(flags, 'noiseRates', '--noise-rates'));
  const trusted = num(flags, 'trustedFraction', '--trusted-fraction', 'use a number in [0, 1]');
  if (trusted !== undefined && (trusted < 0 || trusted > 1)) throw new ProducerError('bad-option', `--trusted-fraction ${JSON.stringify(flags.trustedFraction)} is not valid: use a number in [0, 1]`);
  set('trustedFraction', trusted);
  const unlabelled = num(flags, 'unlabelledFraction', '--unlabelled-fraction', 'use a number in [0, 1]');
  if (unlabelled !== undefined && (unlabelled < 0 || unlabelled > 1)) throw new ProducerError('bad-option', `--unlabelled-fraction ${JSON.stringify(flags.unlabelledFraction)} is not valid: use a number in [0, 1]`);
  set('unlabelledFraction', unlabelled);
  set('features', choice(flags, 'features', '--features', ['dense', 'named'] as const));
  set('dim', int(flags, 'dim', '--dim', 1));
  set('magnitude', num(flags, 'magnitude', '--magnitude', 'use a number in [0, 1]'));
  if (typeof flags.idPrefix === 'string') set('idPrefix', flags.idPrefix);
  if (input !== null && Object.keys(synthetic).length > 0) {
    throw new ProducerError('bad-option', `--input reads a CSV file; synthetic-stream flags (${Object.keys(synthetic).join(', ')}) do not apply to it: drop one or the other`);
  }
  const rate = num(flags, 'rate', '--rate', 'use a number of events per second >= 0 (0 = as fast as possible)');
  if (rate !== undefined && rate < 0) throw new ProducerError('bad-option', `--rate ${JSON.stringify(flags.rate)} is not valid: use a number of events per second >= 0 (0 = as fast as possible)`);
  const o: Record<string, unknown> = {
    topic: typeof flags.topic === 'string' ? flags.topic : 'events',
    input,
    synthetic,
    env,
    count: int(flags, 'count', '--count', 0) ?? null,
    rate: rate ?? 0,
    partitions: int(flags, 'partitions', '--partitions', 1) ?? 1,
    batchSize: int(flags, 'batchSize', '--batch-size', 1) ?? 500,
    encoding: choice(flags, 'encoding', '--encoding', EVENT_ENCODINGS) ?? 'json',
  };
  if (typeof flags.brokers === 'string') o.brokers = flags.brokers;
  if (typeof flags.labelColumn === 'string') o.labelColumn = flags.labelColumn;
  return o as ProduceOptions;
}

/**
 * Registers `produce` on a commander program (`pnpm logit produce`): feeds a topic from a CSV file or
 * the synthetic stream at a rate, with progress on stderr (a bar on a terminal) and the summary as one
 * JSON object on stdout.
 *
 * @param program the `logit` program
 * @param io stdout/stderr/env (default the process's)
 * @param hooks client factory, exit-code receiver, signal handling
 * @returns the `produce` command
 * @example
 * const program = new Command('logit');
 * registerProduceCommand(program, { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * await program.parseAsync(['produce', '--topic', 'events', '--count', '2000'], { from: 'user' });
 */
export function registerProduceCommand(
  program: Command,
  io: ProduceCommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
  hooks: ProduceCommandHooks = {},
): Command {
  return program
    .command('produce')
    .description('feed a Kafka topic with SPEC §2 events from a CSV file or a synthetic drifting stream with label noise, at a given rate; progress on stderr, a summary JSON on stdout')
    .option('--brokers <list>', 'Kafka brokers host:port,… (default: $KAFKA_BROKERS)')
    .option('--topic <name>', 'target topic, created when missing (default: events)')
    .option('--input <file>', 'CSV file with a header and a label column: each row → {"id":"row-N","features":[…],"label":…} (default: the synthetic stream)')
    .option('--label-column <name>', 'CSV label column (default: label)')
    .option('--count <n>', 'events to send (default: every CSV row; the synthetic stream is endless until Ctrl-C)')
    .option('--rate <events/s>', 'events per second, 0 = as fast as possible (default: 0)')
    .option('--partitions <n>', 'partitions of the topic if this command creates it (default: 1); events are keyed by id')
    .option('--batch-size <n>', 'events per produce request (default: 500)')
    .option(
      '--encoding <format>',
      'message value format: json (SPEC §2 text) or binary (the compact binary event encoding of docs/event-encoding.md, faster for the learner to decode; it reads both, per message) (default: json)',
    )
    .option('--generator <name>', 'synthetic stream: sea|hyperplane (default: sea)')
    .option('--seed <n>', 'synthetic stream: seed (default: 1)')
    .option('--drift-at <n>', 'synthetic stream: event index of the concept drift (SEA concept 1 → 3; a new hyperplane) (default: none)')
    .option('--drift-width <n>', 'synthetic stream: width of a gradual drift in events, 0 = abrupt (default: 0)')
    .option('--noise-rates <r0,r1>', 'synthetic stream: label noise, r0 = P(observed 1 | true 0), r1 = P(observed 0 | true 1) (default: 0,0)')
    .option('--trusted-fraction <f>', 'synthetic stream: fraction of events with trusted: true, the clean label and the noisy sourceLabel (default: 0)')
    .option('--unlabelled-fraction <f>', 'synthetic stream: fraction of events with label null (default: 0)')
    .option('--features <format>', 'synthetic stream: dense|named (default: dense)')
    .option('--dim <d>', 'synthetic stream: hyperplane features (default: 10)')
    .option('--magnitude <t>', 'synthetic stream: hyperplane rotation per event (default: 0.001)')
    .option('--id-prefix <p>', 'synthetic stream: event id prefix (default: e-)')
    .action(async (flags: Flags) => {
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      const handle = hooks.handleSignals ?? true;
      if (handle) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }
      try {
        const base = produceOptionsFromFlags(flags, io.env);
        const options: ProduceOptions = {
          ...base,
          ...(hooks.createKafka === undefined ? {} : { kafka: hooks.createKafka(base.brokers ?? io.env.KAFKA_BROKERS) }),
          progress: io.stderr,
          signal: abort.signal,
        };
        const summary = await produce(options);
        io.stdout.write(`${JSON.stringify(summary)}\n`);
        if (hooks.result !== undefined) hooks.result.code = 0;
      } catch (e) {
        if (hooks.result === undefined) throw e;
        io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        // ProducerError, and any error that says its own exit code (the learner's AppError: 2 = bad usage).
        const code = e instanceof ProducerError ? e.exitCode : (e as { exitCode?: unknown } | null)?.exitCode;
        hooks.result.code = typeof code === 'number' ? code : 1;
      } finally {
        if (handle) {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }
    });
}
