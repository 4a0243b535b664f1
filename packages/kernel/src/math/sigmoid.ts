/**
 * The logistic function σ(z) = 1 / (1 + e^(−z)), evaluated without overflow on either side.
 *
 * @param z - the score w·x + b
 * @returns a probability in [0, 1]
 * @example
 * sigmoid(0) // 0.5
 */
export function sigmoid(z: number): number {
  if (z >= 0) {
    return 1 / (1 + Math.exp(-z));
  }
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * softplus(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|)), stable for every finite z.
 *
 * @example
 * softplus(0) // Math.LN2
 */
export function softplus(z: number): number {
  return (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/**
 * ln σ(z) = −softplus(−z), without forming σ(z) first (no log of a rounded-to-zero value).
 *
 * @example
 * logSigmoid(0) // −Math.LN2
 */
export function logSigmoid(z: number): number {
  return -softplus(-z);
}

/**
 * The logit ln(p / (1 − p)), the inverse of {@link sigmoid}. Returns ±Infinity at p = 1 and p = 0.
 *
 * @example
 * logit(0.5) // 0
 */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/**
 * Shannon entropy in nats of a Bernoulli(y) label, H(y) = −y ln y − (1−y) ln(1−y), with 0 ln 0 = 0.
 * It is the minimum over p of the logistic loss L(p, y).
 *
 * @example
 * binaryEntropy(0.5) // Math.LN2
 */
export function binaryEntropy(y: number): number {
  let h = 0;
  if (y > 0) h -= y * Math.log(y);
  if (y < 1) h -= (1 - y) * Math.log1p(-y);
  return h;
}
