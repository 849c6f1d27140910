/**
 * The phrase table: every word and phrase the vocabulary knows, in normalized form, with what it means. Genre
 * entries depend on the catalog's labels, so a table is built per label list; PhraseTables memoizes that.
 */
import { nearestLabels, type TaxonomyMapping, taxonomyGenres } from "./taxonomy.js";
import { normQuery } from "./tokens.js";
import {
  ACTIVITIES,
  type Activity,
  COMPOSITE_MOODS,
  EXPLICIT_WORDS,
  FEATURE_CONCEPTS,
  type FeatureConcept,
  GENRE_FAMILIES,
  GENRE_SYNONYMS,
  INTENSIFIERS,
  NEGATORS,
  SOFTENERS,
  TAXONOMY_ORDINARY_WORDS,
  VERSION_WORDS,
} from "./vocabulary.js";

export interface GenreEntry {
  kind: "genre";
  key: string;
  labels: string[];
  core: string[];
  viaSynonym: boolean;
  /** A genre the catalog has no label for, read through the taxonomy as its nearest labels (soft). */
  taxonomy?: TaxonomyMapping;
}

export type Entry =
  | { kind: "concept"; concept: FeatureConcept }
  | { kind: "composite"; word: string }
  | { kind: "activity"; activity: Activity }
  | { kind: "explicit"; value: boolean }
  | GenreEntry
  | { kind: "modifier"; modifier: "very" | "bit" | "not" }
  | { kind: "versions"; words: string[] };

export interface PhraseTable {
  readonly map: ReadonlyMap<string, Entry>;
  /** The most words in one phrase. */
  readonly maxLen: number;
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

function genreEntry(key: string, viaSynonym: boolean, labels: readonly string[]): GenreEntry | null {
  const family = genreFamily(key, labels);
  if (family.length === 0) return null;
  const core = family.filter((l) => normQuery(l) === normQuery(key));
  return { kind: "genre", key, labels: family, core: core.length > 0 ? core : family, viaSynonym };
}

/** Every phrase with its meaning, in the order that decides ties: features over genres ("chill", "sad"). */
function* phrases(labels: readonly string[]): Generator<[string, Entry | null]> {
  for (const m of INTENSIFIERS) yield [m, { kind: "modifier", modifier: "very" }];
  for (const m of SOFTENERS) yield [m, { kind: "modifier", modifier: "bit" }];
  for (const c of FEATURE_CONCEPTS) for (const w of c.words) yield [w, { kind: "concept", concept: c }];
  for (const [w, value] of EXPLICIT_WORDS) yield [w, { kind: "explicit", value }];
  for (const w of Object.keys(COMPOSITE_MOODS)) yield [w, { kind: "composite", word: w }];
  for (const a of ACTIVITIES) for (const w of a.words) yield [w, { kind: "activity", activity: a }];
  for (const w of VERSION_WORDS) yield [w, { kind: "versions", words: [w] }];
  for (const [label, synonyms] of Object.entries(GENRE_SYNONYMS)) {
    if (!labels.includes(label)) continue;
    for (const s of synonyms) yield [s, genreEntry(label, true, labels)];
  }
  for (const word of Object.keys(GENRE_FAMILIES)) yield [word, genreEntry(word, false, labels)];
  for (const label of labels) yield [label, genreEntry(label, false, labels)];
  for (const n of NEGATORS) yield [n, { kind: "modifier", modifier: "not" }];
}

/**
 * Taxonomy genres the table does not know yet, as their nearest catalog labels. Only names the table reads as
 * nothing: a catalog label, a synonym or a feature word always wins ("shoegaze" is a label where artist genres
 * were ingested).
 */
function addTaxonomyEntries(map: Map<string, Entry>): void {
  /** "instrumental hip hop" is words the table reads already (a concept and a genre): left to them. */
  const readAlready = (words: string[]): boolean =>
    words.length === 0 ||
    words.some((_, n) => map.has(words.slice(0, n + 1).join(" ")) && readAlready(words.slice(n + 1)));
  // Memoized: a broad parent's children are each other's siblings, so the same names are read many times.
  const read = new Map<string, readonly string[] | null>();
  const labelsOf = (name: string) => {
    let labels = read.get(name);
    if (labels === undefined) {
      const e = map.get(normQuery(name));
      labels = e?.kind === "genre" ? e.core : null;
      read.set(name, labels);
    }
    return labels;
  };
  const added: Array<[string, Entry]> = [];
  for (const genre of taxonomyGenres()) {
    const key = normQuery(genre);
    if (!key || map.has(key) || TAXONOMY_ORDINARY_WORDS.has(genre) || readAlready(key.split(" "))) continue;
    const mapping = nearestLabels(genre, labelsOf);
    if (!mapping) continue;
    const entry: GenreEntry = {
      kind: "genre",
      key: genre,
      labels: mapping.labels,
      core: mapping.core,
      viaSynonym: false,
      taxonomy: mapping,
    };
    added.push([key, entry]);
  }
  // Added after the loop: a taxonomy genre is mapped through labels, never through another taxonomy genre.
  for (const [key, entry] of added) if (!map.has(key)) map.set(key, entry);
}

export function buildPhraseTable(labels: readonly string[]): PhraseTable {
  const map = new Map<string, Entry>();
  for (const [phrase, entry] of phrases(labels)) {
    const key = normQuery(phrase);
    // Earlier entries win a tie.
    if (entry && key && !map.has(key)) map.set(key, entry);
  }
  addTaxonomyEntries(map);
  let maxLen = 1;
  for (const k of map.keys()) maxLen = Math.max(maxLen, k.split(" ").length);
  return { map, maxLen };
}

/**
 * Tables by label list. Building one reads every label against every genre word, and a search service plans
 * each query with a fresh copy of the same labels, so the memo is keyed by the labels' content, not by the array.
 * It keeps the last table only: a service plans against one catalog at a time. Tables are never changed after
 * they are built, so a memoized table plans exactly as a fresh one.
 */
export class PhraseTables {
  private last: { key: string; table: PhraseTable } | null = null;

  for(labels: readonly string[]): PhraseTable {
    const key = labels.join("\n");
    if (this.last?.key !== key) this.last = { key, table: buildPhraseTable(labels) };
    return this.last.table;
  }
}

/** "calming" -> "calm", "grooves" -> "groove", "sadly" -> "sad": a word the tables know in another form. */
export function stemLookup(table: PhraseTable, word: string): Entry | undefined {
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

/** The longest genre phrase in a text (leftmost among equals). */
export function genreWordsIn(text: string, table: PhraseTable): GenreEntry | null {
  const words = text.split(" ");
  for (let len = words.length; len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const e = table.map.get(words.slice(i, i + len).join(" "));
      if (e?.kind === "genre") return e;
    }
  }
  return null;
}
