import { describe, expect, it } from 'vitest';
import { isForbiddenKeyBytes } from './forbidden-key-bytes.js';

const enc = new TextEncoder();

function at(text: string): boolean {
  const b = enc.encode(`"${text}"`);
  return isForbiddenKeyBytes(b, 1, b.length - 2);
}

describe('isForbiddenKeyBytes', () => {
  it('is true exactly for __proto__, constructor and prototype', () => {
    for (const k of ['__proto__', 'constructor', 'prototype']) expect(at(k), k).toBe(true);
  });

  it('is false for prefixes, extensions, other cases and other 9- and 11-byte keys', () => {
    for (const k of ['__proto__x', '__proto_', 'constructors', 'Constructor', 'prototypE', 'abcdefghi', 'abcdefghijk', '', 'proto', '__PROTO__']) {
      expect(at(k), k).toBe(false);
    }
  });
});
