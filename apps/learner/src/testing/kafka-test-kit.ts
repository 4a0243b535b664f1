/**
 * Shared helpers of the integration tests (`*.int.test.ts`) that drive the built CLI against a real
 * broker: where the CLI is, spawning it, fresh names for a learner's topics, and producing a batch of records to a fresh topic. Only the
 * tests import this module; it is not part of the package's public API (not re-exported by
 * `src/index.ts`, not a tsup entry). Broker-side helpers (`requireBrokers`, `testKafka`, `unique`,
 * `readAll`, `messageCount`, …) stay in `kafka/int-test-support.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { unique } from '../kafka/int-test-support.js';
import { ensureTopics } from '../kafka/topics.js';
import { LEARNER_NODE_FLAGS } from '../node-flags.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The built CLI (`pnpm logit` runs it); LOGIT_INT_CLI may name a copy (e.g. a snapshot of dist/
 * under node_modules/ that a concurrent rebuild cannot change under a long test).
 */
export const CLI_PATH = process.env.LOGIT_INT_CLI ?? resolve(here, '../../dist/cli.js');

/**
 * Throws a clear error when the CLI has not been built.
 *
 * @example
 * beforeAll(() => requireBuiltCli());
 */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: build the learner first (npx turbo run build --filter=@logit-stream/learner...)`);
  }
}

/** How a spawned CLI ended: exit code or signal, its whole output, and how long it ran. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
}

/** A spawned `node dist/cli.js …` and how it ended. */
export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process exits; rejects if it could not start or outlived its timeout (then it is SIGKILLed). */
  readonly done: Promise<CliResult>;
  /** stderr so far (pino JSON lines). */
  stderr(): string;
}

/** Where the spawned CLI finds its broker: `brokers` sets KAFKA_BROKERS; `env` is added to the environment. */
export interface CliEnv {
  /** KAFKA_BROKERS of the child; omitted: the child inherits none (it is removed from the environment). */
  readonly brokers?: string;
  /** Extra environment variables (applied after `brokers`). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Spawns the built CLI; it is SIGKILLed after `timeoutMs` and `done` rejects with the tail of stderr.
 *
 * @param args CLI arguments (`['run', '--brokers', …]`).
 * @param where KAFKA_BROKERS and extra environment of the child.
 * @param timeoutMs how long the child may run.
 * @example
 * const run = spawnCli(['run', ...flags], { brokers }, 60_000);
 * const { code, stderr } = await run.done;
 */
export function spawnCli(args: readonly string[], where: CliEnv, timeoutMs: number): CliRun {
  const t0 = Date.now();
  const childEnv: Record<string, string | undefined> = { ...process.env };
  delete childEnv.KAFKA_BROKERS;
  if (where.brokers !== undefined) childEnv.KAFKA_BROKERS = where.brokers;
  Object.assign(childEnv, where.env);
  const child = spawn(process.execPath, [...LEARNER_NODE_FLAGS, CLI_PATH, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<CliResult>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`logit ${args.join(' ')} did not exit within ${timeoutMs} ms (killed); stderr:\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      ok({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
  return { child, done, stderr: () => stderr };
}

/**
 * Runs the built CLI to its exit (see {@link spawnCli}).
 *
 * @example
 * const { code, stdout } = await runCli(['run', ...flags], { brokers }, 60_000);
 */
export function runCli(args: readonly string[], where: CliEnv, timeoutMs: number): Promise<CliResult> {
  return spawnCli(args, where, timeoutMs).done;
}

/**
 * Creates `topic` if it is missing (broker defaults) and sends `messages` to it in one idempotent,
 * acks=all request.
 *
 * @example
 * await produceToNewTopic(kafka, unique('events'), [{ key: 'a', value: '{"id":"a",…}' }]);
 */
export async function produceToNewTopic(kafka: Kafka, topic: string, messages: { key: string; value: string }[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, { topics: [topic] });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

/** Fresh names of the five topics of one learner run (see {@link uniqueLearnerTopics}). */
export type LearnerTestTopics = {
  readonly events: string;
  readonly scores: string;
  readonly dlq: string;
  readonly metrics: string;
  readonly snapshots: string;
};

/**
 * Topic names no other test uses for one learner run: `<prefix>-events`, `-scores`, `-dlq`,
 * `-metrics` and `-snap`, each made unique (see `unique` in kafka/int-test-support.ts).
 *
 * @example
 * const t = uniqueLearnerTopics('sasl-256'); // t.events like 'sasl-256-events-m4x9k2-1a2b3c4d'
 */
export function uniqueLearnerTopics(prefix: string): LearnerTestTopics {
  return { events: unique(`${prefix}-events`), scores: unique(`${prefix}-scores`), dlq: unique(`${prefix}-dlq`), metrics: unique(`${prefix}-metrics`), snapshots: unique(`${prefix}-snap`) };
}
