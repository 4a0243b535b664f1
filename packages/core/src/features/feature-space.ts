import { FeatureHasher, type SparseVector } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';

/** How features map to weight slots: hashed names (2^bits slots) or a fixed dense dimension. */
export type FeatureSpaceOptions =
  | { readonly kind: 'hashed'; readonly bits: number; readonly seed?: number }
  | { readonly kind: 'dense'; readonly dim: number };

/** {@link FeatureSpace.indexOfName} result: the name is not a decimal index (dense space only). */
export const NOT_AN_INDEX = -1;
/** {@link FeatureSpace.indexOfName} result: the name is a decimal index ≥ dim (dense space only). */
export const INDEX_OUT_OF_RANGE = -2;

/** Largest dense dimension accepted (the same ceiling as 2^30 hashed slots). */
export const MAX_DENSE_DIM = 2 ** 30;

/**
 * The model's feature index space, 0..dim−1, and the mapping of an event's features into it (SPEC §1):
 *
 * - `hashed` (`dim = 2^bits`): a named feature goes to `FeatureHasher.index(name)` (MurmurHash3 x86_32 of
 *   its UTF-8, masked); a dense array's element i goes to slot i, and an array longer than dim is
 *   refused by the decoder.
 * - `dense` (`dim` given): a dense array must have exactly `dim` values, element i → slot i. A named
 *   feature is accepted only when its name is a canonical decimal index (`"0"`, `"17"`; no sign, no
 *   leading zeros, no spaces) below dim, so `{"3": 0.5}` sets column 3 sparsely; any other name is
 *   refused, since a dense model has no slot for it (hashing it would silently collide with a column).
 *
 * Explicit zero values are kept (a dense array of d values gives d entries), so a standardiser sees
 * every column of every event.
 *
 * `canonicalize` merges duplicate indices in place, so optimisers can assume distinct indices.
 *
 * @param o - {@link FeatureSpaceOptions}: `bits` an integer in [1, 30], `seed` in [0, 2^32−1] (default 0);
 *   or `dim` an integer in [1, 2^30]
 * @throws CoreError `bad-option` for settings out of range
 * @example
 * const space = new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 });
 * space.dim                    // 262144
 * space.indexOfName('age')     // murmur3('age', 0) & 262143
 * new FeatureSpace({ kind: 'dense', dim: 4 }).indexOfName('3') // 3
 */
export class FeatureSpace {
  readonly kind: 'hashed' | 'dense';
  /** Number of weight slots. */
  readonly dim: number;
  /** The settings it was built from (normalised: `seed` filled in for a hashed space). */
  readonly options: FeatureSpaceOptions;
  private readonly hasher: FeatureHasher | null;
  /** Scratch for `canonicalize`: slot → position + 1 in the vector being merged; all zero between calls. */
  private readonly pos: Int32Array;

  constructor(o: FeatureSpaceOptions) {
    if (o.kind === 'hashed') {
      const seed = o.seed ?? 0;
      if (!Number.isInteger(o.bits) || o.bits < 1 || o.bits > 30) {
        throw new CoreError('bad-option', `features.bits ${o.bits} must be an integer in [1, 30] (2^bits weight slots; the usual value is 18)`);
      }
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new CoreError('bad-option', `features.seed ${seed} must be an integer in [0, 4294967295]`);
      }
      this.hasher = new FeatureHasher({ bits: o.bits, seed });
      this.kind = 'hashed';
      this.dim = this.hasher.dim;
      this.options = { kind: 'hashed', bits: o.bits, seed };
    } else if (o.kind === 'dense') {
      if (!Number.isInteger(o.dim) || o.dim < 1 || o.dim > MAX_DENSE_DIM) {
        throw new CoreError('bad-option', `features.dim ${o.dim} must be an integer in [1, 2^30] (the number of dense columns)`);
      }
      this.hasher = null;
      this.kind = 'dense';
      this.dim = o.dim;
      this.options = { kind: 'dense', dim: o.dim };
    } else {
      throw new CoreError('bad-option', `features.kind ${JSON.stringify((o as { kind: unknown }).kind)} must be "hashed" or "dense"`);
    }
    this.pos = new Int32Array(this.dim);
  }

  /**
   * The slot of a named feature. Allocation-free.
   *
   * @param name - the feature name
   * @returns the slot in [0, dim); in a dense space {@link NOT_AN_INDEX} (−1) when the name is not a
   *   canonical decimal index, {@link INDEX_OUT_OF_RANGE} (−2) when it is one but ≥ dim
   * @example
   * new FeatureSpace({ kind: 'dense', dim: 4 }).indexOfName('04') // -1 (leading zero)
   */
  indexOfName(name: string): number {
    if (this.hasher !== null) return this.hasher.index(name);
    const n = name.length;
    if (n === 0 || (n > 1 && name.charCodeAt(0) === 48)) return NOT_AN_INDEX;
    let v = 0;
    for (let k = 0; k < n; k++) {
      const d = name.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return NOT_AN_INDEX;
      v = v * 10 + d; // exact below 2^53; beyond that it only needs to stay ≥ dim
    }
    return v < this.dim ? v : INDEX_OUT_OF_RANGE;
  }

  /**
   * Merges duplicate indices of `x` in place, summing their values and keeping the first occurrence's
   * position, so every index appears once (hash collisions of different names land on one slot).
   * O(nnz), allocation-free: a preallocated slot → position table is cleared for the touched slots only.
   * A vector in dense order (`x.isDense`: indices 0..nnz−1) has no duplicates and is left as it is (O(1)).
   *
   * @param x - a vector whose indices are all in [0, dim) (what the decoder produces)
   * @example
   * x = [(5, 1), (2, 0.5), (5, 2)]  →  canonicalize(x)  →  [(5, 3), (2, 0.5)]
   */
  canonicalize(x: SparseVector): void {
    if (x.isDense) return; // indices 0..nnz−1: already distinct
    const pos = this.pos;
    const idx = x.idx;
    const val = x.val;
    const n = x.nnz;
    // Compacts in place through clear + push (which keep x.isDense exact): clear keeps the pairs, and
    // the loop reads position k before pushing at position x.nnz ≤ k.
    x.clear();
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      const v = val[k];
      const p = pos[i];
      if (p === 0) {
        pos[i] = x.nnz + 1;
        x.push(i, v);
      } else {
        val[p - 1] += v;
      }
    }
    const m = x.nnz;
    for (let k = 0; k < m; k++) pos[idx[k]] = 0;
  }
}
