/**
 * Projects an estimated (ρ0, ρ1) onto valid rates: each clipped to [0, 1], then, if ρ0 + ρ1 > maxSum,
 * both scaled down to sum to maxSum. NaN becomes 0. Writes into `out` (no allocation).
 *
 * @param out - receives ρ0 at index 0 and ρ1 at index 1
 * @param rho0 - raw estimate of P(observed 1 | true 0)
 * @param rho1 - raw estimate of P(observed 0 | true 1)
 * @param maxSum - the largest allowed ρ0 + ρ1 (default 0.98, < 1)
 * @example
 * const out = new Float64Array(2);
 * clipNoiseRatesInto(out, -0.1, 0.3); // out = [0, 0.3]
 */
export function clipNoiseRatesInto(out: Float64Array, rho0: number, rho1: number, maxSum = 0.98): void {
  let a = rho0 > 0 ? (rho0 < 1 ? rho0 : 1) : 0;
  let b = rho1 > 0 ? (rho1 < 1 ? rho1 : 1) : 0;
  const s = a + b;
  if (s > maxSum) {
    a = (a / s) * maxSum;
    b = (b / s) * maxSum;
  }
  out[0] = a;
  out[1] = b;
}
