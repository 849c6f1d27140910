/** "by blink-182", "blink 182 songs", or a query that is just an artist's name: that artist, hard. */
import { normName } from "../../domain/text.js";
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import { STOPWORDS } from "../vocabulary.js";

const ARTIST_CUE_RE =
  /\b(?:by|from|of)\s+(.+?)(?=\s+(?:but|with|without|that|and|in|for|from|songs?|tracks?)\b|$)/g;
const ARTIST_SUFFIX_RE = /^(.+?)\s+(?:songs?|tracks?|music|hits|discography|catalog|catalogue)\b/;

interface FoundArtist {
  name: string;
  norm: string;
  /** Where the words naming it end in the normalized query. */
  end: number;
  text: string;
}

/** The artist named by the phrase (or, with anyPrefix, by its longest leading words that name one). */
function artistIn(s: PlanState, phrase: string, offset: number, anyPrefix: boolean): FoundArtist | null {
  const words = phrase.split(" ");
  for (let len = words.length; len >= 1; len--) {
    if (!anyPrefix && len !== words.length) break;
    if (words.slice(0, len).every((w) => STOPWORDS.has(w))) continue;
    const candidate = words.slice(0, len).join(" ");
    const name = s.ctx.findArtist(candidate);
    if (name) return { name, norm: normName(name), end: offset + candidate.length, text: candidate };
  }
  return null;
}

/** Artists after "by", "from", "of". */
function cuedArtists(s: PlanState): FoundArtist[] {
  const found: FoundArtist[] = [];
  for (const m of s.norm.matchAll(ARTIST_CUE_RE)) {
    const phrase = m[1] as string;
    const offset = m.index + m[0].length - phrase.length;
    const artist = artistIn(s, phrase, offset, true);
    if (!artist) continue;
    found.push(artist);
    s.claim(m.index, artist.end);
  }
  return found;
}

/** "blink 182 songs", or the whole query, unless its words are all the vocabulary's ("happy songs"). */
function namedArtist(s: PlanState): FoundArtist | null {
  const suffix = ARTIST_SUFFIX_RE.exec(s.norm);
  const phrase = suffix ? (suffix[1] as string) : s.norm;
  // A lone word that the vocabulary knows ("happy songs") is a mood, not the artist called Happy.
  const known = phrase.split(" ").every((w) => s.phrases.map.has(w) || STOPWORDS.has(w));
  if (known) return null;
  const artist = artistIn(s, phrase, 0, false);
  if (artist) s.claim(0, phrase.length);
  return artist;
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
