/** Likes entries resolved against the catalog: each matched, ambiguous or unmatched, with a reason. */
import { baseTitle, editDistance, normName } from "../domain/text.js";
import type { CatalogReader, StoredTrack } from "../store/types.js";
import { type LikedTrack, type LikesCatalog, storeCatalog } from "./catalog.js";
import type { LikeEntry } from "./parse.js";

export interface Resolution<T extends LikedTrack = StoredTrack> {
  entry: LikeEntry;
  /** "invalid": the entry could not be read (its reason says why); it is reported like an unmatched one. */
  status: "matched" | "ambiguous" | "unmatched" | "invalid";
  /** How it matched: by id, exact artist and title, or fuzzily. */
  how?: "id" | "exact" | "fuzzy" | "artist";
  tracks: T[];
  reason?: string;
}

/** 1 for equal strings, falling to 0 with the share of edits. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}

/** Fuzzy matches need this much similarity of title and of artist. */
export const FUZZY_THRESHOLD = 0.8;

/** similarity(a, b) when it can reach the threshold, else 0 (the lengths alone rule most pairs out). */
function closeness(a: string, b: string): number {
  if (a === b) return 1;
  const n = Math.max(a.length, b.length);
  if (n > 0 && 1 - Math.abs(a.length - b.length) / n < FUZZY_THRESHOLD) return 0;
  return similarity(a, b);
}

/** The most popular version of each song among these tracks. */
function oneVersionPerSong<T extends LikedTrack>(catalog: LikesCatalog<T>, tracks: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const t of tracks) {
    const names = catalog.names(t);
    const key = `${[...names.artists].sort().join("|")}::${names.base}`;
    const cur = best.get(key);
    if (!cur || t.popularity > cur.popularity) best.set(key, t);
  }
  return [...best.values()];
}

/** How many of an artist's tracks an artist entry stands for (one version per song, most popular first). */
const ARTIST_TRACKS = 10;

function resolveId<T extends LikedTrack>(
  catalog: LikesCatalog<T>,
  entry: LikeEntry & { kind: "id" },
): Resolution<T> {
  const t = catalog.trackById(entry.id);
  return t
    ? { entry, status: "matched", how: "id", tracks: [t] }
    : { entry, status: "unmatched", tracks: [], reason: `track id ${entry.id} is not in the catalog` };
}

function resolveArtist<T extends LikedTrack>(
  catalog: LikesCatalog<T>,
  entry: LikeEntry & { kind: "artist" },
): Resolution<T> {
  const name = catalog.findArtist(normName(entry.artist));
  if (!name)
    return { entry, status: "unmatched", tracks: [], reason: `no artist "${entry.artist}" in the catalog` };
  const tracks = oneVersionPerSong(catalog, catalog.tracksByArtists([normName(name)], 50)).slice(
    0,
    ARTIST_TRACKS,
  );
  return { entry, status: "matched", how: "artist", tracks };
}

/** The artist as spelled, else names spelled nearly the same (sharing the first two letters). */
function artistSpellings(catalog: LikesCatalog<LikedTrack>, artist: string): string[] {
  if (catalog.findArtist(artist)) return [artist];
  return catalog
    .artistNamesStartingWith(artist.slice(0, 2), 5000)
    .filter((n) => closeness(n, artist) >= FUZZY_THRESHOLD);
}

/** The clearly best fuzzy fits among the candidates, scored on title and artist spelling; [] when none is close. */
function fuzzyMatches<T extends LikedTrack>(
  catalog: LikesCatalog<T>,
  candidates: readonly T[],
  entry: LikeEntry & { kind: "track" },
): T[] {
  const artist = normName(entry.artist);
  const title = normName(entry.title);
  const base = baseTitle(entry.title);
  const scored = candidates
    .map((t) => {
      const names = catalog.names(t);
      const titleSim = Math.max(closeness(names.base, base), closeness(names.norm, title));
      const artistSim = Math.max(...names.artists.map((a) => closeness(a, artist)));
      return { t, titleSim, artistSim, score: titleSim + artistSim };
    })
    .filter((s) => s.titleSim >= FUZZY_THRESHOLD && s.artistSim >= FUZZY_THRESHOLD);
  // Only the clearly best fits count: "The Unforgiven" is not made ambiguous by "The Unforgiven II".
  const best = Math.max(...scored.map((s) => s.score));
  return scored.filter((s) => s.score >= best - 0.05).map((s) => s.t);
}

