import { pino } from 'pino';

/**
 * The part of a pino logger the Kafka adapters use: `(fields, message)` at four levels. A pino
 * `Logger` satisfies it; tests pass a recorder.
 */
export interface StructuredLogger {
  error(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

/**
 * The adapters' default logger: pino, JSON lines on stderr (stdout stays free for results), at `level`.
 *
 * @param level pino level name (default 'warn')
 * @example
 * const log = defaultKafkaLogger('warn');
 * log.warn({ topic: 'events' }, 'partition has no leader yet');
 */
export function defaultKafkaLogger(level: 'error' | 'warn' | 'info' | 'debug' | 'silent' = 'warn'): StructuredLogger {
  return pino({ name: 'kafka', level }, pino.destination(2));
}
