/**
 * Query understanding: text -> a typed, inspectable QueryPlan. Deterministic (no LLM, no network): phrase tables
 * from vocabulary.ts, numbers and units by pattern, genres and artists from the catalog, and, for words the
 * tables lack, grounding against the concept vocabulary with the embedding model.
 */

import { baseTitle, normName, songKey } from "../domain/text.js";
import type { FeatureProfile, FilterField, StoredTrack, TrackFilters } from "../store/store.js";
import {
  ACTIVITIES,
  type Activity,
  COMPOSITE_MOODS,
  DECADE_WORDS,
  FEATURE_CONCEPTS,
  type FeatureConcept,
  GENRE_FAMILIES,
  GENRE_IMPLIES,
  GENRE_SYNONYMS,
  INTENSIFIERS,
  NEGATORS,
  NUMBER_WORDS,
  SOFTENERS,
  STOPWORDS,
  type Strength,
} from "./vocabulary.js";

export type SourceKind =
  | "word"
  | "synonym"
  | "number"
  | "option"
  | "activity"
  | "grounded"
  | "reference"
  | "profile";

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

export interface LikedConstraint extends ConstraintBase {
  type: "liked";
  /** The liked tracks and their other versions. */
  rowids: number[];
  /** "songs like the ones I like": the likes themselves are left out. */
  exclude?: boolean;
}

export type Constraint =
  | LikedConstraint
  | RangeConstraint
  | GenreConstraint
  | ExplicitConstraint
  | ArtistConstraint
  | NotSongConstraint
  | TitleConstraint;

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
  findArtist(norm: string): string | null;
  findTitles(title: string, limit: number): StoredTrack[];
  /** An artist's tracks, most popular first. */
  artistTracks(norm: string, limit: number): StoredTrack[];
  profile(filters: TrackFilters): FeatureProfile | null;
  /** The listener's liked tracks (one per song), if any were given; and where from. */
  liked?: { tracks: StoredTrack[]; from: string } | null;
  /** The liked rowids with every other version of the same songs. */
  versionsOf?(rowids: readonly number[]): number[];
  /** Maps words the tables lack to concepts (see GROUNDING_CONCEPTS), or nothing below the threshold. */
  ground?(words: string[]): Promise<Grounding[]>;
}

export const DEFAULT_ARTIST_CAP = 3;

export { optionConstraints } from "./options.js";

/** Priorities for relaxation: grounded words go first, the user's own options never. */
const PRIORITY = {
  grounded: 1,
  activity: 2,
  bit: 3,
  word: 4,
  profile: 4,
  number: 5,
  genre: 6,
  artist: 7,
  option: 100,
} as const;

const FIELD_UNITS: Partial<Record<FilterField, (v: number) => string>> = {
  tempo: (v) => `${Math.round(v)} BPM`,
  duration_ms: (v) => `${Math.round(v / 1000)} s`,
  loudness: (v) => `${v} dB`,
  year: (v) => String(v),
};

export function formatValue(field: FilterField, v: number): string {
  return FIELD_UNITS[field]?.(v) ?? String(Math.round(v * 1000) / 1000);
}

