/** A value that learned state may hold: numbers, booleans, strings, typed arrays, and nested states or arrays. */
export type StateValue =
  | number
  | boolean
  | string
  | null
  | Float64Array
  | Int32Array
  | Uint32Array
  | readonly StateValue[]
  | NamedState;

/**
 * Learned state of a kernel component: a plain object of numbers and typed arrays that
 * `toState()` produces and `fromState()` restores exactly (core encodes it as JSON, typed arrays as base64).
 */
export interface NamedState {
  readonly [key: string]: StateValue;
}
