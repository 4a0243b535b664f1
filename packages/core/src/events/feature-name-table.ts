/** Probe budget of {@link FeatureNameTable.hasDuplicate}, per feature, before it answers "maybe". */
export const PROBES_PER_FEATURE = 4;

/**
 * Where one event's hashed feature names sit in its message bytes, and the check for a name given
 * twice: shared by the byte-level decoders ({@link BinaryEventDecoder}, {@link JsonEventScanner}),
 * which hash names straight from the bytes and must refuse (binary) or leave to the slow path (JSON)
 * an event that repeats a name. The decoder writes `nameAt[k]`/`nameLen[k]` for its k-th feature and
 * keeps the slots in its own array. Allocated once per decoder; the check allocates nothing.
 *
 * The check is an open-addressing table from slot to feature, valid where `stamp === gen`, so it is
 * never cleared between events (only when `gen` wraps). Two features with the same slot are compared
 * byte for byte: a hash collision of different names is not a repeat.
 *
 * @example
 * const t = new FeatureNameTable(1000);
 * const bytes = new TextEncoder().encode('a b a');
 * t.nameAt[0] = 0; t.nameLen[0] = 1; t.nameAt[1] = 2; t.nameLen[1] = 1; t.nameAt[2] = 4; t.nameLen[2] = 1;
 * t.hasDuplicate(bytes, new Int32Array([5, 9, 5]), 3); // true ('a' twice)
 */
export class FeatureNameTable {
  /** Start of the k-th feature's name in the message. */
  readonly nameAt: Int32Array;
  /** Byte length of the k-th feature's name. */
  readonly nameLen: Int32Array;
  private readonly table: Int32Array;
  private readonly stamp: Int32Array;
  /** 32 − log2(table size): the top bits of the multiplicative hash index the table (≤ 31 whenever a feature can be checked: capacity ≥ 1 gives a table of ≥ 2). */
  private readonly shift: number;
  private gen = 0;

  /** @param capacity - most features one event may carry (0: a decoder that never hashes names) */
  constructor(capacity: number) {
    this.nameAt = new Int32Array(capacity);
    this.nameLen = new Int32Array(capacity);
    let t = 1;
    while (t < 2 * capacity) t *= 2;
    this.table = new Int32Array(capacity > 0 ? t : 0);
    this.stamp = new Int32Array(capacity > 0 ? t : 0);
    this.shift = 32 - Math.log2(t);
  }

  /**
   * Whether two of the first `count` features may have the same name (same slot and same bytes):
   * false means certainly not; true means a repeat was found, or — when the probes exceed
   * {@link PROBES_PER_FEATURE} per feature (many features on few slots) — that the caller must decide
   * on its exact path. O(count) in all cases.
   *
   * @param b - the message the names are in
   * @param slots - the features' slots (`slots[k]` for feature k)
   * @param count - how many features (≤ capacity)
   */
  hasDuplicate(b: Uint8Array, slots: Int32Array, count: number): boolean {
    const table = this.table;
    const stamp = this.stamp;
    const tmask = table.length - 1;
    const shift = this.shift;
    if (++this.gen > 0x7fffffff) {
      stamp.fill(0);
      this.gen = 1;
    }
    const gen = this.gen;
    const nameAt = this.nameAt;
    const nameLen = this.nameLen;
    // Linear probing costs O(count²) when many features share a slot (a tiny hashed space) or an
    // adversary picks names whose slots share their low bits: past this budget the answer is "maybe",
    // and both callers then take their exact slow path, which is linear.
    let budget = PROBES_PER_FEATURE * count;
    for (let k = 0; k < count; k++) {
      const slot = slots[k];
      let t = Math.imul(slot, 0x9e3779b1) >>> shift; // Fibonacci hashing: all of the slot's bits
      while (stamp[t] === gen) {
        const j = table[t];
        if (slots[j] === slot && sameBytes(b, nameAt[j], nameAt[k], nameLen[j], nameLen[k])) return true;
        if (--budget < 0) return true;
        t = (t + 1) & tmask;
      }
      stamp[t] = gen;
      table[t] = k;
    }
    return false;
  }
}

function sameBytes(b: Uint8Array, i: number, j: number, li: number, lj: number): boolean {
  if (li !== lj) return false;
  for (let k = 0; k < li; k++) if (b[i + k] !== b[j + k]) return false;
  return true;
}
