import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';

describe('KafkaAdapterError', () => {
  it('is an AppError with its own name, code, cause, retriable flag and CLI exit code', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new KafkaAdapterError('send-failed', 'sending failed', { cause, retriable: true });
    expect(e).toBeInstanceOf(AppError);
    expect(e.name).toBe('KafkaAdapterError');
    expect(e.code).toBe('send-failed');
    expect(e.cause).toBe(cause);
    expect(e.retriable).toBe(true);
    expect(e.exitCode).toBe(1);
    expect(new KafkaAdapterError('bad-setting', 'x').exitCode).toBe(2);
    expect(new KafkaAdapterError('bad-setting', 'x').retriable).toBe(false);
  });
});
