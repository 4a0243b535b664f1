import { KernelError } from '../errors.js';
import type { NamedState, StateValue } from '../state.js';

/** @internal Throws unless `v` is an integer ≥ 1. */
export function checkDim(owner: string, v: number): void {
  if (!Number.isInteger(v) || v < 1 || v > 2 ** 30) {
    throw new KernelError(`${owner} dim = ${v} must be an integer in [1, 2^30] (the number of weight slots)`);
  }
}

/** @internal Throws unless `v` is a finite number > 0. */
export function checkPositive(owner: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
    throw new KernelError(`${owner} ${name} = ${v} must be a finite number > 0`);
  }
}

/** @internal Throws unless `v` is a finite number ≥ 0. */
export function checkNonNegative(owner: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
    throw new KernelError(`${owner} ${name} = ${v} must be a finite number ≥ 0`);
  }
}

/** @internal Reads a number field of a state, or throws saying which. */
export function stateNumber(owner: string, s: NamedState, key: string): number {
  const v: StateValue | undefined = s[key];
  if (typeof v !== 'number') {
    throw new KernelError(`${owner} state field '${key}' must be a number, got ${describe(v)}; pass a state produced by ${owner}.toState()`);
  }
  return v;
}

/** @internal Reads a Float64Array field of a state of the given length, or throws saying which. */
export function stateArray(owner: string, s: NamedState, key: string, length: number): Float64Array {
  const v: StateValue | undefined = s[key];
  if (!(v instanceof Float64Array) || v.length !== length) {
    throw new KernelError(
      `${owner} state field '${key}' must be a Float64Array of length ${length}, got ${describe(v)}; ` +
        `pass a state produced by ${owner}.toState() with the same dim`,
    );
  }
  return v;
}

/** @internal Throws unless the state's `kind` is `kind`. */
export function checkKind(owner: string, s: NamedState, kind: string): void {
  if (s.kind !== kind) {
    throw new KernelError(`${owner}.fromState got a state of kind ${describe(s.kind)}, expected '${kind}'`);
  }
}

function describe(v: StateValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof Float64Array) return `a Float64Array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'string' ? `'${v}'` : typeof v;
}
