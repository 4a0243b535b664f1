/**
 * "Nice" tick positions for a linear axis: multiples of 1, 2 or 5 × 10^k covering [lo, hi].
 *
 * @param lo lower end of the data range
 * @param hi upper end of the data range (hi > lo; equal ends are widened by ±1)
 * @param target the wanted number of ticks (about; default 5)
 * @returns ascending tick values, the first ≤ lo and the last ≥ hi
 * @example
 * linearTicks(0, 1); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function linearTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const start = Math.floor(lo / step + 1e-9);
  const end = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  for (let k = start; k <= end; k++) out.push(roundTick(k * step, step));
  return out;
}

/**
 * Tick positions for a base-10 logarithmic axis: the powers of ten covering [lo, hi] (lo > 0).
 *
 * @param lo lower end of the data range, > 0
 * @param hi upper end of the data range
 * @returns ascending powers of ten, the first ≤ lo and the last ≥ hi
 * @example
 * logTicks(3, 2000); // [1, 10, 100, 1000, 10000]
 */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi) - 1e-9));
  const out: number[] = [];
  for (let k = a; k <= b; k++) out.push(Math.pow(10, k));
  return out;
}

function roundTick(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const r = Number(v.toFixed(Math.min(12, digits)));
  return r === 0 ? 0 : r; // no −0
}

/**
 * Formats a tick label compactly: integers plainly, powers of ten ≥ 10⁴ as 10^k, else up to 4 significant digits.
 *
 * @param v the tick value
 * @param log whether the axis is logarithmic (powers of ten are written 10^k from 10⁴ up)
 * @example
 * formatTick(0.25, false); // "0.25"
 * formatTick(1e6, true); // "10⁶"
 */
export function formatTick(v: number, log: boolean): string {
  if (log && v >= 1e4) return `10${superscript(Math.round(Math.log10(v)))}`;
  if (log && v > 0 && v < 1e-2) return `10${superscript(Math.round(Math.log10(v)))}`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

const SUP: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

function superscript(k: number): string {
  return String(k)
    .split('')
    .map((c) => SUP[c] ?? c)
    .join('');
}