/** Query words are matched in one form: no apostrophes, then normName ("Isn't" -> "isnt", "R&B" -> "r and b"). */
export function normQuery(s: string): string {
  return normName(s.replace(/['’`]/g, ""));
}

// ---------------------------------------------------------------------------------------------------------------
// Phrase tables

type Entry =
  | { kind: "concept"; concept: FeatureConcept }
  | { kind: "composite"; word: string }
  | { kind: "activity"; activity: Activity }
  | { kind: "explicit"; value: boolean }
  | { kind: "genre"; key: string; labels: string[]; core: string[]; viaSynonym: boolean }
  | { kind: "modifier"; modifier: "very" | "bit" | "not" }
  | { kind: "versions"; words: string[] };

const EXPLICIT_WORDS: ReadonlyArray<[string, boolean]> = [
  ["explicit", true],
  ["explicit lyrics", true],
  ["explicit content", true],
  ["nsfw", true],
  ["profanity", true],
  ["uncensored", true],
  ["dirty", true],
  ["clean", false],
  ["clean lyrics", false],
  ["clean version", false],
  ["family friendly", false],
  ["kid friendly", false],
  ["radio friendly", false],
  ["censored", false],
];

/** Words asking for versions rather than one per song. */
const VERSION_WORDS = [
  "remix",
  "remixes",
  "remixed",
  "edit",
  "edits",
  "bootleg",
  "bootlegs",
  "rework",
  "flip",
  "mashup",
  "cover",
  "covers",
  "version",
  "versions",
  "live version",
  "acoustic version",
  "remaster",
  "remastered",
];

export function conceptByName(name: string): FeatureConcept {
  const c = FEATURE_CONCEPTS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown concept ${name}`);
  return c;
}

/** Labels a genre word covers: the hand-written family, plus labels that contain the word as a part. */
export function genreFamily(word: string, labels: readonly string[]): string[] {
  const w = normQuery(word);
  const out = new Set<string>();
  for (const l of labels) {
    if (normQuery(l) === w) out.add(l);
  }
  for (const l of GENRE_FAMILIES[w] ?? []) if (labels.includes(l)) out.add(l);
  if (!w.includes(" ")) {
    for (const l of labels) {
      if (l.split(/[\s-]+/).includes(w)) out.add(l);
    }
  }
  return [...out];
}

interface PhraseTable {
  map: Map<string, Entry>;
  maxLen: number;
}

let tableCache: { key: string; table: PhraseTable } | null = null;

function phraseTable(labels: readonly string[]): PhraseTable {
  const cacheKey = labels.join("\n");
  if (tableCache?.key === cacheKey) return tableCache.table;
  const map = new Map<string, Entry>();
  // Earlier entries win a tie, so the order says what a word means first: features over genres ("chill", "sad").
  const add = (phrase: string, entry: Entry) => {
    const key = normQuery(phrase);
    if (key && !map.has(key)) map.set(key, entry);
  };
  for (const m of INTENSIFIERS) add(m, { kind: "modifier", modifier: "very" });
  for (const m of SOFTENERS) add(m, { kind: "modifier", modifier: "bit" });
  for (const c of FEATURE_CONCEPTS) for (const w of c.words) add(w, { kind: "concept", concept: c });
  for (const [w, value] of EXPLICIT_WORDS) add(w, { kind: "explicit", value });
  for (const w of Object.keys(COMPOSITE_MOODS)) add(w, { kind: "composite", word: w });
  for (const a of ACTIVITIES) for (const w of a.words) add(w, { kind: "activity", activity: a });
  for (const w of VERSION_WORDS) add(w, { kind: "versions", words: [w] });
  const genre = (key: string, viaSynonym: boolean): Entry | null => {
    const family = genreFamily(key, labels);
    if (family.length === 0) return null;
    const core = family.filter((l) => normQuery(l) === normQuery(key));
    return { kind: "genre", key, labels: family, core: core.length > 0 ? core : family, viaSynonym };
  };
  for (const [label, synonyms] of Object.entries(GENRE_SYNONYMS)) {
    if (!labels.includes(label)) continue;
    for (const s of synonyms) {
      const e = genre(label, true);
      if (e) add(s, e);
    }
  }
  for (const word of Object.keys(GENRE_FAMILIES)) {
    const e = genre(word, false);
    if (e) add(word, e);
  }
  for (const label of labels) {
    const e = genre(label, false);
    if (e) add(label, e);
  }
  for (const n of NEGATORS) add(n, { kind: "modifier", modifier: "not" });
  let maxLen = 1;
  for (const k of map.keys()) maxLen = Math.max(maxLen, k.split(" ").length);
  const table = { map, maxLen };
  tableCache = { key: cacheKey, table };
  return table;
}

/** "calming" -> "calm", "grooves" -> "groove", "sadly" -> "sad": a word the tables know in another form. */
function stemLookup(table: PhraseTable, word: string): Entry | undefined {
  if (word.length < 5) return undefined;
  const stems = [
    word.replace(/ing$/, ""),
    word.replace(/ing$/, "e"),
    word.replace(/(.)\1ing$/, "$1"),
    word.replace(/ed$/, ""),
    word.replace(/d$/, ""),
    word.replace(/es$/, ""),
    word.replace(/s$/, ""),
    word.replace(/ly$/, ""),
    word.replace(/ness$/, ""),
  ];
  for (const stem of stems) {
    if (stem === word || stem.length < 3) continue;
    const entry = table.map.get(stem);
    if (entry && entry.kind !== "modifier") return entry;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Constraint builders

function threshold(c: FeatureConcept, strength: Strength): number {
  return strength === "very" ? c.very : strength === "bit" ? c.bit : c.plain;
}

export function conceptConstraint(
  c: FeatureConcept,
  strength: Strength,
  negated: boolean,
  source: ConstraintSource,
  hard: boolean,
): RangeConstraint {
  const t = threshold(c, strength);
  const priority =
    source.kind === "grounded"
      ? PRIORITY.grounded
      : source.kind === "activity"
        ? PRIORITY.activity
        : strength === "bit"
          ? PRIORITY.bit
          : PRIORITY.word;
  const prefix = strength === "very" ? "very " : strength === "bit" ? "a bit " : "";
  if (c.field === "mode") {
    // Mode is 0 or 1: "not minor" is major.
    const major = (c.direction === "high") !== negated;
    return {
      type: "range",
      field: "mode",
      ...(major ? { min: 1 } : { max: 0 }),
      label: major ? "major key" : "minor key",
      hard,
      priority,
      source,
    };
  }
  if (!negated) {
    return c.direction === "high"
      ? {
          type: "range",
          field: c.field,
          min: t,
          ideal: Math.max(c.ideal, t),
          label: prefix + c.name,
          hard,
          priority,
          source,
        }
      : {
          type: "range",
          field: c.field,
          max: t,
          ideal: Math.min(c.ideal, t),
          label: prefix + c.name,
          hard,
          priority,
          source,
        };
  }
  // "not sad": the complement of the plain range, with the ideal as far again on the other side.
  const mirror = 2 * t - c.ideal;
  return c.direction === "high"
    ? { type: "range", field: c.field, max: t, ideal: mirror, label: `not ${c.name}`, hard, priority, source }
    : {
        type: "range",
        field: c.field,
        min: t,
        ideal: mirror,
        label: `not ${c.name}`,
        hard,
        priority,
        source,
      };
}

function genreConstraint(
  entry: Extract<Entry, { kind: "genre" }>,
  negated: boolean,
  text: string,
  hard: boolean,
  priority: number = PRIORITY.genre,
): GenreConstraint {
  return {
    type: "genre",
    labels: entry.labels,
    core: entry.core,
    label: `${negated ? "not " : ""}genre ${entry.key}`,
    hard,
    priority,
    source: { kind: entry.viaSynonym ? "synonym" : "word", text },
    ...(negated ? { exclude: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns: numbers, units, decades, references

interface Token {
  text: string;
  start: number;
  end: number;
  used: boolean;
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  for (const m of s.matchAll(/\S+/g))
    tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length, used: false });
  return tokens;
}

function parseNumber(word: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? null;
}

const NUM =
  "(\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)";

interface PatternContext {
  norm: string;
  tokens: Token[];
}

/** Runs a pattern over the normalized query; each match whose words are still free is handed to onMatch. */
function consume(ctx: PatternContext, re: RegExp, onMatch: (m: RegExpMatchArray) => unknown): void {
  for (const m of ctx.norm.matchAll(re)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const covered = ctx.tokens.filter((t) => t.start >= start && t.end <= end);
    if (covered.length === 0 || covered.some((t) => t.used)) continue;
    if (onMatch(m) !== false) for (const t of covered) t.used = true;
  }
}

function parseNumbers(ctx: PatternContext, out: Constraint[], notes: string[], hasYears: boolean): void {
  const src = (m: RegExpMatchArray): ConstraintSource => ({ kind: "number", text: m[0] });
  const tempo = (
    m: RegExpMatchArray,
    min: number | undefined,
    max: number | undefined,
    ideal: number | undefined,
    label: string,
  ) =>
    out.push({
      type: "range",
      field: "tempo",
      min,
      max,
      ideal,
      label,
      hard: true,
      priority: PRIORITY.number,
      source: src(m),
    });
  // Tempo: "between 120 and 130 bpm", "120-130 bpm", "over 140 bpm", "under 100 bpm", "around 170 bpm", "128 bpm".
  consume(
    ctx,
    /\b(?:between|from)?\s*(\d{2,3})\s*(?:to|and)\s*(\d{2,3})\s*(?:bpm|beats per minute)\b/g,
    (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      tempo(m, Math.min(a, b), Math.max(a, b), (a + b) / 2, `${Math.min(a, b)}-${Math.max(a, b)} BPM`);
    },
  );
  consume(
    ctx,
    /\b(?:over|above|faster than|more than|at least|min(?:imum)?|greater than)\s*(\d{2,3})\s*(?:bpm|beats per minute)\b/g,
    (m) => {
      const n = Number(m[1]);
      tempo(m, n, undefined, n + 15, `over ${n} BPM`);
    },
  );
  consume(
    ctx,
    /\b(?:under|below|slower than|less than|at most|max(?:imum)?)\s*(\d{2,3})\s*(?:bpm|beats per minute)\b/g,
    (m) => {
      const n = Number(m[1]);
      tempo(m, undefined, n, n - 15, `under ${n} BPM`);
    },
  );
  consume(
    ctx,
    /\b(?:(around|about|roughly|approximately|approx|near|close to|circa|at|exactly)\s+)?(\d{2,3})\s*(?:bpm|beats per minute)\b/g,
    (m) => {
      const n = Number(m[2]);
      const tolerance = m[1] === "exactly" ? 1 : 5;
      tempo(m, n - tolerance, n + tolerance, n, `around ${n} BPM`);
    },
  );
  consume(ctx, /\b(\d{2,3})bpm\b/g, (m) => {
    const n = Number(m[1]);
    tempo(m, n - 5, n + 5, n, `around ${n} BPM`);
  });

  // Length: "under three minutes", "less than 2 and a half minutes", "over 6 minutes long", "between 2 and 3
  // minutes", "150 seconds" (m:ss and decimals arrive as seconds, see planQuery).
  const duration = (
    m: RegExpMatchArray,
    min: number | undefined,
    max: number | undefined,
    ideal: number,
    label: string,
  ) =>
    out.push({
      type: "range",
      field: "duration_ms",
      min,
      max,
      ideal,
      label,
      hard: true,
      priority: PRIORITY.number,
      source: src(m),
    });
  const UNIT = "(minutes?|mins?|seconds?|secs?)";
  const ms = (n: string, half: string | undefined, unit: string) =>
    ((parseNumber(n) ?? 0) + (half ? 0.5 : 0)) * (unit.startsWith("s") ? 1000 : 60_000);
  const show = (v: number) => (v % 60_000 === 0 ? `${v / 60_000} min` : `${Math.round(v / 1000)} s`);
  consume(
    ctx,
    new RegExp(
      `\\b(?:between|from)\\s+${NUM}\\s+(?:and|to)\\s+${NUM}(\\s+and\\s+a\\s+half)?\\s*${UNIT}(?:\\s+long)?\\b`,
      "g",
    ),
    (m) => {
      const a = ms(m[1] as string, undefined, m[4] as string);
      const b = ms(m[2] as string, m[3], m[4] as string);
      duration(
        m,
        Math.min(a, b),
        Math.max(a, b),
        (a + b) / 2,
        `${show(Math.min(a, b))} to ${show(Math.max(a, b))}`,
      );
    },
  );
  consume(
    ctx,
    new RegExp(
      `\\b(?:under|less than|shorter than|below|at most|no more than|max(?:imum)?|within)\\s+(?:a\\s+)?${NUM}(\\s+and\\s+a\\s+half)?\\s*${UNIT}(?:\\s+long)?\\b`,
      "g",
    ),
    (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      duration(m, undefined, v, Math.max(0, v - 60_000), `under ${show(v)}`);
    },
  );
  consume(
    ctx,
    new RegExp(
      `\\b(?:over|more than|longer than|above|at least|min(?:imum)?)\\s+(?:a\\s+)?${NUM}(\\s+and\\s+a\\s+half)?\\s*${UNIT}(?:\\s+long)?\\b`,
      "g",
    ),
    (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      duration(m, v, undefined, v + 120_000, `over ${show(v)}`);
    },
  );
  consume(
    ctx,
    new RegExp(
      `\\b(?:around|about|roughly)?\\s*${NUM}(\\s+and\\s+a\\s+half)?\\s*${UNIT}(?:\\s+long)?\\b`,
      "g",
    ),
    (m) => {
      const v = ms(m[1] as string, m[2], m[3] as string);
      if (v <= 0) return false;
      duration(m, v - 30_000, v + 30_000, v, `about ${show(v)}`);
    },
  );

  // Years and decades: "80s", "1980s", "eighties", "from 1995", "before 1980", "after 2010".
  const year = (m: RegExpMatchArray, min: number | undefined, max: number | undefined, label: string) => {
    if (!hasYears) {
      notes.push(
        `"${m[0].trim()}" ignored: this catalog has no release years (the 114K dataset has none; the 600K one does)`,
      );
      return;
    }
    out.push({
      type: "range",
      field: "year",
      min,
      max,
      label,
      hard: true,
      priority: PRIORITY.number,
      source: src(m),
    });
  };
  consume(ctx, /\b(?:the\s+)?(?:(19|20)?(\d)0s)\b/g, (m) => {
    const decade = m[1]
      ? Number(`${m[1]}${m[2]}0`)
      : Number(m[2]) >= 2
        ? 1900 + Number(m[2]) * 10
        : 2000 + Number(m[2]) * 10;
    year(m, decade, decade + 9, `${decade}s`);
  });
  consume(
    ctx,
    /\b(?:the\s+)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|noughties|aughts)\b/g,
    (m) => {
      const decade = DECADE_WORDS[m[1] as string] as number;
      year(m, decade, decade + 9, `${decade}s`);
    },
  );
  consume(ctx, /\b(before|after|since|until|from|in)\s+((?:19|20)\d\d)\b/g, (m) => {
    const y = Number(m[2]);
    if (m[1] === "before" || m[1] === "until")
      year(m, undefined, m[1] === "before" ? y - 1 : y, `${m[1]} ${y}`);
    else if (m[1] === "after" || m[1] === "since")
      year(m, m[1] === "after" ? y + 1 : y, undefined, `${m[1]} ${y}`);
    else year(m, y, y, `from ${y}`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The planner

export interface PlanOptions {
  /** Constraints from command-line options: always hard, never relaxed. */
  optionConstraints?: Constraint[];
}

interface Pending {
  strength: Strength;
  negated: boolean;
  /** Modifiers reach the next concept within a few words ("not too sad", "very, very fast"). */
  ttl: number;
}

export async function planQuery(
  query: string,
  ctx: PlanContext,
  options: PlanOptions = {},
): Promise<QueryPlan> {
  const constraints: Constraint[] = [...(options.optionConstraints ?? [])];
  const notes: string[] = [];
  // Lengths as "2:30" or "2.5 minutes" become seconds before punctuation is dropped.
  const norm = normQuery(
    query
      .replace(
        /\b(\d+):(\d\d)\b(?:\s*(?:minutes?|mins?))?/g,
        (_, m: string, sec: string) => `${Number(m) * 60 + Number(sec)} seconds`,
      )
      .replace(
        /\b(\d+\.\d+)\s*(minutes?|mins?)\b/g,
        (_, x: string) => `${Math.round(Number(x) * 60)} seconds`,
      ),
  );
  const tokens = tokenize(norm);
  const pctx: PatternContext = { norm, tokens };
  const plan: QueryPlan = {
    query,
    personal: null,
    semanticText: query.trim(),
    constraints,
    reference: null,
    transform: null,
    freeWords: [],
    notes,
    collapseVersions: true,
    artistCap: DEFAULT_ARTIST_CAP,
  };
  const table = phraseTable(ctx.genreLabels);
  let octaveTempo = false;

  parsePersonal(pctx, ctx, plan);
  parseTransform(pctx, ctx, table, plan);
  parseReference(pctx, ctx, plan);
  parseArtists(pctx, ctx, plan);
  parseNumbers(pctx, constraints, notes, ctx.hasYears);

  // Phrases, left to right, longest first.
  let pending = null as Pending | null;
  /** Tokens of negated phrases ("not sad"): left out of the text that is embedded. */
  const negatedTokens = new Set<number>();
  let modifierStart = -1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.used) continue;
    let match: { entry: Entry; len: number; text: string } | null = null;
    for (let len = Math.min(table.maxLen, tokens.length - i); len >= 1 && !match; len--) {
      const span = tokens.slice(i, i + len);
      if (span.some((t) => t.used)) continue;
      const text = span.map((t) => t.text).join(" ");
      const entry = table.map.get(text) ?? (len === 1 ? stemLookup(table, text) : undefined);
      if (entry) match = { entry, len, text };
    }
    if (pending && --pending.ttl < 0) {
      pending = null;
      modifierStart = -1;
    }
    if (!match) continue;
    for (let k = i; k < i + match.len; k++) (tokens[k] as Token).used = true;
    const matchStart = i;
    i += match.len - 1;
    const { entry, text } = match;
    if (entry.kind === "modifier" && !pending) modifierStart = matchStart;
    const prev: Pending | null = pending;
    const negated: boolean = prev?.negated ?? false;
    const strength: Strength = prev?.strength ?? "plain";
    if (entry.kind !== "modifier") {
      if (negated)
        for (let k = modifierStart >= 0 ? modifierStart : matchStart; k <= i; k++) negatedTokens.add(k);
      pending = null;
      modifierStart = -1;
    }
    switch (entry.kind) {
      case "modifier":
        pending = {
          strength: entry.modifier === "very" ? "very" : entry.modifier === "bit" ? "bit" : strength,
          negated: entry.modifier === "not" ? !negated : negated,
          ttl: 2,
        };
        break;
      case "concept":
        addConstraint(
          plan,
          conceptConstraint(entry.concept, strength, negated, { kind: "word", text }, strength !== "bit"),
        );
        break;
      case "composite":
        for (const part of COMPOSITE_MOODS[entry.word] ?? []) {
          const c = conceptConstraint(
            conceptByName(part.concept),
            part.strength,
            negated,
            { kind: "synonym", text },
            !negated,
          );
          addConstraint(plan, { ...c, label: `${negated ? "not " : ""}${entry.word}: ${c.label}` });
        }
        break;
      case "activity":
        if (entry.activity.octaveTempo) octaveTempo = true;
        for (const part of entry.activity.concepts) {
          const c = conceptConstraint(
            conceptByName(part.concept),
            part.strength,
            negated,
            { kind: "activity", text },
            false,
          );
          addConstraint(plan, { ...c, label: `${entry.activity.name}: ${c.label}` });
        }
        if (entry.activity.genres.length > 0) {
          const labels = entry.activity.genres.filter((g) => ctx.genreLabels.includes(g));
          if (labels.length > 0) {
            addConstraint(plan, {
              type: "genre",
              labels,
              core: labels,
              label: `${entry.activity.name} genres`,
              hard: false,
              priority: PRIORITY.activity,
              source: { kind: "activity", text },
            });
          }
        }
        break;
      case "explicit":
        addConstraint(plan, {
          type: "explicit",
          value: negated ? !entry.value : entry.value,
          label: (negated ? !entry.value : entry.value) ? "explicit" : "clean (not explicit)",
          hard: true,
          priority: PRIORITY.word,
          source: { kind: "word", text: negated ? `not ${text}` : text },
        });
        break;
      case "genre":
        addConstraint(plan, genreConstraint(entry, negated, text, true));
        for (const implied of negated ? [] : (GENRE_IMPLIES[entry.key] ?? [])) {
          const c = conceptConstraint(conceptByName(implied), "bit", false, { kind: "synonym", text }, false);
          addConstraint(plan, { ...c, label: `${entry.key}: ${c.label}` });
        }
        break;
      case "versions": {
        // Versions are still one per song; the one whose title says so ranks first.
        const stem = text.replace(/(es|s|ed)$/, "").replace(/ version$/, "");
        addConstraint(plan, {
          type: "title",
          words: [
            stem === "remix" ? "remix" : stem,
            ...(stem === "remix" ? ["mix", "edit", "bootleg", "rework"] : []),
          ],
          label: `a ${stem} version`,
          hard: false,
          priority: PRIORITY.word,
          source: { kind: "word", text },
        });
        break;
      }
    }
  }

  relativeLength(plan, ctx);
  // "like Helena but happier": a mood the words ask for replaces the reference's band on that feature.
  const asked = new Set(
    plan.constraints
      .filter((c) => c.type === "range" && c.source.kind === "word")
      .map((c) => (c as RangeConstraint).field),
  );
  removeWhere(
    plan.constraints,
    (c) => c.type === "range" && c.source.kind === "reference" && asked.has(c.field),
  );
  if (negatedTokens.size > 0 && plan.semanticText === query.trim()) {
    plan.semanticText = tokens
      .filter((_, k) => !negatedTokens.has(k))
      .map((t) => t.text)
      .join(" ");
  }
  if (octaveTempo) {
    for (const c of constraints)
      if (c.type === "range" && c.field === "tempo" && c.source.kind === "number") c.octave = true;
  }

  // What is left: try the catalog's artists, then grounding.
  const free = tokens
    .filter((t) => !t.used && !STOPWORDS.has(t.text) && !/^\d+$/.test(t.text))
    .map((t) => t.text);
  if (free.length > 0 && ctx.ground) {
    const grounded = await ctx.ground(free);
    const byWord = new Map(grounded.map((g) => [g.word, g]));
    for (const word of free) {
      const g = byWord.get(word);
      if (!g) {
        plan.freeWords.push(word);
        continue;
      }
      applyGrounding(plan, table, g);
    }
  } else {
    plan.freeWords.push(...free);
  }
  if (plan.constraints.some((c) => c.type === "artist")) plan.artistCap = null;
  return identifyConstraints(plan);
}

const slug = (s: string) => normName(s).replace(/ /g, "-");

/** What a constraint asks, as an id: the same words give the same id whatever the label says. */
function constraintKey(c: Constraint): string {
  const not = "exclude" in c && c.exclude ? "not-" : "";
  switch (c.type) {
    case "range": {
      const side = c.min !== undefined && c.max !== undefined ? "band" : c.min !== undefined ? "high" : "low";
      const from = c.source.kind === "option" ? "option-" : c.source.kind === "reference" ? "like-" : "";
      return `${from}${slug(c.field)}-${side}`;
    }
    case "genre":
      return `${not}genre-${[...c.core].sort().map(slug).join("+")}`;
    case "artist":
      return `${not}artist-${c.norms.map(slug).join("+")}`;
    case "explicit":
      return c.value ? "explicit" : "clean";
    case "title":
      return `title-${slug(c.words[0] ?? "")}`;
    case "liked":
      return `${not}liked`;
    case "not_song":
      return "not-song";
  }
}

/** Gives every constraint without an id one, unique within the plan (a second "energy-high" is "energy-high-2"). */
export function identifyConstraints(plan: QueryPlan): QueryPlan {
  const taken = new Set(plan.constraints.flatMap((c) => (c.id ? [c.id] : [])));
  for (const c of plan.constraints) {
    if (c.id) continue;
    const key = constraintKey(c);
    let id = key;
    for (let n = 2; taken.has(id); n++) id = `${key}-${n}`;
    taken.add(id);
    c.id = id;
  }
  return plan;
}

/**
 * "Short" and "long" are relative to the genre asked for: a short punk song is short for punk. The word's own
 * threshold still holds; the genre's quartile only tightens it.
 */
function relativeLength(plan: QueryPlan, ctx: PlanContext): void {
  const genre = plan.constraints.find(
    (c): c is GenreConstraint => c.type === "genre" && c.hard && !c.exclude,
  );
  const lengths = plan.constraints.filter(
    (c): c is RangeConstraint => c.type === "range" && c.field === "duration_ms" && c.source.kind === "word",
  );
  if (!genre || lengths.length === 0) return;
  const p = ctx.profile({ genres: genre.labels })?.percentiles.duration_ms;
  if (!p) return;
  for (const c of lengths) {
    if (c.max !== undefined && p[1] < c.max) {
      c.max = Math.round(p[1]);
      c.ideal = Math.min(c.ideal ?? c.max, Math.round(p[0]));
      c.label = `${c.label} for ${genre.label.replace(/^genre /, "")} (under ${Math.round(c.max / 1000)} s)`;
    } else if (c.min !== undefined && p[3] > c.min) {
      c.min = Math.round(p[3]);
      c.ideal = Math.max(c.ideal ?? c.min, Math.round(p[4]));
      c.label = `${c.label} for ${genre.label.replace(/^genre /, "")} (over ${Math.round(c.min / 1000)} s)`;
    }
  }
}

/** Removes in place: the plan's constraint list is one array from start to end. */
function removeWhere<T>(list: T[], drop: (x: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (drop(list[i] as T)) list.splice(i, 1);
}

/** Adds a constraint unless an equivalent one is there; a hard one replaces a soft twin. */
function addConstraint(plan: QueryPlan, c: Constraint): void {
  const same = plan.constraints.findIndex((x) => x.type === c.type && x.label === c.label);
  if (same >= 0) {
    const existing = plan.constraints[same] as Constraint;
    if (!existing.hard && c.hard) plan.constraints[same] = c;
    return;
  }
  // Two ranges on one field from words ("calm" and "very calm"): keep the stricter, hard over soft.
  if (c.type === "range" && c.source.kind !== "option") {
    const twin = plan.constraints.find(
      (x): x is RangeConstraint =>
        x.type === "range" &&
        x.field === c.field &&
        x.source.kind !== "option" &&
        (x.min !== undefined) === (c.min !== undefined) &&
        (x.max !== undefined) === (c.max !== undefined),
    );
    if (twin?.hard && !c.hard) return;
  }
  plan.constraints.push(c);
}

function applyGrounding(plan: QueryPlan, table: PhraseTable, g: Grounding): void {
  const entry = table.map.get(normQuery(g.concept));
  const source: ConstraintSource = {
    kind: "grounded",
    text: g.word,
    concept: g.concept,
    similarity: Math.round(g.similarity * 1000) / 1000,
  };
  if (!entry) {
    plan.freeWords.push(g.word);
    return;
  }
  switch (entry.kind) {
    case "concept":
      addConstraint(plan, {
        ...conceptConstraint(entry.concept, "plain", false, source, false),
        label: `${entry.concept.name} (from "${g.word}")`,
      });
      return;
    case "activity":
      for (const part of entry.activity.concepts) {
        const c = conceptConstraint(conceptByName(part.concept), part.strength, false, source, false);
        addConstraint(plan, { ...c, label: `${entry.activity.name}: ${c.label} (from "${g.word}")` });
      }
      return;
    case "genre":
      addConstraint(plan, {
        ...genreConstraint(entry, false, g.word, false, PRIORITY.grounded),
        source,
        label: `genre ${entry.key} (from "${g.word}")`,
      });
      return;
    default:
      plan.freeWords.push(g.word);
  }
}

/** The concepts unknown words are grounded against: feature words, activities and the catalog's genres. */
export function groundingConcepts(labels: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of FEATURE_CONCEPTS) {
    out.add(c.name);
    for (const w of c.words.slice(0, 6)) out.add(w);
  }
  for (const w of Object.keys(COMPOSITE_MOODS)) out.add(w);
  for (const a of ACTIVITIES) for (const w of a.words.slice(0, 3)) out.add(w);
  for (const l of labels) out.add(l.replace(/-/g, " "));
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------------
// Structures

const TRANSFORM_RE =
  /^(.*?)\s*\b(?:(?:that|which)\s+)?(?:would|could|might|will)?\s*(?:sound|work|fit|translate)s?\s+(?:\w+\s+)?(?:good|great|well|nice|better|amazing)?\s*(?:as|in)\s+(?:a\s+)?(.+?)(?:\s+(?:remix|remixes|version|versions|track|tracks|songs?))?$/;
const TRANSFORM_AS_RE =
  /^(.*?)\s+\b(?:as|in the style of|turned into|reimagined as|done as)\s+(?:a\s+)?(.+?)(?:\s+(?:remix|remixes|version|versions|tracks?|songs?))?$/;
const REMIX_OF_RE =
  /^(.+?)\s+(?:remix|remixes|version|versions|cover|covers|edit|edits|bootleg|bootlegs|rework)\s+of\s+(.+)$/;

function genreWordsIn(text: string, table: PhraseTable): Extract<Entry, { kind: "genre" }> | null {
  const words = text.split(" ");
  for (let len = words.length; len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const e = table.map.get(words.slice(i, i + len).join(" "));
      if (e?.kind === "genre") return e;
    }
  }
  return null;
}

/** "X that would sound good as Y", "X as Y", "Y remix of X": X is what to search, Y's measured sound shapes the ranking. */
function parseTransform(pctx: PatternContext, ctx: PlanContext, table: PhraseTable, plan: QueryPlan): void {
  const { norm } = pctx;
  let target: string | undefined;
  let targetStart = -1;
  let remix = false;
  const remixOf = REMIX_OF_RE.exec(norm);
  if (remixOf && genreWordsIn(remixOf[1] as string, table)) {
    target = remixOf[1] as string;
    targetStart = 0;
    remix = true;
  } else {
    const m = TRANSFORM_RE.exec(norm) ?? TRANSFORM_AS_RE.exec(norm);
    if (m?.[1] && genreWordsIn(m[2] as string, table)) {
      target = m[2] as string;
      targetStart = norm.lastIndexOf(target);
    }
  }
  if (!target) return;
  const entry = genreWordsIn(target, table);
  if (!entry) return;
  // Words of the structure itself are used up; the target's genre is not a filter on the results.
  const end = remix
    ? (remixOf?.[1]?.length ?? 0) + norm.slice(remixOf?.[1]?.length ?? 0).indexOf(" of ") + 4
    : norm.length;
  for (const t of pctx.tokens) {
    if (
      remix
        ? t.end <= end
        : t.start >= targetStart ||
          /^(that|which|would|could|might|sound|sounds|work|good|great|well|as)$/.test(t.text)
    ) {
      t.used = true;
    }
  }
  const profile = ctx.profile({ genres: entry.labels });
  plan.transform = { target: entry.key, labels: entry.labels, profile };
  plan.semanticText = plan.query;
  if (remix) {
    remixConstraints(pctx, ctx, table, plan, entry, (remixOf?.[2] as string) ?? "");
    return;
  }
  if (!profile) {
    plan.notes.push(`no ${entry.key} tracks in the catalog to measure its sound`);
    return;
  }
  const p = profile.percentiles;
  const source: ConstraintSource = { kind: "profile", text: `${entry.key} (${profile.count} tracks)` };
  const lo = Math.round(p.tempo[0]);
  const hi = Math.round(p.tempo[4]);
  plan.constraints.push({
    type: "range",
    field: "tempo",
    min: lo,
    max: hi,
    octave: true,
    ideal: Math.round(p.tempo[2]),
    label: `${entry.key} tempo ${lo}-${hi} BPM (or half/double time)`,
    hard: true,
    priority: PRIORITY.profile,
    source,
  });
  plan.constraints.push({
    type: "range",
    field: "energy",
    min: Math.round(Math.min(p.energy[0], 0.7) * 100) / 100,
    ideal: Math.round(p.energy[2] * 100) / 100,
    label: `${entry.key} energy`,
    hard: false,
    priority: PRIORITY.profile,
    source,
  });
}

const REMIX_WORDS = ["remix", "bootleg", "edit", "version", "mix", "rework", "flip", "cover"];

/**
 * "Y remix of X": tracks of Y. First the literal reading: Y tracks that are versions of the X songs (a liked
 * song's title or artist, and a remix word in the name); without any, Y tracks whose mood is closest to X's.
 */
function remixConstraints(
  pctx: PatternContext,
  ctx: PlanContext,
  table: PhraseTable,
  plan: QueryPlan,
  target: Extract<Entry, { kind: "genre" }>,
  sourceText: string,
): void {
  plan.constraints.push({
    type: "genre",
    labels: target.labels,
    core: target.core,
    label: `genre ${target.key}`,
    hard: true,
    // A remix of something in Y is a Y track: never relaxed into other genres.
    priority: PRIORITY.option,
    source: { kind: "word", text: target.key },
  });
  plan.constraints.push({
    type: "title",
    words: REMIX_WORDS,
    label: "a remix or version",
    hard: false,
    priority: PRIORITY.word,
    source: { kind: "word", text: "remix" },
  });
  // The source's words describe the songs remixed, not the results.
  const sourceStart = pctx.norm.length - sourceText.length;
  for (const t of pctx.tokens) if (t.start >= sourceStart) t.used = true;
  const sourceGenre = genreWordsIn(sourceText, table);
  const personal = plan.personal;
  let sourceTracks: StoredTrack[] = [];
  let what = sourceGenre ? `${sourceGenre.key} songs` : "the songs";
  if (personal && ctx.liked) {
    sourceTracks = ctx.liked.tracks.filter(
      (t) => !sourceGenre || t.allGenres.some((g) => sourceGenre.labels.includes(g)),
    );
    personal.mode = "remix";
    personal.liked = sourceTracks.map((t) => t.rowid);
    // The likes are what is remixed, not the results.
    removeWhere(plan.constraints, (c) => c.type === "liked");
    plan.artistCap = DEFAULT_ARTIST_CAP;
    what = `your liked ${what}`;
    // Literal: versions of those songs in the target genre.
    const titles = new Set(sourceTracks.map((t) => baseTitle(t.name)));
    const literal = new Set<number>();
    for (const title of titles) {
      for (const t of ctx.findTitles(title, 100)) {
        const inTarget = t.allGenres.some((g) => target.labels.includes(g));
        const isVersion = REMIX_WORDS.some((w) => t.name.toLowerCase().includes(w));
        if (inTarget && isVersion && baseTitle(t.name) === title) literal.add(t.rowid);
      }
    }
    if (literal.size > 0) {
      plan.constraints.push({
        type: "liked",
        rowids: [...literal],
        label: `${target.key} versions of ${what}`,
        hard: true,
        priority: PRIORITY.word,
        source: { kind: "reference", text: sourceText },
      });
      return;
    }
    plan.notes.push(
      `no ${target.key} remixes of ${what} in the catalog: showing ${target.key} tracks with their mood instead`,
    );
  } else if (sourceGenre) {
    const profile = ctx.profile({ genres: sourceGenre.labels });
    if (profile) {
      const p = profile.percentiles;
      sourceTracks = [
        {
          energy: p.energy[2],
          valence: p.valence[2],
          tempo: p.tempo[2],
          danceability: p.danceability[2],
          acousticness: p.acousticness[2],
          allGenres: [],
        } as unknown as StoredTrack,
      ];
    }
  }
  if (sourceTracks.length > 0) referenceConstraints(plan, sourceTracks, what, { genres: false, hard: false });
  // What the source genre's name says about mood ("emo": sad) carries into the remix, over the songs' average.
  for (const implied of sourceGenre ? (GENRE_IMPLIES[sourceGenre.key] ?? []) : []) {
    const c = conceptConstraint(
      conceptByName(implied),
      "bit",
      false,
      { kind: "synonym", text: sourceGenre?.key ?? "" },
      false,
    );
    removeWhere(
      plan.constraints,
      (x) => x.type === "range" && x.source.kind === "reference" && x.field === c.field,
    );
    plan.constraints.push({ ...c, label: `${sourceGenre?.key}: ${c.label}` });
  }
}

const TASTE_RE =
  /\b(?:(?:songs|tracks|music|stuff|something)\s+)?(?:like|similar to|resembling|in the style of|close to|along the lines of)\s+(?:the\s+)?(?:ones|songs|tracks|stuff|music|what|those|that|things)\s+(?:that\s+)?i\s+(?:like|love|liked|loved|listen to|enjoy)\b|\bmore of what i (?:like|love)\b|\b(?:based on|matching|fitting|for) my taste\b|\b(?:like|similar to) my (?:likes|favorites|favourites|faves|liked songs)\b/;
const SCOPE_RE =
  /\b(?:that\s+|which\s+)?i\s+(?:like|love|liked|loved|saved|enjoy|dig)\b|\bmy\s+(?:favorite|favourite|fave|liked|saved|loved|top)s?\b|\b(?:from|in|of|among)\s+my\s+(?:likes|liked songs|favorites|favourites|library|saved songs|saved tracks)\b|\bmy likes\b|\bmy library\b/;

/** "emo songs I like", "my favorite techno": the likes are the scope; "songs like the ones I like": the taste. */
function parsePersonal(pctx: PatternContext, ctx: PlanContext, plan: QueryPlan): void {
  const taste = TASTE_RE.exec(pctx.norm);
  const scope = taste ? null : SCOPE_RE.exec(pctx.norm);
  const m = taste ?? scope;
  if (!m) return;
  for (const t of pctx.tokens)
    if (t.start >= (m.index ?? 0) && t.end <= (m.index ?? 0) + m[0].length) t.used = true;
  if (!ctx.liked || ctx.liked.tracks.length === 0) {
    plan.notes.push(
      "the query is about your likes, but none were given: pass --likes FILE or import them with `spotivec likes import`",
    );
    return;
  }
  const liked = ctx.liked.tracks.map((t) => t.rowid);
  const withVersions = ctx.versionsOf ? ctx.versionsOf(liked) : liked;
  plan.personal = { mode: taste ? "taste" : "scope", liked, from: ctx.liked.from };
  plan.semanticText = plan.query.replace(new RegExp(m[0].split(" ").join("\\W+"), "i"), "").trim();
  if (taste) {
    // Leave the likes themselves out, and keep to the genres most of them share.
    plan.constraints.push({
      type: "liked",
      rowids: withVersions,
      exclude: true,
      label: "not already liked",
      hard: true,
      priority: PRIORITY.option,
      source: { kind: "reference", text: m[0] },
    });
    referenceConstraints(plan, ctx.liked.tracks, "your likes", { genres: true, hard: false, minShare: 0.2 });
  } else {
    plan.constraints.push({
      type: "liked",
      rowids: withVersions,
      label: `liked (${liked.length} songs)`,
      hard: true,
      priority: PRIORITY.option,
      source: { kind: "reference", text: m[0] },
    });
    plan.artistCap = null;
  }
}

const REFERENCE_RE =
  /\b(?:similar to|like|sounds like|sounding like|reminds me of|in the vein of|along the lines of|same vibe as|vibe of)\s+(.+?)(?=\s+but\b|\s+with\b|\s+without\b|$)/;

/** "similar to Helena by My Chemical Romance", "songs like Radiohead": rank by closeness to that track or artist. */
function parseReference(pctx: PatternContext, ctx: PlanContext, plan: QueryPlan): void {
  const m = REFERENCE_RE.exec(pctx.norm);
  if (!m || plan.transform) return;
  const before = pctx.norm.slice(0, m.index).trim().split(" ").pop();
  if (before && ["i", "you", "we", "they", "would", "really", "d"].includes(before)) return;
  const phrase = m[1] as string;
  const start = (m.index ?? 0) + m[0].length - phrase.length;
  const by = /^(.+?)\s+by\s+(.+)$/.exec(phrase);
  const title = by ? (by[1] as string) : phrase;
  const artistNorm = by ? (by[2] as string) : null;
  const candidates = ctx
    .findTitles(title, 200)
    .filter(
      (t) =>
        normQuery(t.name).startsWith(title) || normQuery(t.name.split(/\s+-\s+|\s*[([]/)[0] ?? "") === title,
    );
  const byArtist = artistNorm
    ? candidates.filter((t) => t.artists.some((a) => normQuery(a) === artistNorm))
    : candidates;
  const exact = byArtist.filter((t) => normQuery(t.name.split(/\s+-\s+|\s*[([]/)[0] ?? t.name) === title);
  const pick = (exact.length > 0 ? exact : byArtist).sort((a, b) => b.popularity - a.popularity)[0];
  const markUsed = () => {
    for (const t of pctx.tokens)
      if (t.start >= (m.index ?? 0) && t.end <= start + phrase.length) t.used = true;
  };
  if (pick) {
    markUsed();
    plan.reference = { kind: "track", name: pick.name, artists: pick.artists, rowids: [pick.rowid] };
    plan.semanticText = "";
    referenceConstraints(plan, [pick], `${pick.name} by ${pick.artists.join(", ")}`);
    plan.constraints.push({
      type: "not_song",
      key: songKey(pick.artists, pick.name),
      label: `not ${pick.name} itself`,
      hard: true,
      priority: PRIORITY.option,
      source: { kind: "reference", text: phrase },
    });
    return;
  }
  const artist = ctx.findArtist(phrase);
  if (artist) {
    const tracks = ctx.artistTracks(normName(artist), 50);
    if (tracks.length === 0) return;
    markUsed();
    plan.reference = { kind: "artist", name: artist, artists: [artist], rowids: tracks.map((t) => t.rowid) };
    plan.semanticText = "";
    referenceConstraints(plan, tracks, artist);
    plan.constraints.push({
      type: "artist",
      names: [artist],
      norms: [normName(artist)],
      exclude: true,
      label: `not by ${artist}`,
      hard: true,
      priority: PRIORITY.option,
      source: { kind: "reference", text: phrase },
    });
  }
}

/** The plan behind `spotivec similar <track>`: what "songs similar to <track>" means, without the parsing. */
export function similarPlan(track: StoredTrack): QueryPlan {
  const plan: QueryPlan = {
    query: `similar to ${track.artists.join(", ")} - ${track.name}`,
    personal: null,
    semanticText: "",
    constraints: [],
    reference: { kind: "track", name: track.name, artists: track.artists, rowids: [track.rowid] },
    transform: null,
    freeWords: [],
    notes: [],
    collapseVersions: true,
    artistCap: DEFAULT_ARTIST_CAP,
  };
  referenceConstraints(plan, [track], `${track.name} by ${track.artists.join(", ")}`);
  plan.constraints.push({
    type: "not_song",
    key: songKey(track.artists, track.name),
    label: `not ${track.name} itself`,
    hard: true,
    priority: PRIORITY.option,
    source: { kind: "reference", text: track.name },
  });
  return identifyConstraints(plan);
}

/**
 * Close to a reference (a track, an artist's tracks, the likes): the genres most of it carries (hard) and its mood
 * (energy and valence within a band, hard for a single reference) and sound (soft).
 */
function referenceConstraints(
  plan: QueryPlan,
  tracks: readonly StoredTrack[],
  what: string,
  options: { genres: boolean; hard: boolean; minShare?: number } = { genres: true, hard: true },
): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const counts = new Map<string, number>();
  for (const t of tracks) for (const g of t.allGenres) counts.set(g, (counts.get(g) ?? 0) + 1);
  const share = options.minShare ?? 0.3;
  const genres = [...counts].filter(([, n]) => n >= Math.max(1, tracks.length * share)).map(([g]) => g);
  const source: ConstraintSource = { kind: "reference", text: what };
  if (options.genres && genres.length > 0) {
    plan.constraints.push({
      type: "genre",
      labels: genres,
      core: genres,
      label: `genre ${genres.join("/")} like ${what}`,
      hard: true,
      priority: PRIORITY.genre - 1,
      source,
    });
  }
  // Mood (energy, valence) must stay close; the rest of the sound only ranks.
  const near = (
    field: FilterField,
    value: number,
    band: number,
    label: string,
    octave = false,
    hard = false,
  ) =>
    plan.constraints.push({
      type: "range",
      field,
      min: Math.round((value - band) * 1000) / 1000,
      max: Math.round((value + band) * 1000) / 1000,
      ideal: value,
      octave,
      label: `${label} near ${formatValue(field, Math.round(value * 1000) / 1000)}`,
      hard,
      priority: PRIORITY.activity,
      source,
    });
  near("energy", median(tracks.map((t) => t.energy)), 0.15, "energy", false, options.hard);
  near("valence", median(tracks.map((t) => t.valence)), 0.15, "valence", false, options.hard);
  near("tempo", median(tracks.map((t) => t.tempo)), 12, "tempo", true);
  near("danceability", median(tracks.map((t) => t.danceability)), 0.15, "danceability");
  near("acousticness", median(tracks.map((t) => t.acousticness)), 0.2, "acousticness");
}

const ARTIST_CUE_RE =
  /\b(?:by|from|of)\s+(.+?)(?=\s+(?:but|with|without|that|and|in|for|from|songs?|tracks?)\b|$)/g;
const ARTIST_SUFFIX_RE = /^(.+?)\s+(?:songs?|tracks?|music|hits|discography|catalog|catalogue)\b/;

/** "by blink-182", "blink 182 songs", or a query that is just an artist's name: that artist, hard. */
function parseArtists(pctx: PatternContext, ctx: PlanContext, plan: QueryPlan): void {
  if (plan.reference) return;
  const found: Array<{ name: string; norm: string; start: number; end: number; text: string }> = [];
  const tryPhrase = (phrase: string, offset: number, anyPrefix: boolean) => {
    const words = phrase.split(" ");
    for (let len = words.length; len >= 1; len--) {
      const candidate = words.slice(0, len).join(" ");
      if (!anyPrefix && len !== words.length) break;
      if (words.slice(0, len).every((w) => STOPWORDS.has(w))) continue;
      const name = ctx.findArtist(candidate);
      if (name) {
        found.push({
          name,
          norm: normName(name),
          start: offset,
          end: offset + candidate.length,
          text: candidate,
        });
        return true;
      }
    }
    return false;
  };
  for (const m of pctx.norm.matchAll(ARTIST_CUE_RE)) {
    const phrase = m[1] as string;
    const offset = (m.index ?? 0) + m[0].length - phrase.length;
    if (tryPhrase(phrase, offset, true)) {
      for (const t of pctx.tokens)
        if (
          t.start >= (m.index ?? 0) &&
          t.end <= offset + phrase.length &&
          t.start < (found.at(-1)?.end ?? 0)
        )
          t.used = true;
    }
  }
  if (found.length === 0) {
    const suffix = ARTIST_SUFFIX_RE.exec(pctx.norm);
    const whole = pctx.norm;
    const phrase = suffix ? (suffix[1] as string) : whole;
    // A lone word that the vocabulary knows ("happy songs") is a mood, not the artist called Happy.
    const table = phraseTable(ctx.genreLabels);
    const known = phrase.split(" ").every((w) => table.map.has(w) || STOPWORDS.has(w));
    if (!known && tryPhrase(phrase, 0, false)) {
      for (const t of pctx.tokens) if (t.end <= phrase.length) t.used = true;
    }
  }
  if (found.length === 0) return;
  plan.constraints.push({
    type: "artist",
    names: found.map((f) => f.name),
    norms: found.map((f) => f.norm),
    label: `by ${found.map((f) => f.name).join(" or ")}`,
    hard: true,
    priority: PRIORITY.artist,
    source: { kind: "word", text: found.map((f) => f.text).join(", ") },
  });
  plan.artistCap = null;
}
