/** A lyrics row's artist and song matched to catalog songs, with likes' matching and two lyrics-specific rules. */
import { baseTitle } from "../../domain/text.js";
import { type MatchCatalog, type MatchTrack, matchTrack, type TrackMatch } from "../../store/match/index.js";

/**
 * Fuzzy title and artist similarity lyrics need: stricter than likes' 0.8, since wrong lyrics mislead every theme
 * query. On the 2,000-row slice against the real 114K catalog, 0.8 let "Children Of The Sea" match Black Sabbath's
 * "Children of the Grave" (0.81); 0.85 keeps "I See A Boat On A River" -> "... on the River" (0.88) and
 * "Juper Jrouper" -> "Super Trouper" (0.85).
 */
export const LYRICS_FUZZY_THRESHOLD = 0.85;

/**
 * Like matchTrack, except that an exact title by the artist found on several catalog "songs" that differ only in
 * their other artists ("America - A Horse with No Name" and "America, George Martin - ...", a remix featuring
 * Boney M.) matches them all: they are one song with one set of lyrics. Different titles stay ambiguous.
 */
export function matchLyricsRow<T extends MatchTrack>(
  catalog: MatchCatalog<T>,
  artist: string,
  song: string,
): TrackMatch<T> {
  const m = matchTrack(catalog, artist, song, { threshold: LYRICS_FUZZY_THRESHOLD });
  if (m.status !== "ambiguous" || m.how !== "exact") return m;
  const base = baseTitle(song);
  const oneSong = m.tracks.every((t) => catalog.names(t).base === base);
  return oneSong ? { status: "matched", how: "exact", tracks: m.tracks } : m;
}