function resolveTrack<T extends LikedTrack>(
  catalog: LikesCatalog<T>,
  entry: LikeEntry & { kind: "track" },
): Resolution<T> {
  const artist = normName(entry.artist);
  const title = normName(entry.title);
  if (!artist || !title)
    return { entry, status: "unmatched", tracks: [], reason: "artist or title is empty" };
  const base = baseTitle(entry.title);
  const artists = artistSpellings(catalog as LikesCatalog<LikedTrack>, artist);
  const artistTracks = catalog.tracksByArtists(artists, 2000);
  const exact = artistTracks.filter((t) => catalog.names(t).norm === title);
  const sameSong = exact.length > 0 ? exact : artistTracks.filter((t) => catalog.names(t).base === base);
  // Right title by a nearly-right artist name is a fuzzy match.
  if (sameSong.length > 0)
    return pick(entry, oneVersionPerSong(catalog, sameSong), artists[0] === artist ? "exact" : "fuzzy");

  // Fuzzy: the artist's own tracks and titles sharing words (full-text).
  const close = fuzzyMatches(
    catalog,
    [...artistTracks, ...catalog.findTitles(entry.title, 200), ...catalog.findTitles(base, 200)],
    entry,
  );
  if (close.length === 0) {
    const reason =
      artistTracks.length > 0
        ? `"${entry.artist}" is in the catalog, but not with a title like "${entry.title}"`
        : `no track like "${entry.title}" by an artist like "${entry.artist}"`;
    return { entry, status: "unmatched", tracks: [], reason };
  }
  return pick(entry, oneVersionPerSong(catalog, close), "fuzzy");
}

/** One entry resolved against a likes catalog (the store's, or an in-memory index). */
export function resolveWith<T extends LikedTrack>(catalog: LikesCatalog<T>, entry: LikeEntry): Resolution<T> {
  if (entry.kind === "invalid") return { entry, status: "invalid", tracks: [], reason: entry.reason };
  if (entry.kind === "id") return resolveId(catalog, entry);
  if (entry.kind === "artist") return resolveArtist(catalog, entry);
  return resolveTrack(catalog, entry);
}

export function resolveLike(store: CatalogReader, entry: LikeEntry): Resolution {
  return resolveWith(storeCatalog(store), entry);
}

function pick<T extends LikedTrack>(entry: LikeEntry, songs: T[], how: "exact" | "fuzzy"): Resolution<T> {
  if (songs.length === 1) return { entry, status: "matched", how, tracks: songs };
  const names = songs.slice(0, 4).map((t) => `${t.artists.join(", ")} - ${t.name}`);
  return {
    entry,
    status: "ambiguous",
    how,
    tracks: songs,
    reason: `${songs.length} different songs match: ${names.join("; ")}`,
  };
}

export interface ResolvedLikes {
  resolutions: Resolution[];
  /** Rowids of the matched tracks (ambiguous entries are not counted as likes). */
  rowids: number[];
}

export function resolveLikes(store: CatalogReader, entries: readonly LikeEntry[]): ResolvedLikes {
  const catalog = storeCatalog(store);
  const resolutions = entries.map((e) => resolveWith(catalog, e));
  const rowids = [
    ...new Set(
      resolutions.filter((r) => r.status === "matched").flatMap((r) => r.tracks.map((t) => t.rowid)),
    ),
  ];
  return { resolutions, rowids };
}
