/** Planning's view of the store, and grounding: unknown query words mapped onto the vocabulary by embedding. */
import type { Embedder } from "../embed/embedder.js";
import { dot } from "../embed/vectors.js";
import { type Grounding, groundingConcepts, normQuery, type PlanContext } from "../query/plan.js";
import { cachedPhraseVectors } from "../store/concept-vectors.js";
import type {
  CatalogReader,
  ConceptCache,
  LyricsReader,
  StoredTrack,
  TagStore,
  VectorIndex,
} from "../store/types.js";

/**
 * Cosine similarity at or above which an unknown word is taken to mean a vocabulary concept. Measured with
 * all-MiniLM-L6-v2 on single words: 0.55 keeps rainy->gloomy (0.56), sunshine->cheerful (0.57),
 * soulful->soul (0.74) and drops smooth->hardstyle (0.52), groovy->grunge (0.50).
 */
export const GROUNDING_THRESHOLD = 0.55;

/**
 * Embeds and stores the concept vectors for the catalog's genre labels, so searches (which open the database
 * read-only) find them cached. Run after ingest; returns how many concepts are cached.
 */
export async function warmConceptCache(
  store: CatalogReader & ConceptCache,
  embedder: Embedder,
): Promise<number> {
  return (await cachedPhraseVectors(store, embedder, groundingConcepts(store.genreLabels()))).size;
}

/** Unknown words -> nearest concept of the vocabulary, when close enough. Concept vectors are cached in the store. */
export async function groundWords(
  cache: ConceptCache,
  embedder: Embedder,
  labels: readonly string[],
  words: string[],
): Promise<Grounding[]> {
  const concepts = groundingConcepts(labels);
  const known = await cachedPhraseVectors(cache, embedder, concepts);
  const vectors = await embedder.embed(words, "query");
  const out: Grounding[] = [];
  words.forEach((word, i) => {
    const v = vectors[i];
    if (!v) return;
    let best: Grounding | null = null;
    for (const concept of concepts) {
      const cv = known.get(concept);
      if (!cv || normQuery(concept) === word) continue;
      const similarity = dot(v, cv);
      if (!best || similarity > best.similarity) best = { word, concept, similarity };
    }
    if (best && best.similarity >= GROUNDING_THRESHOLD) out.push(best);
  });
  return out;
}

/** What the planner may ask of the catalog; without an embedder, unknown words stay ungrounded. */
export function planContext(
  store: CatalogReader &
    ConceptCache &
    Partial<LyricsReader> &
    Partial<Pick<VectorIndex, "modelInfo">> &
    Partial<Pick<TagStore, "hasLlmTags">>,
  embedder: Embedder | null,
  liked: { tracks: StoredTrack[]; from: string } | null = null,
): PlanContext {
  const genreLabels = store.genreLabels();
  const model = embedder?.model ?? store.modelInfo?.()?.model;
  return {
    hasLyrics: model !== undefined && (store.hasLyrics?.(model) ?? false),
    liked,
    versionsOf: (rowids) => store.versionsOf(rowids),
    genreLabels,
    hasYears: store.hasYears(),
    hasLlmTags: store.hasLlmTags?.() ?? false,
    findArtist: (norm) => store.findArtist(norm),
    findTitles: (title, limit) => store.findTitles(title, limit),
    artistTracks: (norm, limit) => store.getTracks(store.filterOnly(limit, { artists: [norm] })),
    profile: (filters) => store.profile(filters),
    genreOverlap: (label) => store.genreOverlap(label),
    ground: embedder ? (words) => groundWords(store, embedder, genreLabels, words) : undefined,
  };
}
