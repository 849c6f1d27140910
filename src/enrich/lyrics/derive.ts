/** Theme words for a lyrics vector: the vocabulary's themes it is most similar to, by the same model. */
import type { Embedder } from "../../embed/embedder.js";
import { dot, mean } from "../../embed/vectors.js";
import { cachedPhraseVectors } from "../../store/concept-vectors.js";
import type { ConceptCache } from "../../store/types.js";
import { MAX_THEMES, THEME_MARGIN, THEME_MIN_SIMILARITY, THEMES, type Theme } from "./themes.js";

/** Each theme's prototype lines as one vector (their mean). */
export type ThemeVectors = ReadonlyMap<string, Float32Array>;

/**
 * The theme vectors for this embedder. Prototype lines are embedded once per model and kept in the concept cache,
 * so searches (which open the database read-only) find the ones enrichment made.
 */
export async function themeVectors(
  embedder: Embedder,
  cache: ConceptCache | null = null,
  themes: readonly Theme[] = THEMES,
): Promise<ThemeVectors> {
  const known = await cachedPhraseVectors(
    cache,
    embedder,
    themes.flatMap((t) => t.prototypes),
  );
  return new Map(themes.map((t) => [t.name, mean(t.prototypes.map((l) => known.get(l) as Float32Array))]));
}

export interface ThemeRule {
  minSimilarity: number;
  margin: number;
  max: number;
}

export const DEFAULT_THEME_RULE: ThemeRule = {
  minSimilarity: THEME_MIN_SIMILARITY,
  margin: THEME_MARGIN,
  max: MAX_THEMES,
};

/** Similarity of the lyrics vector to each theme, best first. */
export function themeSimilarities(vector: Float32Array, themes: ThemeVectors): Array<[string, number]> {
  return [...themes].map(([name, v]): [string, number] => [name, dot(vector, v)]).sort((a, b) => b[1] - a[1]);
}

/** The track's themes: at most `max`, each at least `minSimilarity` and within `margin` of the best. */
export function deriveThemes(
  vector: Float32Array,
  themes: ThemeVectors,
  rule = DEFAULT_THEME_RULE,
): string[] {
  const ranked = themeSimilarities(vector, themes);
  const best = ranked[0]?.[1] ?? 0;
  return ranked
    .filter(([, s]) => s >= rule.minSimilarity && s >= best - rule.margin)
    .slice(0, rule.max)
    .map(([name]) => name);
}
