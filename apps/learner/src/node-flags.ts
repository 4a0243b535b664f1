/**
 * The Node/V8 flags the learner is started with (`pnpm logit …` passes them; so do the benches that
 * spawn it as users do). They cannot be set from inside the process: V8 sizes its heap at start-up.
 *
 * `--max-semi-space-size=32` (MiB; Node 20's default is 16): a larger young generation. Every consumed
 * message leaves short-lived objects behind (the Kafka client's per-record objects, ids, score strings),
 * and with the default the scavenger runs several hundred times a second at 100 000 events/s. Measured on
 * the Kafka path (`kafka-bench --encoding binary`, 500 k events, 3 alternating pairs of runs): 9.2–10.5 µs
 * of learner CPU per event against 11.5–12.8 without the flag (about 18% less), no higher peak RSS;
 * 64 MiB was no better and added about 60 MiB of RSS.
 *
 * Not in the list: `--min-semi-space-size=32` (that young generation from the start). With the lean
 * consumer it helped (session 8, `kafka-bench --long 10000000 --encoding binary`, one kept topic, alternating:
 * RSS growth from 1 M to 10 M events 6.1–7.6 % against 7.4–11.5 %, 149–161 k events/s against 131–147 k,
 * about 10–15 MiB more RSS), but with the kafkajs consumer, the default, V8's old space doubled (48–54 MiB
 * against 25–40) and RSS rose by about 50 MiB (240–253 against 183–213 MiB) at 85–88 k events/s against
 * 94–120 k. docs/operating.md gives it as an option for the lean consumer.
 *
 * Elsewhere (a container, a service manager) pass them to node directly or through
 * `NODE_OPTIONS="--max-semi-space-size=32"` (see docs/operating.md).
 *
 * @example
 * spawn(process.execPath, [...LEARNER_NODE_FLAGS, 'apps/learner/dist/cli.js', 'run']);
 */
export const LEARNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
