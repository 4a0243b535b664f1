/**
 * The messages of an error and its causes (at most 6 deep), each once, joined by ': ' — e.g.
 * `Connection to 127.0.0.1:1 failed.: connect ECONNREFUSED 127.0.0.1:1` — or 'unknown error'.
 *
 * @param e what was thrown or rejected
 * @example
 * reasonOf(new Error('send failed', { cause: new Error('ECONNRESET') })) // 'send failed: ECONNRESET'
 */
export function reasonOf(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x !== undefined && x !== null && depth < 6; x = (x as { cause?: unknown }).cause, depth++) {
    const m = x instanceof Error ? x.message : String(x);
    if (m !== '' && !parts.includes(m)) parts.push(m);
  }
  return parts.join(': ') || 'unknown error';
}

/**
 * Whether `e` or one of its causes (at most 6 deep) is @platformatic/kafka's SASL authentication
 * failure (code `PLT_KFK_AUTHENTICATION`): a refused login, not worth retrying.
 *
 * @param e what was thrown or rejected
 * @example
 * isAuthFailure(new Error('x', { cause: Object.assign(new Error('y'), { code: 'PLT_KFK_AUTHENTICATION' }) })) // true
 */
export function isAuthFailure(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x !== undefined && x !== null && depth < 6; x = (x as { cause?: unknown }).cause, depth++) {
    if ((x as { code?: unknown }).code === 'PLT_KFK_AUTHENTICATION') return true;
  }
  return false;
}
