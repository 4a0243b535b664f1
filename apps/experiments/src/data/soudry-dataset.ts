import { Rng } from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';

/**
 * The 2-D separable set of Soudry et al. (2018), figure 1: support vectors (0.5, 1.5) and (1.5, 0.5)
 * labelled 1 and their negatives labelled 0, plus 12 random points (6 per class) strictly off the
 * margin (x₁ + x₂ ≥ 2.5 for class 1, ≤ −2.5 for class 0, coordinates drawn uniformly, seeded). The
 * hard-margin direction through the origin is (1, 1)/√2 with margin √2 (ŵ = (0.5, 0.5)).
 *
 * Paper: D. Soudry, E. Hoffer, M. S. Nacson, S. Gunasekar, N. Srebro, "The implicit bias of gradient
 * descent on separable data", JMLR 19 (2018).
 *
 * @param seed seed of the random points
 * @example
 * soudryDataset(1).rows; // 16
 */
export function soudryDataset(seed: number): Dataset {
  const rng = new Rng(seed);
  const X: number[] = [0.5, 1.5, 1.5, 0.5, -0.5, -1.5, -1.5, -0.5];
  const y: number[] = [1, 1, 0, 0];
  for (const cls of [1, 0]) {
    let made = 0;
    while (made < 6) {
      const a = rng.next() * 4;
      const b = rng.next() * 4;
      if (a + b < 2.5) continue;
      X.push(cls === 1 ? a : -a, cls === 1 ? b : -b);
      y.push(cls);
      made++;
    }
  }
  return { name: 'soudry-2d', dim: 2, rows: y.length, X: Float64Array.from(X), y: Float64Array.from(y) };
}
