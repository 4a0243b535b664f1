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
 * `--min-semi-space-size=32`: that young generation from the start. Left to itself V8 starts it small and
 * grows it only when many objects survive, which a learner's garbage does not: it stayed at 16 MiB, and the
 * process reached its steady size only after millions of events. Measured (session 8, `kafka-bench --long
 * 10000000 --encoding binary --consumer lean`, one kept topic, alternating): RSS growth from 1 M to 10 M
 * events 6.1–7.6 % against 7.4–11.5 % without it, 149–161 k events/s against 131–147 k, at about 10–15 MiB
 * more RSS (the young generation is committed at once).
 *
 * Elsewhere (a container, a service manager) pass them to node on its command line: Node 20 accepts
 * `--max-semi-space-size` in `NODE_OPTIONS` but not `--min-semi-space-size` (see docs/operating.md).
 *
 * @example
 * spawn(process.execPath, [...LEARNER_NODE_FLAGS, 'apps/learner/dist/cli.js', 'run']);
 */
export const LEARNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--min-semi-space-size=32'];
