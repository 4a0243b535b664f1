import type { NamedState, Rng } from '@logit-stream/kernel';
import type { SnapshotPayload } from '../snapshot.js';

/**
 * Random snapshot payloads for the tests that hold the fast codec to the reference, with the awkward
 * cases: NaN payloads, −0, subnormals, infinities, zero runs (long runs of `A`), typed arrays at
 * offsets, empty arrays, unicode, lone surrogates, control characters, `$` keys. Test support only.
 *
 * @example
 * const g = new Gen(new Rng(1));
 * const p = g.payload();
 * encodeSnapshot(p) === referenceEncodeSnapshot(p) // true
 */
export class Gen {
  constructor(readonly r: Rng) {}
  int(n: number): number {
    return Math.floor(this.r.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  double(): number {
    switch (this.int(10)) {
      case 0:
        return this.pick([0, -0, NaN, Infinity, -Infinity, 5e-324, -1e-310, 2.2250738585072014e-308, 1e21, -1e-7]);
      case 1:
        return this.int(2000) - 1000;
      default:
        return (this.r.next() - 0.5) * 10 ** (this.int(40) - 20);
    }
  }
  /** Mostly zeros (long runs of `A` in base64) with a few values, or dense, or empty. */
  f64(): Float64Array {
    const n = this.pick([0, 1, 2, 3, 5, 17, 400, 3000, 9001]);
    const a = new Float64Array(n);
    const dense = this.int(3) === 0;
    for (let i = 0; i < n; i++) if (dense || this.int(200) === 0) a[i] = this.double();
    if (n > 0 && this.int(3) === 0) {
      // NaNs with payloads and signs: must survive bit for bit
      const u = new Uint32Array(a.buffer);
      u[2 * this.int(n) + 1] = 0x7ff80000 | this.int(0x7ffff);
      u[2 * this.int(n) + 1] = 0xfff00000 | (1 + this.int(0xfffff));
    }
    // sometimes a view at an offset into a larger buffer
    if (this.int(4) === 0) {
      const big = new Float64Array(n + 3);
      big.set(a, 2);
      return big.subarray(2, 2 + n);
    }
    return a;
  }
  i32(): Int32Array | Uint32Array {
    const n = this.pick([0, 1, 2, 3, 4, 7, 3001]);
    const a = this.int(2) === 0 ? new Int32Array(n) : new Uint32Array(n);
    for (let i = 0; i < n; i++) if (this.int(4) === 0) a[i] = this.pick([0, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, this.int(2 ** 32)]);
    if (this.int(4) === 0 && n > 0) return a instanceof Int32Array ? new Int32Array(a.buffer, 4, n - 1) : new Uint32Array(a.buffer, 4, n - 1);
    return a;
  }
  string(): string {
    const parts = ['', 'a', 'é', 'ü', '日本', '😀', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '$', '\ud800', '\udfff', 'A'.repeat(40), 'xyz'];
    let s = '';
    const k = this.int(6);
    for (let i = 0; i < k; i++) s += this.pick(parts);
    // a long string with one odd character somewhere (the word-at-a-time check at every alignment)
    if (this.int(5) === 0) {
      const n = 33 + this.int(70);
      const at = this.int(n);
      s = 'q'.repeat(at) + this.pick(['"', '\\', '\n', '\u0001', 'é', '\ud83d', 'Z']) + 'q'.repeat(n - at);
    }
    return s;
  }
  key(): string {
    return this.pick(['a', 'b', 'w', 'n', '$f64', '$$x', '$', '', 'é', '😀', '10', '2', '__proto__x', 'Z', 'z', ' ', '"k"']) + (this.int(3) === 0 ? this.string() : '');
  }
  value(depth: number, config: boolean): unknown {
    const k = this.int(depth > 3 ? 5 : 9);
    switch (k) {
      case 0:
        return this.double();
      case 1:
        return this.string();
      case 2:
        return this.pick([true, false, null]);
      case 3:
        return this.f64();
      case 4:
        return this.i32();
      case 5:
      case 6: {
        const o: Record<string, unknown> = this.int(8) === 0 ? Object.create(null) : {};
        const n = this.int(5);
        for (let i = 0; i < n; i++) o[this.key()] = this.value(depth + 1, config);
        if (config && this.int(3) === 0) o.dropped = undefined;
        return o;
      }
      default: {
        const n = this.int(4);
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(this.value(depth + 1, config));
        return a;
      }
    }
  }
  state(): NamedState {
    const s: Record<string, unknown> = {};
    const n = 1 + this.int(6);
    for (let i = 0; i < n; i++) s[this.key()] = this.value(1, false);
    return s as NamedState;
  }
  payload(): SnapshotPayload {
    const offsets = [];
    for (let i = this.int(4); i > 0; i--) offsets.push({ topic: this.pick(['events', 'é-topic', 't"q']), partition: this.int(8), next: String(this.int(1e9)) });
    return {
      learnerId: this.pick(['l-0', 'learner-ü', '😀', 'a"b\\c', 'x'.repeat(50)]),
      createdAt: this.pick([0, -0, 1732300000000, 1.5, -3]),
      offsets,
      state: this.state(),
      config: this.int(5) === 0 ? undefined : this.value(1, true),
    };
  }
}

