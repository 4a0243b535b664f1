import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error.js';

describe('locateJsonError', () => {
  it('returns null for valid JSON, including deep nesting', () => {
    for (const t of ['{}', ' [1, -0.5e+3, "a\\u00e9\\n", true, false, null, {"a": []}] ', '0', '"x"', '['.repeat(5000) + ']'.repeat(5000)]) {
      expect(locateJsonError(t), t.slice(0, 30)).toBeNull();
    }
  });

  it('names the position, what was expected and what was found', () => {
    expect(locateJsonError('{"a":}')).toEqual({ position: 5, expected: 'a value', found: '"}"' });
    expect(locateJsonError('{"a":1')).toEqual({ position: 6, expected: '"," or "}"', found: 'end of input' });
    expect(locateJsonError('{"a":1,}')).toEqual({ position: 7, expected: 'a double-quoted property name', found: '"}"' });
    expect(locateJsonError("{'a':1}")).toEqual({ position: 1, expected: 'a double-quoted property name', found: '"\'"' });
    expect(locateJsonError('{"a" 1}')).toEqual({ position: 5, expected: '":" after the property name', found: '"1"' });
    expect(locateJsonError('[1 2]')).toEqual({ position: 3, expected: '"," or "]"', found: '"2"' });
    expect(locateJsonError('{} x')).toEqual({ position: 3, expected: 'the end of the text after the JSON value', found: '"x"' });
    expect(locateJsonError('')).toEqual({ position: 0, expected: 'a value', found: 'end of input' });
    expect(locateJsonError('{"a":01}')?.position).toBe(6);
    expect(locateJsonError('{"a":1.}')?.expected).toBe('a digit after the decimal point');
    expect(locateJsonError('{"a":1e}')?.expected).toBe('a digit in the exponent');
    expect(locateJsonError('{"a":-}')?.expected).toBe('a digit');
    expect(locateJsonError('{"a":"\\x"}')?.position).toBe(7);
    expect(locateJsonError('{"a":"\\u12g4"}')?.position).toBe(10);
    expect(locateJsonError('{"a":"x\ny"}')?.position).toBe(7);
    expect(locateJsonError('{"a":"abc')?.expected).toBe('a closing quote \'"\'');
    expect(locateJsonError('{"a":tru}')?.position).toBe(5);
    expect(locateJsonError('NaN')?.expected).toBe('a value');
  });

  it('agrees with JSON.parse on validity for 5000 mutated documents (reference implementation)', () => {
    const base = '{"id":"e-1","ts":1732300000000,"features":{"a":0.5,"b":-1e-3},"label":null,"x":[true,false,"\\u00e9"]}';
    const alphabet = '{}[]":,.-+eE0123456789 \\untrfalsx\n';
    let s = 3;
    const rnd = (k: number) => (s = (s * 1103515245 + 12345) >>> 0) % k;
    for (let t = 0; t < 5000; t++) {
      const chars = base.split('');
      const edits = 1 + rnd(3);
      for (let k = 0; k < edits; k++) {
        const p = rnd(chars.length);
        const op = rnd(3);
        if (op === 0) chars.splice(p, 1);
        else if (op === 1) chars.splice(p, 0, alphabet[rnd(alphabet.length)]);
        else chars[p] = alphabet[rnd(alphabet.length)];
      }
      const text = chars.join('');
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(locateJsonError(text) === null, text).toBe(valid);
    }
  });
});
