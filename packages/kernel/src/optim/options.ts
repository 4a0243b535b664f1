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

/**
 * @internal Checks the weights of a model-averaging step (`mix`): `self` and each of `weights` finite
 * and ≥ 0, one weight per other state, a positive sum. Returns the fractions: index 0 for self, k + 1
 * for `others[k]`.
 */
export function mixFractions(owner: string, self: number, others: readonly NamedState[], weights: readonly number[]): Float64Array {
  if (weights.length !== others.length) {
    throw new KernelError(`${owner}.mix got ${others.length} state(s) but ${weights.length} weight(s); pass one weight per state`);
  }
  const f = new Float64Array(others.length + 1);
  f[0] = self;
  for (let k = 0; k < weights.length; k++) f[k + 1] = weights[k];
  let total = 0;
  for (let k = 0; k < f.length; k++) {
    if (!(Number.isFinite(f[k]) && f[k] >= 0)) {
      throw new KernelError(`${owner}.mix weight ${k === 0 ? 'of self' : `#${k - 1}`} = ${f[k]} must be a finite number ≥ 0`);
    }
    total += f[k];
  }
  if (!(total > 0)) throw new KernelError(`${owner}.mix weights sum to ${total}; at least one must be > 0`);
  for (let k = 0; k < f.length; k++) f[k] /= total;
  return f;
}

/**
 * @internal dst[i] ← dst[i]·ownScale + Σ_k srcs[k][i]·scales[k] over every i (srcs of dst's length).
 */
export function mixArrayInto(dst: Float64Array, ownScale: number, srcs: readonly Float64Array[], scales: readonly number[]): void {
  const n = dst.length;
  if (ownScale !== 1) for (let i = 0; i < n; i++) dst[i] *= ownScale;
  for (let k = 0; k < srcs.length; k++) {
    const s = srcs[k];
    const c = scales[k];
    if (c === 0) continue;
    for (let i = 0; i < n; i++) dst[i] += s[i] * c;
  }
}

function describe(v: StateValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof Float64Array) return `a Float64Array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'string' ? `'${v}'` : typeof v;
}
