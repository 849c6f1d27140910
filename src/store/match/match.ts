/**
 * An artist and a title matched to catalog tracks: exactly, else fuzzily (spelling of both), the artist always
 * required. Shared by likes and enrichment (lyrics); pure over a MatchCatalog.
 */
import { baseTitle, normName, similarity } from "../../domain/text.js";
import type { MatchCatalog, MatchTrack } from "./catalog.js";

export interface TrackMatch<T extends MatchTrack = MatchTrack> {
  status: "matched" | "ambiguous" | "unmatched";
  /** How it matched: exact artist and title, or fuzzily. */
  how?: "exact" | "fuzzy";
  /** One track per song (its most popular version); several when the match is ambiguous. */
  tracks: T[];
  reason?: string;
}

export interface MatchOptions {
  /** Similarity of title and of artist a fuzzy match needs (default FUZZY_THRESHOLD). */
  threshold?: number;
}

/** Fuzzy matches need this much similarity of title and of artist. */
export const FUZZY_THRESHOLD = 0.8;

/** similarity(a, b) when it can reach the threshold, else 0 (the lengths alone rule most pairs out). */
function closeness(a: string, b: string, threshold: number): number {
  if (a === b) return 1;
  const n = Math.max(a.length, b.length);
  if (n > 0 && 1 - Math.abs(a.length - b.length) / n < threshold) return 0;
  return similarity(a, b);
}

/** The most popular version of each song among these tracks. */
export function oneVersionPerSong<T extends MatchTrack>(catalog: MatchCatalog<T>, tracks: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const t of tracks) {
    const names = catalog.names(t);
    const key = `${[...names.artists].sort().join("|")}::${names.base}`;
    const cur = best.get(key);
    if (!cur || t.popularity > cur.popularity) best.set(key, t);
  }
  return [...best.values()];
}

/** The artist as spelled, else names spelled nearly the same (sharing the first two letters). */
function artistSpellings(catalog: MatchCatalog<MatchTrack>, artist: string, threshold: number): string[] {
  if (catalog.findArtist(artist)) return [artist];
  return catalog
    .artistNamesStartingWith(artist.slice(0, 2), 5000)
    .filter((n) => closeness(n, artist, threshold) >= threshold);
}

/** The clearly best fuzzy fits among the candidates, scored on title and artist spelling; [] when none is close. */
function fuzzyMatches<T extends MatchTrack>(
  catalog: MatchCatalog<T>,
  candidates: readonly T[],
  artist: string,
  title: string,
  threshold: number,
): T[] {
  const artistNorm = normName(artist);
  const titleNorm = normName(title);
  const base = baseTitle(title);
  const scored = candidates
    .map((t) => {
      const names = catalog.names(t);
      const titleSim = Math.max(
        closeness(names.base, base, threshold),
        closeness(names.norm, titleNorm, threshold),
      );
      const artistSim = Math.max(...names.artists.map((a) => closeness(a, artistNorm, threshold)));
      return { t, titleSim, artistSim, score: titleSim + artistSim };
    })
    .filter((s) => s.titleSim >= threshold && s.artistSim >= threshold);
  // Only the clearly best fits count: "The Unforgiven" is not made ambiguous by "The Unforgiven II".
  const best = Math.max(...scored.map((s) => s.score));
  return scored.filter((s) => s.score >= best - 0.05).map((s) => s.t);
}

function pick<T extends MatchTrack>(songs: T[], how: "exact" | "fuzzy"): TrackMatch<T> {
  if (songs.length === 1) return { status: "matched", how, tracks: songs };
  const names = songs.slice(0, 4).map((t) => `${t.artists.join(", ")} - ${t.name}`);
  return {
    status: "ambiguous",
    how,
    tracks: songs,
    reason: `${songs.length} different songs match: ${names.join("; ")}`,
  };
}

/** The catalog songs an artist and title name: exact first, then fuzzy; a title by another artist never matches. */
export function matchTrack<T extends MatchTrack>(
  catalog: MatchCatalog<T>,
  artist: string,
  title: string,
  options: MatchOptions = {},
): TrackMatch<T> {
  const threshold = options.threshold ?? FUZZY_THRESHOLD;
  const artistNorm = normName(artist);
  const titleNorm = normName(title);
  if (!artistNorm || !titleNorm)
    return { status: "unmatched", tracks: [], reason: "artist or title is empty" };
  const base = baseTitle(title);
  const artists = artistSpellings(catalog as MatchCatalog<MatchTrack>, artistNorm, threshold);
  const artistTracks = catalog.tracksByArtists(artists, 2000);
  const exact = artistTracks.filter((t) => catalog.names(t).norm === titleNorm);
  const sameSong = exact.length > 0 ? exact : artistTracks.filter((t) => catalog.names(t).base === base);
  // Right title by a nearly-right artist name is a fuzzy match.
  if (sameSong.length > 0)
    return pick(oneVersionPerSong(catalog, sameSong), artists[0] === artistNorm ? "exact" : "fuzzy");

  // Fuzzy: the artist's own tracks and titles sharing words (full-text).
  const close = fuzzyMatches(
    catalog,
    [...artistTracks, ...catalog.findTitles(title, 200), ...catalog.findTitles(base, 200)],
    artist,
    title,
    threshold,
  );
  if (close.length === 0) {
    const reason =
      artistTracks.length > 0
        ? `"${artist}" is in the catalog, but not with a title like "${title}"`
        : `no track like "${title}" by an artist like "${artist}"`;
    return { status: "unmatched", tracks: [], reason };
  }
  return pick(oneVersionPerSong(catalog, close), "fuzzy");
}
