/**
 * The lyrics theme vocabulary (the themes themselves are data, in themes.json): what songs are about, as words a query uses and as prototype lines the model
 * compares lyrics with.
 *
 * Provenance and rationale: hand-written for this project (issue 13). The issue names love, heartbreak, partying,
 * the sea and death; the rest are topics that recur across popular-song lyrics and that a listener asks for by name
 * ("songs about drinking", "Christmas songs"), kept apart enough that the model tells them apart. Prototypes are
 * short lyric-like lines plus one plain "a song about ..." line: lyrics vectors sit nearer lyric-like text than a
 * bare word. Thresholds were measured with all-MiniLM-L6-v2 on 200 rows of the Million Song Dataset slice
 * (../shared/data/spotify_millsongdata_PARTIAL_first2000.csv.gz): a theme's similarity to lyrics runs from about 0.1
 * (p10) to 0.5 (p90), the best theme of a song about a topic is 0.45-0.7, a song about nothing in particular has
 * no theme above 0.3.
 */
import THEME_DATA from "./themes.json" with { type: "json" };

export interface Theme {
  /** The theme word shown in results ("lyrics: heartbreak") and stored per track. */
  name: string;
  /** Query words for it (normalized as queries are: lower case, no apostrophes), singular and plural. */
  words: string[];
  /** Lines whose mean vector stands for the theme. */
  prototypes: string[];
}

/** Changing the vocabulary or the thresholds changes this, so enrichment derives every track's themes again. */
export const THEME_VOCABULARY_VERSION = "1";

/** A theme is a track's when its similarity is at least this... */
export const THEME_MIN_SIMILARITY = 0.3;
/** ...and within this of the track's best theme (a song about love is not also about everything love is near). */
export const THEME_MARGIN = 0.06;
/** At most this many themes per track. */
export const MAX_THEMES = 3;

/** The themes, as data (themes.json). */
export const THEMES: readonly Theme[] = THEME_DATA;
