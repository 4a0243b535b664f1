import { describe, expect, it } from 'vitest';
import { isAuthFailure, reasonOf } from './reason-of.js';

describe('reasonOf', () => {
  it('joins the messages of an error and its causes, each once, and names non-errors', () => {
    const inner = new Error('connect ECONNREFUSED 127.0.0.1:1');
    expect(reasonOf(new Error('Connection failed.', { cause: inner }))).toBe('Connection failed.: connect ECONNREFUSED 127.0.0.1:1');
    expect(reasonOf(new Error('same', { cause: new Error('same') }))).toBe('same');
    expect(reasonOf('plain text')).toBe('plain text');
    expect(reasonOf(new Error(''))).toBe('unknown error');
  });

  it('stops after 6 levels (a cyclic cause chain ends)', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(reasonOf(a)).toBe('a: b');
  });
});

describe('isAuthFailure', () => {
  it("finds platformatic's authentication code in the error or a cause, and nothing else", () => {
    const auth = Object.assign(new Error('SASL'), { code: 'PLT_KFK_AUTHENTICATION' });
    expect(isAuthFailure(auth)).toBe(true);
    expect(isAuthFailure(new Error('wrapped', { cause: auth }))).toBe(true);
    expect(isAuthFailure(Object.assign(new Error('net'), { code: 'PLT_KFK_NETWORK' }))).toBe(false);
    expect(isAuthFailure(null)).toBe(false);
  });
});
