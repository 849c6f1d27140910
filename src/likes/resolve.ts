/** Likes entries resolved against the catalog: each matched, ambiguous or unmatched, with a reason. */
import { normName } from "../domain/text.js";
import {
  type MatchCatalog,
  type MatchTrack,
  matchTrack,
  oneVersionPerSong,
  storeCatalog,
} from "../store/match/index.js";
import type { CatalogReader, StoredTrack } from "../store/types.js";
import type { LikeEntry } from "./parse.js";

export interface Resolution<T extends MatchTrack = StoredTrack> {
  entry: LikeEntry;
  /** "invalid": the entry could not be read (its reason says why); it is reported like an unmatched one. */
  status: "matched" | "ambiguous" | "unmatched" | "invalid";
  /** How it matched: by id, exact artist and title, or fuzzily. */
  how?: "id" | "exact" | "fuzzy" | "artist";
  tracks: T[];
  reason?: string;
}

/** How many of an artist's tracks an artist entry stands for (one version per song, most popular first). */
const ARTIST_TRACKS = 10;

function resolveId<T extends MatchTrack>(
  catalog: MatchCatalog<T>,
  entry: LikeEntry & { kind: "id" },
): Resolution<T> {
  const t = catalog.trackById(entry.id);
  return t
    ? { entry, status: "matched", how: "id", tracks: [t] }
    : { entry, status: "unmatched", tracks: [], reason: `track id ${entry.id} is not in the catalog` };
}

function resolveArtist<T extends MatchTrack>(
  catalog: MatchCatalog<T>,
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

/** One entry resolved against a catalog (the store's, or an in-memory index). */
export function resolveWith<T extends MatchTrack>(catalog: MatchCatalog<T>, entry: LikeEntry): Resolution<T> {
  if (entry.kind === "invalid") return { entry, status: "invalid", tracks: [], reason: entry.reason };
  if (entry.kind === "id") return resolveId(catalog, entry);
  if (entry.kind === "artist") return resolveArtist(catalog, entry);
  return { entry, ...matchTrack(catalog, entry.artist, entry.title) };
}

export function resolveLike(store: CatalogReader, entry: LikeEntry): Resolution {
  return resolveWith(storeCatalog(store), entry);
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
