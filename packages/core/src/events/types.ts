import { SparseVector } from '@logit-stream/kernel';

/** Why an input was rejected; the code is stable (users alert on it), the reason is for humans. */
export type RejectCode =
  | 'empty'
  | 'too-large'
  | 'bad-utf8'
  | 'bad-json'
  | 'not-an-object'
  | 'forbidden-key'
  | 'bad-id'
  | 'bad-ts'
  | 'bad-features'
  | 'non-finite'
  | 'too-many-features'
  | 'bad-label'
  | 'label-range'
  | 'bad-trusted'
  | 'bad-source-label'
  | 'dimension-mismatch'
  /** A binary event (first byte 0xB1) whose layout is broken: truncated, trailing bytes, unknown version, reserved bits set. */
  | 'bad-binary';

/** A rejected input: a stable code and a message that says what was wrong and what to do. */
export interface Rejection {
  readonly code: RejectCode;
  readonly reason: string;
}

/**
 * A validated event, reused from one event to the next on the hot path: the decoder overwrites its
 * fields and refills `x` (feature indices already hashed or dense-mapped into the model's space).
 */
export class DecodedEvent {
  id = '';
  /** Epoch milliseconds, or null when the event has none. */
  ts: number | null = null;
  /** Label in [0, 1], or null: score only, never learned from. */
  label: number | null = null;
  /** The label was verified clean (learned from without noise correction). */
  trusted = false;
  /** What the noisy source said for a trusted event, or null. */
  sourceLabel: number | null = null;
  /** The features, in the model's index space. */
  readonly x: SparseVector;

  constructor(maxFeatures: number) {
    this.x = new SparseVector(maxFeatures);
  }
}

/** SPEC §2 score record. `modelVersion` counts the updates applied before this score. */
export interface Score {
  id: string;
  ts: number | null;
  z: number;
  p: number;
  pCalibrated: number;
  modelVersion: number;
  label: number | null;
}
