import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafka-log-creator.js';
import type { StructuredLogger } from './structured-logger.js';

describe('kafkaLogCreator', () => {
  it('maps kafkajs levels to logger methods and keeps the fields', () => {
    const lines: [string, object, string | undefined][] = [];
    const rec = (level: string) => (fields: object, message?: string) => lines.push([level, fields, message]);
    const logger: StructuredLogger = { error: rec('error'), warn: rec('warn'), info: rec('info'), debug: rec('debug') };
    const log = kafkaLogCreator(logger)(logLevel.WARN);
    const entry = (level: logLevel, message: string) => ({ namespace: 'Consumer', level, label: 'X', log: { timestamp: 't', message, groupId: 'g' } });
    log(entry(logLevel.ERROR, 'boom'));
    log(entry(logLevel.WARN, 'careful'));
    log(entry(logLevel.INFO, 'fyi'));
    log(entry(logLevel.DEBUG, 'detail'));
    expect(lines.map((l) => l[0])).toEqual(['error', 'warn', 'info', 'debug']);
    expect(lines[0][1]).toEqual({ kafkajs: 'Consumer', groupId: 'g' });
    expect(lines[1][2]).toBe('careful');
  });
});
