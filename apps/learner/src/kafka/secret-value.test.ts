import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretValue } from './secret-value.js';

describe('SecretValue', () => {
  it('reveals the value only through reveal()', () => {
    const s = new SecretValue('hunter2');
    expect(s.reveal()).toBe('hunter2');
    expect(JSON.stringify({ s })).toBe('{"s":"***"}');
    expect(String(s)).toBe('***');
    expect(inspect({ s })).not.toContain('hunter2');
    expect(Object.keys(s)).toEqual([]);
  });
});
