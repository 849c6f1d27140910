/** The plan a query becomes, its constraints, and what the planner needs from the catalog. */
import type { FilterField } from "../domain/fields.js";
import type { FeatureProfile, StoredTrack, TrackFilters } from "../store/store.js";
import type { PhraseTables } from "./phrases.js";

export type SourceKind =
  | "word"
  | "synonym"
  | "number"
  | "option"
  | "activity"
  | "grounded"
  | "reference"
  | "profile"
  | "lyrics themes"
  /** A tag `spotivec enrich tags` gave tracks (src/enrich/tags/vocabulary.ts). */
  | "llm-tag"
  /** A genre the catalog lacks, read as its nearest labels through the genre taxonomy. */
  | "taxonomy"
  /** "happier than Creep", "calmer": a target moved past an anchor (a reference, the likes, a median). */
  | "comparative";

export interface ConstraintSource {
  kind: SourceKind;
  /** The words of the query (or the option) it came from. */
  text: string;
  /** For grounded words: the concept matched and the cosine similarity. */
  concept?: string;
  similarity?: number;
}

interface ConstraintBase {
  /**
   * Stable id, derived from what the constraint asks ("energy-high", "genre-techno"), never from its label: the
   * API's and the page's `drop` name constraints by it. Set by identifyConstraints when the plan is complete.
   */
  id?: string;
  /** Human label, e.g. "high energy", "genre techno". */
  label: string;
  /** Hard constraints filter inside the KNN; soft ones only score. */
  hard: boolean;
  /** Relaxation order: the lowest priority hard constraint is relaxed first. */
  priority: number;
  source: ConstraintSource;
  /** Set when relaxation turned a hard constraint soft. */
  relaxed?: boolean;
}

export interface RangeConstraint extends ConstraintBase {
  type: "range";
  field: FilterField;
  min?: number;
  max?: number;
  /** Tempo at half or double time also counts. */
  octave?: boolean;
  /** The value where fit is best; ranks clear examples above borderline ones. */
  ideal?: number;
}

export interface GenreConstraint extends ConstraintBase {
  type: "genre";
  /** Every label that counts (the family). */
  labels: string[];
  /** Labels the words named exactly: a full match; other family members count a little less. */
  core: string[];
  /** "not metal": tracks with these labels are left out (or scored down when soft). */
  exclude?: boolean;
}

export interface ExplicitConstraint extends ConstraintBase {
  type: "explicit";
  value: boolean;
}

export interface ArtistConstraint extends ConstraintBase {
  type: "artist";
  names: string[];
  norms: string[];
  /** "songs like Radiohead" leaves Radiohead out. */
  exclude?: boolean;
}

export interface NotSongConstraint extends ConstraintBase {
  type: "not_song";
  /** songKey of the reference track: its other versions are left out. */
  key: string;
}

export interface TitleConstraint extends ConstraintBase {
  type: "title";
  /** Words any of which the track title should contain (remix, edit, ...). */
  words: string[];
}

/** "harmonic with <track>": any of these key and mode pairs (the track's Camelot neighbours). */
export interface KeySetConstraint extends ConstraintBase {
  type: "keys";
  pairs: Array<{ key: number; mode: number }>;
}

export interface LikedConstraint extends ConstraintBase {
  type: "liked";
  /** The liked tracks and their other versions. */
  rowids: number[];
  /** "songs like the ones I like": the likes themselves are left out. */
  exclude?: boolean;
}

/** "songs about heartbreak": prefer tracks whose lyrics are about a theme (only ever soft; see rank/score.ts). */
export interface ThemeConstraint extends ConstraintBase {
  type: "theme";
  /** A theme of the lyrics vocabulary (src/enrich/lyrics/themes.ts). */
  theme: string;
}

/** A tag the LLM gave tracks: always soft, and only tracks the LLM tagged are held to it. */
export interface LlmTagConstraint extends ConstraintBase {
  type: "llm_tag";
  tag: string;
}

export type Constraint =
  | ThemeConstraint
  | LikedConstraint
  | LlmTagConstraint
  | RangeConstraint
  | GenreConstraint
  | ExplicitConstraint
  | ArtistConstraint
  | NotSongConstraint
  | TitleConstraint
  | KeySetConstraint;

export interface Reference {
  kind: "track" | "artist";
  name: string;
  artists: string[];
  rowids: number[];
}

export interface Personal {
  /** scope: "emo songs I like"; taste: "songs like the ones I like"; remix: "hardstyle remix of emo songs I like". */
  mode: "scope" | "taste" | "remix";
  /** The liked tracks the query is about (for remix: the liked songs of the source genre). */
  liked: number[];
  /** Where the likes came from. */
  from: string;
}

export interface QueryPlan {
  query: string;
  /** Queries about the listener's likes. */
  personal: Personal | null;
  /** Text embedded for semantic similarity (empty: rank by constraints alone). */
  semanticText: string;
  constraints: Constraint[];
  /** "similar to X": results are ranked by closeness to X. */
  reference: Reference | null;
  /** "X that would sound good as Y": Y and the profile measured from its tracks. */
  transform: { target: string; labels: string[]; profile: FeatureProfile | null } | null;
  /** Words neither the vocabulary nor grounding understood; they still count through semanticText. */
  freeWords: string[];
  /** What the plan could not honour, and relaxations made while searching. */
  notes: string[];
  /** Results show one version per song (the best-fitting one) unless --versions asks for all. */
  collapseVersions: boolean;
  /** Most tracks per artist in the results; null when the query names an artist. */
  artistCap: number | null;
  /**
   * Words of the query that are LLM tags (src/enrich/tags/vocabulary.ts), when the catalog has tagged tracks and
   * the query does not negate them: each is also a soft `llm_tag` constraint, and results carrying them say so in
   * `why`. They still count through semanticText (tags are in the descriptions).
   */
  llmTags?: string[];
}

export interface Grounding {
  word: string;
  concept: string;
  similarity: number;
}

/** What the planner needs from the catalog; the store provides it, tests can fake it. */
export interface PlanContext {
  genreLabels: readonly string[];
  hasYears: boolean;
  /** Whether tracks carry LLM tags: the tag vocabulary's words are then soft preferences (see llmTags). */
  hasLlmTags?: boolean;
  findArtist(norm: string): string | null;
  findTitles(title: string, limit: number): StoredTrack[];
  /** An artist's tracks, most popular first. */
  artistTracks(norm: string, limit: number): StoredTrack[];
  profile(filters: TrackFilters): FeatureProfile | null;
  /** Catalog evidence: the labels that share tracks with `label`, with the share of its tracks (see CatalogReader). */
  genreOverlap?(label: string): Array<{ genre: string; share: number }>;
  /** The listener's liked tracks (one per song), if any were given; and where from. */
  liked?: { tracks: StoredTrack[]; from: string } | null;
  /** The liked rowids with every other version of the same songs. */
  versionsOf?(rowids: readonly number[]): number[];
  /** Whether some tracks have lyrics (spotivec enrich lyrics): theme words ("songs about the sea") read as themes. */
  hasLyrics?: boolean;
  /** Maps words the tables lack to concepts (see groundingConcepts), or nothing below the threshold. */
  ground?(words: string[]): Promise<Grounding[]>;
}

export interface PlanOptions {
  /** Constraints from command-line options: always hard, never relaxed. */
  optionConstraints?: Constraint[];
  /** Where phrase tables come from (a memo the caller owns); a memo shared by the process otherwise. */
  phrases?: PhraseTables;
}
