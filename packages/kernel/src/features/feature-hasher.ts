import { KernelError } from '../errors.js';
import { murmur3Int32 } from '../hashing/murmur3.js';

/**
 * The hashing trick: maps a feature name to one of 2^bits weight slots,
 * slot = murmur3(UTF-8 name, seed) & (2^bits − 1). Allocation-free per call (it hashes with
 * {@link murmur3Int32}, which V8 never boxes).
 *
 * @param o.bits - log2 of the number of slots, an integer in [1, 30] (SPEC default 18)
 * @param o.seed - the 32-bit MurmurHash3 seed (default 0)
 * @example
 * const hasher = new FeatureHasher({ bits: 18 });
 * hasher.dim;               // 262144
 * hasher.index('word:free'); // murmur3('word:free', 0) & 262143
 */
export class FeatureHasher {
  /** Number of slots, 2^bits. */
  readonly dim: number;
  readonly bits: number;
  readonly seed: number;
  private readonly mask: number;

  constructor(o: { readonly bits: number; readonly seed?: number }) {
    const { bits, seed = 0 } = o;
    if (!Number.isInteger(bits) || bits < 1 || bits > 30) {
      throw new KernelError(`FeatureHasher bits = ${bits} must be an integer in [1, 30] (2^bits weight slots; the usual value is 18)`);
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new KernelError(`FeatureHasher seed = ${seed} must be an integer in [0, 2^32 − 1]`);
    }
    this.bits = bits;
    this.seed = seed;
    this.dim = 2 ** bits;
    this.mask = this.dim - 1;
  }

  /**
   * @param name - the feature name, e.g. `word:free`
   * @returns its slot in [0, dim)
   */
  index(name: string): number {
    return murmur3Int32(name, this.seed) & this.mask;
  }
}
