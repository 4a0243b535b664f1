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
 * Elsewhere (a container, a service manager) pass them to node directly or through
 * `NODE_OPTIONS="--max-semi-space-size=32"` (see docs/operating.md).
 *
 * @example
 * spawn(process.execPath, [...LEARNER_NODE_FLAGS, 'apps/learner/dist/cli.js', 'run']);
 */
export const LEARNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
