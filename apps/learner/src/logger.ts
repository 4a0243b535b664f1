import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * The app's structured logger: pino JSON lines on stderr (never stdout, which carries results),
 * every line tagged with the learner id.
 *
 * @param o - `learnerId`, `level` (default 'info'), `destination` (default stderr, fd 2)
 * @example
 * const log = createLogger({ learnerId: 'learner-0' });
 * log.info({ events: 10 }, 'started');
 */
export function createLogger(o: { learnerId: string; level?: string; destination?: { write(s: string): unknown } }): Logger {
  const dest = o.destination ?? pino.destination({ fd: 2, sync: false });
  return pino({ name: 'logit-stream', level: o.level ?? 'info', base: { learnerId: o.learnerId } }, dest as pino.DestinationStream);
}

export type { Logger };
