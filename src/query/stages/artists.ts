/**
 * "by blink-182", "blink 182 songs", or a query that is just an artist's name: that artist, hard.
 *
 * A one-word name that is also a word ("Energy", "Heart", "Sleep") is taken only with a cue, so that "anime songs
 * with lots of energy" stays about energy: "by X" or a quoted "X" always; "from X" / "of X" and "X songs" when the
 * query writes the name capitalized; the name alone when it is a common word, or a vocabulary word capitalized.
 * Multi-word names need no more than before.
 */
import { normName } from "../../domain/text.js";
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { normQuery } from "../tokens.js";
import { COMMON_WORDS } from "../vocabulary/common-words.js";
import { STOPWORDS } from "../vocabulary.js";

const ARTIST_CUE_RE =
  /\b(by|from|of)\s+(.+?)(?=\s+(?:but|with|without|that|and|in|for|from|songs?|tracks?)\b|$)/g;
const ARTIST_SUFFIX_RE = /^(.+?)\s+(?:songs?|tracks?|music|hits|discography|catalog|catalogue)\b/;
const QUOTED_RE = /["“”]([^"“”]+)["“”]/g;

/** How an artist was named: after a cue word, before "songs", or as the whole query. */
export type ArtistCue = "by" | "from" | "of" | "suffix" | "whole";

/**
 * What a one-word name collides with: the planner's vocabulary (phrase table, stopwords), the common-word list,
 * or nothing (then it needs no cue). Names of several words collide with nothing.
 */
export type ArtistCollision = "vocabulary" | "common" | "none";

export function artistCollision(s: PlanState, text: string): ArtistCollision {
  if (text.includes(" ")) return "none";
  if (s.phrases.map.has(text) || STOPWORDS.has(text)) return "vocabulary";
  return COMMON_WORDS.has(text) ? "common" : "none";
}

/** Whether every word of `text` (normalized) is written with a capital in the query (and the query is not all caps). */
function capitalized(s: PlanState, text: string): boolean {
  if (!/\p{Ll}/u.test(s.query)) return false;
  const written = s.query.split(/[^\p{L}\p{N}'’`]+/u).filter((w) => /^\p{Lu}/u.test(w));
  const caps = new Set(written.map((w) => normQuery(w)));
  return text.split(" ").every((w) => caps.has(w));
}

/** Whether the query puts `text` (normalized) in double quotes. */
function quoted(s: PlanState, text: string): boolean {
  return [...s.query.matchAll(QUOTED_RE)].some((m) => normQuery(m[1] as string) === text);
}

/** Whether the words `text` name the artist given how they were cued. */
export function cueSuffices(s: PlanState, text: string, cue: ArtistCue): boolean {
  const collision = artistCollision(s, text);
  if (collision === "none" || cue === "by" || quoted(s, text)) return true;
  if (cue === "whole") return collision === "common" || capitalized(s, text);
  if (cue === "suffix") return collision === "common" && capitalized(s, text);
  return capitalized(s, text);
}

interface FoundArtist {
  name: string;
  norm: string;
  /** Where the words naming it end in the normalized query. */
  end: number;
  text: string;
}

/** The artist named by the phrase (or, with anyPrefix, by its longest leading words that name one). */
function artistIn(
  s: PlanState,
  phrase: string,
  offset: number,
  anyPrefix: boolean,
  cue: ArtistCue,
): FoundArtist | null {
  const words = phrase.split(" ");
  for (let len = words.length; len >= 1; len--) {
    if (!anyPrefix && len !== words.length) break;
    const candidate = words.slice(0, len).join(" ");
    // "songs by the sea": stopwords alone name no artist, unless written as a name ("songs by Love").
    const allStop = words.slice(0, len).every((w) => STOPWORDS.has(w));
    if (allStop && !capitalized(s, candidate) && !quoted(s, candidate)) continue;
    const name = s.ctx.findArtist(candidate);
    if (!name) continue;
    if (!cueSuffices(s, candidate, cue)) return null;
    return { name, norm: normName(name), end: offset + candidate.length, text: candidate };
  }
  return null;
}

/** Artists after "by", "from", "of". */
function cuedArtists(s: PlanState): FoundArtist[] {
  const found: FoundArtist[] = [];
  for (const m of s.norm.matchAll(ARTIST_CUE_RE)) {
    const phrase = m[2] as string;
    const offset = m.index + m[0].length - phrase.length;
    // Words an earlier stage took ("harmonic with Creep by Radiohead") name no artist to keep to.
    if (!s.isFree(m.index, m.index + m[0].length)) continue;
    const artist = artistIn(s, phrase, offset, true, m[1] as ArtistCue);
    if (!artist) continue;
    found.push(artist);
    s.claim(m.index, artist.end);
  }
  return found;
}

/**
 * "blink 182 songs", or the whole query, unless its words are all the vocabulary's ("happy songs"); the name may
 * come after words of the vocabulary ("slow Queen songs"), which the later stages then read.
 */
function namedArtist(s: PlanState): FoundArtist | null {
  const suffix = ARTIST_SUFFIX_RE.exec(s.norm);
  const phrase = suffix ? (suffix[1] as string) : s.norm;
  const words = phrase.split(" ");
  const isWord = (w: string) => s.phrases.map.has(w) || STOPWORDS.has(w);
  // Several words that the vocabulary knows ("sad girl songs") are moods; one such word is left to the cue rules.
  if (words.length > 1 && words.every(isWord)) return null;
  // "danceable Nirvana songs", "acoustic Linkin Park": the name may follow words of the vocabulary.
  for (let k = 0; k < words.length; k++) {
    if (k > 0 && !isWord(words[k - 1] as string)) break;
    const offset = words.slice(0, k).join(" ").length + (k > 0 ? 1 : 0);
    // After other words a name is never the whole query: a word-like name needs the suffix cue's capital.
    const cue = suffix || k > 0 ? "suffix" : "whole";
    const artist = artistIn(s, words.slice(k).join(" "), offset, false, cue);
    if (artist) {
      s.claim(offset, phrase.length);
      return artist;
    }
  }
  return null;
}

export function readArtists(s: PlanState): void {
  let found = cuedArtists(s);
  if (found.length === 0) {
    const named = namedArtist(s);
    found = named ? [named] : [];
  }
  if (found.length === 0) return;
  s.plan.constraints.push({
    type: "artist",
    names: found.map((f) => f.name),
    norms: found.map((f) => f.norm),
    label: `by ${found.map((f) => f.name).join(" or ")}`,
    hard: true,
    priority: PRIORITY.artist,
    source: { kind: "word", text: found.map((f) => f.text).join(", ") },
  });
  s.plan.artistCap = null;
}
