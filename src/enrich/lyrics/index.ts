/** Lyrics enrichment: the pipeline, the theme vocabulary and how lyrics vectors are made and read. */
export { CHUNK_WORDS, combineChunks, lyricsChunks, lyricsHash, MAX_CHUNKS } from "./chunks.js";
export {
  DEFAULT_THEME_RULE,
  deriveThemes,
  type ThemeRule,
  type ThemeVectors,
  themeSimilarities,
  themeVectors,
} from "./derive.js";
export {
  enrichLyrics,
  LYRICS_BATCH_CHUNKS,
  type LyricsEnrichOptions,
  type LyricsEnrichStore,
  type LyricsEnrichSummary,
  type LyricsMiss,
} from "./enrich.js";
export { LYRICS_FUZZY_THRESHOLD, matchLyricsRow } from "./match.js";
export { LYRICS_COLUMNS, type LyricsRow, openLyrics } from "./read.js";
export {
  MAX_THEMES,
  THEME_MARGIN,
  THEME_MIN_SIMILARITY,
  THEME_VOCABULARY_VERSION,
  THEMES,
  type Theme,
} from "./themes.js";
