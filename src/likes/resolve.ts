/** Likes entries resolved against the catalog: each matched, ambiguous or unmatched, with a reason. */
import { baseTitle, editDistance, normName } from "../domain/text.js";
import type { CatalogReader, StoredTrack } from "../store/types.js";
import type { LikeEntry } from "./parse.js";

export interface Resolution {
  entry: LikeEntry;
  status: "matched" | "ambiguous" | "unmatched";
  /** How it matched: by id, exact artist and title, or fuzzily. */
  how?: "id" | "exact" | "fuzzy" | "artist";
  tracks: StoredTrack[];
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

/** The most popular version of each song among these tracks. */
function oneVersionPerSong(tracks: readonly StoredTrack[]): StoredTrack[] {
  const best = new Map<string, StoredTrack>();
  for (const t of tracks) {
    const key = `${t.artists.map(normName).sort().join("|")}::${baseTitle(t.name)}`;
    const cur = best.get(key);
    if (!cur || t.popularity > cur.popularity) best.set(key, t);
  }
  return [...best.values()];
}

/** How many of an artist's tracks an artist entry stands for (one version per song, most popular first). */
const ARTIST_TRACKS = 10;

function resolveId(store: CatalogReader, entry: LikeEntry & { kind: "id" }): Resolution {
  const t = store.trackById(entry.id);
  return t
    ? { entry, status: "matched", how: "id", tracks: [t] }
    : { entry, status: "unmatched", tracks: [], reason: `track id ${entry.id} is not in the catalog` };
}

function resolveArtist(store: CatalogReader, entry: LikeEntry & { kind: "artist" }): Resolution {
  const name = store.findArtist(normName(entry.artist));
  if (!name)
    return { entry, status: "unmatched", tracks: [], reason: `no artist "${entry.artist}" in the catalog` };
  const tracks = oneVersionPerSong(
    store.getTracks(store.filterOnly(50, { artists: [normName(name)] })),
  ).slice(0, ARTIST_TRACKS);
  return { entry, status: "matched", how: "artist", tracks };
}

/** The artist as spelled, else names spelled nearly the same (sharing the first two letters). */
function artistSpellings(store: CatalogReader, artist: string): string[] {
  if (store.findArtist(artist)) return [artist];
  return store
    .artistNamesStartingWith(artist.slice(0, 2), 5000)
    .filter((n) => similarity(n, artist) >= FUZZY_THRESHOLD);
}

/** The clearly best fuzzy fits among the candidates, scored on title and artist spelling; [] when none is close. */
function fuzzyMatches(
  candidates: readonly StoredTrack[],
  entry: LikeEntry & { kind: "track" },
): StoredTrack[] {
  const artist = normName(entry.artist);
  const title = normName(entry.title);
  const scored = candidates
    .map((t) => {
      const titleSim = Math.max(
        similarity(baseTitle(t.name), baseTitle(entry.title)),
        similarity(normName(t.name), title),
      );
      const artistSim = Math.max(...t.artists.map((a) => similarity(normName(a), artist)));
      return { t, titleSim, artistSim, score: titleSim + artistSim };
    })
    .filter((s) => s.titleSim >= FUZZY_THRESHOLD && s.artistSim >= FUZZY_THRESHOLD);
  // Only the clearly best fits count: "The Unforgiven" is not made ambiguous by "The Unforgiven II".
  const best = Math.max(...scored.map((s) => s.score));
  return scored.filter((s) => s.score >= best - 0.05).map((s) => s.t);
}

function resolveTrack(store: CatalogReader, entry: LikeEntry & { kind: "track" }): Resolution {
  const artist = normName(entry.artist);
  const title = normName(entry.title);
  if (!artist || !title)
    return { entry, status: "unmatched", tracks: [], reason: "artist or title is empty" };
  const artists = artistSpellings(store, artist);
  const artistTracks = artists.length > 0 ? store.getTracks(store.filterOnly(2000, { artists })) : [];
  const exact = artistTracks.filter((t) => normName(t.name) === title);
  const sameSong =
    exact.length > 0 ? exact : artistTracks.filter((t) => baseTitle(t.name) === baseTitle(entry.title));
  // Right title by a nearly-right artist name is a fuzzy match.
  if (sameSong.length > 0)
    return pick(entry, oneVersionPerSong(sameSong), artists[0] === artist ? "exact" : "fuzzy");

  // Fuzzy: the artist's own tracks and titles sharing words (FTS).
  const close = fuzzyMatches(
    [
      ...artistTracks,
      ...store.findTitles(entry.title, 200),
      ...store.findTitles(baseTitle(entry.title), 200),
    ],
    entry,
  );
  if (close.length === 0) {
    const reason =
      artistTracks.length > 0
        ? `"${entry.artist}" is in the catalog, but not with a title like "${entry.title}"`
        : `no track like "${entry.title}" by an artist like "${entry.artist}"`;
    return { entry, status: "unmatched", tracks: [], reason };
  }
  return pick(entry, oneVersionPerSong(close), "fuzzy");
}

export function resolveLike(store: CatalogReader, entry: LikeEntry): Resolution {
  if (entry.kind === "id") return resolveId(store, entry);
  if (entry.kind === "artist") return resolveArtist(store, entry);
  return resolveTrack(store, entry);
}

function pick(entry: LikeEntry, songs: StoredTrack[], how: "exact" | "fuzzy"): Resolution {
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
  const resolutions = entries.map((e) => resolveLike(store, e));
  const rowids = [
    ...new Set(
      resolutions.filter((r) => r.status === "matched").flatMap((r) => r.tracks.map((t) => t.rowid)),
    ),
  ];
  return { resolutions, rowids };
}
