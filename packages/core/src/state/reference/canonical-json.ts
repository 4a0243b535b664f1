/**
 * Serialises a JSON value canonically: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as `JSON.stringify` writes them (shortest round-trip doubles). Parsing the
 * output and serialising again gives the same text, so a checksum over it survives a parse and
 * re-serialisation of the enclosing document. Snapshot checksums are computed over this form.
 *
 * @param v - a JSON value (what `JSON.parse` returns; properties whose value is `undefined` are skipped,
 *   non-finite numbers are written as `null`, as `JSON.stringify` does)
 * @returns the canonical text
 * @example
 * canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null }) // '{"a":null,"b":[1,{"c":"x","d":2}]}'
 */
export function canonicalJson(v: unknown): string {
  const parts: string[] = [];
  write(v, parts);
  return parts.join('');
}

function write(v: unknown, out: string[]): void {
  if (typeof v !== 'object' || v === null) {
    out.push(JSON.stringify(v) ?? 'null');
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      write(v[i], out);
    }
    out.push(']');
    return;
  }
  const keys = Object.keys(v).sort();
  out.push('{');
  let first = true;
  for (const k of keys) {
    const value = (v as Record<string, unknown>)[k];
    if (value === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    write(value, out);
  }
  out.push('}');
}
