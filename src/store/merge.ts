import type { ArtistRow, TrackRow } from "../domain/track.js";

/** Same id seen again (the 114K file lists a track once per genre): genres are unioned, popularity is the highest seen. */
export function mergeTrackRows(existing: TrackRow, incoming: TrackRow): TrackRow {
  const genres = [...new Set([...existing.genres, ...incoming.genres])].sort();
  return {
    ...incoming,
    album: incoming.album ?? existing.album,
    releaseDate: incoming.releaseDate ?? existing.releaseDate,
    year: incoming.year ?? existing.year,
    artistIds: incoming.artistIds.length > 0 ? incoming.artistIds : existing.artistIds,
    popularity: Math.max(existing.popularity, incoming.popularity),
    genres,
  };
}

/** The row an upsert writes: the incoming row (its genres deduplicated and sorted), merged into the stored one if any. */
export function upsertedRow(stored: TrackRow | null, incoming: TrackRow): TrackRow {
  return stored
    ? mergeTrackRows(stored, incoming)
    : { ...incoming, genres: [...new Set(incoming.genres)].sort() };
}

/** An artist row's canonical text: an upsert leaves the stored artist alone when it is unchanged. */
export function artistRowJson(a: ArtistRow): string {
  return JSON.stringify([a.id, a.name, a.followers, a.popularity, a.genres]);
}

/** A track's genres: its own labels first (the most specific), then its artists', each once. */
export function allGenresOf(own: readonly string[], artistGenres: readonly string[]): string[] {
  return [...new Set([...own, ...artistGenres])];
}
