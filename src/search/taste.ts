import { dot, mean } from "../embed/vectors.js";

/** Rounds of k-means: the centres of a few dozen likes settle well within them. */
const ITERATIONS = 10;

/** Deterministic seeds: the first vector, then repeatedly the vector least similar to every centre so far. */
function farthestFirst(vectors: readonly Float32Array[], k: number): Float32Array[] {
  const centres: Float32Array[] = [vectors[0] as Float32Array];
  while (centres.length < k) {
    let far = vectors[0] as Float32Array;
    let farSim = Number.POSITIVE_INFINITY;
    for (const v of vectors) {
      const sim = Math.max(...centres.map((c) => dot(c, v)));
      if (sim < farSim) {
        farSim = sim;
        far = v;
      }
    }
    centres.push(far);
  }
  return centres;
}

/** The index of the most similar centre (the first on ties). */
function nearestCentre(centres: readonly Float32Array[], v: Float32Array): number {
  let best = 0;
  for (let c = 1; c < centres.length; c++)
    if (dot(centres[c] as Float32Array, v) > dot(centres[best] as Float32Array, v)) best = c;
  return best;
}

/**
 * A taste as several centres: k-means (cosine) over the liked tracks' vectors, so a listener of emo and house is
 * not served the average of the two. About one centre per six likes, at most `maxCentres`.
 */
export function tasteCentres(vectors: readonly Float32Array[], maxCentres = 4): Float32Array[] {
  if (vectors.length === 0) return [];
  const k = Math.min(maxCentres, Math.max(1, Math.round(vectors.length / 6)));
  const centres = farthestFirst(vectors, k);
  for (let iter = 0; iter < ITERATIONS; iter++) {
    const groups: Float32Array[][] = centres.map(() => []);
    for (const v of vectors) groups[nearestCentre(centres, v)]?.push(v);
    groups.forEach((g, c) => {
      if (g.length > 0) centres[c] = mean(g);
    });
  }
  return centres;
}
