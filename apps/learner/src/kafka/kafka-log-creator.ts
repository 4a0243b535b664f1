import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { StructuredLogger } from './structured-logger.js';

/**
 * Routes kafkajs's own log lines into a structured (pino-compatible) logger: kafkajs's level picks
 * the method, its namespace becomes `kafkajs`, its message the message, and its other fields
 * (broker, groupId, error, retry counts...) stay fields. kafkajs filters by its own `logLevel`
 * before calling this, so set that in the Kafka client (default warn).
 *
 * @param logger where the lines go
 * @example
 * new Kafka({ brokers, logLevel: logLevel.WARN, logCreator: kafkaLogCreator(pino()) });
 */
export function kafkaLogCreator(logger: StructuredLogger): logCreator {
  return () =>
    (entry: LogEntry): void => {
      const { message, timestamp: _ts, ...fields } = entry.log;
      const record = { kafkajs: entry.namespace, ...fields };
      const text = typeof message === 'string' ? message : String(message);
      switch (entry.level) {
        case logLevel.ERROR:
          logger.error(record, text);
          break;
        case logLevel.WARN:
          logger.warn(record, text);
          break;
        case logLevel.INFO:
          logger.info(record, text);
          break;
        default:
          logger.debug(record, text);
      }
    };
}
