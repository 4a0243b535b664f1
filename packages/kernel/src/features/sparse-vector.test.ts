import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { SparseVector } from './sparse-vector.js';

/** The definition of isDense, by a scan of the real indices. */
function scanDense(x: SparseVector): boolean {
  for (let k = 0; k < x.nnz; k++) if (x.idx[k] !== k) return false;
  return true;
}

function pairs(x: SparseVector): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < x.nnz; k++) out.push([x.idx[k], x.val[k]]);
  return out;
}

describe('SparseVector', () => {
  it('runs its doc examples', () => {
    const x = new SparseVector(4);
    x.push(3, 0.5);
    expect(x.nnz).toBe(1);
    expect(x.isDense).toBe(false);

    const d = new SparseVector(3);
    d.push(0, 2);
    d.push(1, 5);
    expect(d.isDense).toBe(true);
    d.push(7, 1);
    expect(d.isDense).toBe(false);

    const raw = new SparseVector(8);
    raw.copyFrom(x);
    expect(pairs(raw)).toEqual(pairs(x));

    const f = new SparseVector(2);
    f.fillDense(new Float64Array([1, 2, 3, 4]), 2, 2);
    expect(pairs(f)).toEqual([
      [0, 3],
      [1, 4],
    ]);
    expect(f.isDense).toBe(true);
  });

  it('push keeps isDense: true while each index equals its position, false from the first that does not, until clear', () => {
    const x = new SparseVector(5);
    expect(x.isDense).toBe(true); // empty
    x.push(0, 1);
    x.push(1, 1);
    expect(x.isDense).toBe(true);
    x.push(1, 1); // a repeat: position 2
    expect(x.isDense).toBe(false);
    x.push(3, 1); // in place again, but an earlier pair is not
    expect(x.isDense).toBe(false);
    x.clear();
    expect(x.nnz).toBe(0);
    expect(x.isDense).toBe(true);
    x.push(1, 1); // right index set, wrong start
    x.push(0, 1);
    expect(x.isDense).toBe(false);
  });

  it('clear keeps the stored pairs, so an in-place compaction can read behind its write position', () => {
    const x = new SparseVector(3);
    x.push(4, 1);
    x.push(0, 2);
    x.push(1, 3);
    x.clear();
    expect([x.idx[1], x.val[1], x.idx[2], x.val[2]]).toEqual([0, 2, 1, 3]);
    // keep the pairs at positions 1 and 2, moved to 0 and 1
    x.push(x.idx[1], x.val[1]);
    x.push(x.idx[2], x.val[2]);
    expect(pairs(x)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(x.isDense).toBe(true);
  });

  it('copyFrom copies the pairs and isDense of dense and non-dense sources, over any previous contents', () => {
    const dense = new SparseVector(4);
    dense.fillDense([5, 6, 7], 3);
    const sparse = new SparseVector(4);
    sparse.push(2, 1.5);
    sparse.push(0, -1);
    const y = new SparseVector(4);
    y.copyFrom(sparse);
    expect(pairs(y)).toEqual(pairs(sparse));
    expect(y.isDense).toBe(false);
    y.copyFrom(dense);
    expect(pairs(y)).toEqual(pairs(dense));
    expect(y.isDense).toBe(true);
    y.copyFrom(new SparseVector(2));
    expect(y.nnz).toBe(0);
    expect(y.isDense).toBe(true);
  });

  it('fillDense sets indices 0..n−1 and isDense, also after pushes out of order', () => {
    const x = new SparseVector(4);
    x.push(3, 1);
    x.push(2, 1);
    x.fillDense([9, 8, 7, 6, 5], 4, 1);
    expect(pairs(x)).toEqual([
      [0, 8],
      [1, 7],
      [2, 6],
      [3, 5],
    ]);
    expect(x.isDense).toBe(true);
    expect(scanDense(x)).toBe(true);
  });

  it('has no nnz setter (a TypeError at run time, a type error at compile time) and a read-only idx type', () => {
    const x = new SparseVector(2);
    expect(() => {
      // @ts-expect-error nnz is read-only: change it with clear/push/copyFrom/fillDense
      x.nnz = 1;
    }).toThrow(TypeError);
    const writeIdx = (v: SparseVector): void => {
      // @ts-expect-error idx is read-only: change it with clear/push/copyFrom/fillDense
      v.idx[0] = 1;
    };
    expect(typeof writeIdx).toBe('function'); // compiled only: tsc fails if the line above becomes legal
    expect(x.nnz).toBe(0);
  });

  it('property: after random sequences of clear/push/copyFrom/fillDense, isDense equals a scan of the indices and the pairs match a plain model (seed 31, 400 sequences)', () => {
    const rng = new Rng(31);
    const cap = 8;
    for (let s = 0; s < 400; s++) {
      const x = new SparseVector(cap);
      const other = new SparseVector(cap);
      let model: [number, number][] = [];
      let otherModel: [number, number][] = [];
      for (let step = 0; step < 40; step++) {
        const op = rng.nextInt(10);
        if (op === 0) {
          x.clear();
          model = [];
        } else if (op <= 6) {
          if (model.length === cap) continue;
          // mostly the index that keeps dense order, sometimes one off or a random one
          const r = rng.nextInt(4);
          const i = r < 2 ? model.length : r === 2 ? Math.max(0, model.length - 1 + rng.nextInt(3) - 1) : rng.nextInt(cap);
          const v = rng.gaussian();
          x.push(i, v);
          model.push([i, v]);
        } else if (op === 7) {
          const n = rng.nextInt(cap + 1);
          const vals = Array.from({ length: n + 2 }, () => rng.gaussian());
          const off = rng.nextInt(3);
          x.fillDense(vals, n, off);
          model = Array.from({ length: n }, (_, k): [number, number] => [k, vals[off + k]]);
        } else if (op === 8) {
          other.copyFrom(x);
          otherModel = model.slice();
        } else {
          x.copyFrom(other);
          model = otherModel.slice();
        }
        expect(x.isDense).toBe(scanDense(x));
        expect(other.isDense).toBe(scanDense(other));
        expect(x.isDense).toBe(model.every(([i], k) => i === k));
        expect(pairs(x)).toEqual(model);
      }
    }
  });
});
