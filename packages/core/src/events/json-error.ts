/** Where and why a JSON text is malformed. */
export interface JsonErrorLocation {
  /** Index (UTF-16 code units) of the offending character, or the text length at an unexpected end. */
  readonly position: number;
  /** What the grammar expected there, e.g. `a value` or `"," or "}"`. */
  readonly expected: string;
  /** What was found there: a quoted character or `end of input`. */
  readonly found: string;
}

const OBJ = 1;
const ARR = 2;

/**
 * Locates the first syntax error of a JSON text (RFC 8259), for rejection messages: `JSON.parse`'s
 * own messages are not consistent about positions. Called only after `JSON.parse` failed, so it
 * favours clarity over speed; it is iterative, so any nesting depth is fine.
 *
 * @param text - the text that `JSON.parse` refused
 * @returns the location, or null when the text is valid JSON
 * @example
 * locateJsonError('{"a":}') // { position: 5, expected: 'a value', found: '"}"' }
 */
export function locateJsonError(text: string): JsonErrorLocation | null {
  const n = text.length;
  const stack: number[] = [];
  let i = 0;
  const fail = (expected: string): JsonErrorLocation => ({
    position: i,
    expected,
    found: i < n ? JSON.stringify(text[i]) : 'end of input',
  });
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  /** Scans a string starting at its opening quote; returns an error or null. */
  const str = (): JsonErrorLocation | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('a character inside a string (control characters must be escaped, e.g. \\n)');
      if (c === 0x5c) {
        i++;
        if (i >= n) break;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            i++;
            if (i >= n || !/[0-9a-fA-F]/.test(text[i])) return fail('4 hex digits after \\u');
          }
        } else if ('"\\/bfnrt'.indexOf(e) < 0) return fail('an escape character (one of " \\ / b f n r t u)');
      }
      i++;
    }
    return fail('a closing quote \'"\'');
  };
  const digits = (what: string): JsonErrorLocation | null => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i === start ? fail(what) : null;
  };
  const num = (): JsonErrorLocation | null => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else {
      const e = digits('a digit');
      if (e) return e;
    }
    if (text[i] === '.') {
      i++;
      const e = digits('a digit after the decimal point');
      if (e) return e;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      const e = digits('a digit in the exponent');
      if (e) return e;
    }
    return null;
  };
  const key = (): JsonErrorLocation | null => {
    ws();
    if (text[i] !== '"') return fail('a double-quoted property name');
    const e = str();
    if (e) return e;
    ws();
    if (text[i] !== ':') return fail('":" after the property name');
    i++;
    return null;
  };

  for (;;) {
    // a value
    ws();
    const c = text[i];
    let e: JsonErrorLocation | null = null;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else {
        stack.push(OBJ);
        e = key();
        if (e) return e;
        continue;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else {
        stack.push(ARR);
        continue;
      }
    } else if (c === '"') e = str();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) e = num();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return fail('a value');
    if (e) return e;
    // after a value: close containers or move to the next element
    for (;;) {
      ws();
      const top = stack.length > 0 ? stack[stack.length - 1] : 0;
      if (top === 0) return i < n ? fail('the end of the text after the JSON value') : null;
      const d = text[i];
      if (d === ',') {
        i++;
        if (top === OBJ) {
          e = key();
          if (e) return e;
        }
        break;
      }
      if ((top === OBJ && d === '}') || (top === ARR && d === ']')) {
        i++;
        stack.pop();
        continue;
      }
      return fail(top === OBJ ? '"," or "}"' : '"," or "]"');
    }
  }
}
