/**
 * The words spotivec understands, as data (the files under vocabulary/). Thresholds follow the conventions in the
 * README ("The words behind the rules"): e.g. "sad" means valence <= 0.35, "fast" means tempo >= 130 BPM. Each
 * feature concept has three strengths: plain, "very ...", and "a bit ...".
 */
export { ACTIVITIES } from "./vocabulary/activities.js";
export { FEATURE_CONCEPTS } from "./vocabulary/concepts.js";
export {
  GENRE_FAMILIES,
  GENRE_IMPLIES,
  GENRE_SYNONYMS,
  TAXONOMY_ORDINARY_WORDS,
} from "./vocabulary/genres.js";
export { COMPOSITE_MOODS } from "./vocabulary/moods.js";
export type { Activity, Direction, FeatureConcept, Strength } from "./vocabulary/types.js";
export {
  DECADE_WORDS,
  EXPLICIT_WORDS,
  INTENSIFIERS,
  NEGATORS,
  NUMBER_PHRASES,
  NUMBER_WORDS,
  REMIX_WORDS,
  SOFTENERS,
  STOPWORDS,
  TRANSFORM_WORDS,
  VERSION_WORDS,
} from "./vocabulary/words.js";
