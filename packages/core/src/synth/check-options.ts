import { CoreError } from '../errors/index.js';

/** Throws CoreError 'bad-option' unless `v` is a finite number in [lo, hi] (internal helper of synth). */
export function checkRange(what: string, v: number, lo: number, hi: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi)) {
    throw new CoreError('bad-option', `${what} ${String(v)} must be a number in [${lo}, ${hi}]`);
  }
}

/** Throws CoreError 'bad-option' unless `v` is an integer in [lo, hi] (internal helper of synth). */
export function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
    throw new CoreError('bad-option', `${what} ${String(v)} must be an integer in [${lo}, ${hi}]`);
  }
}
