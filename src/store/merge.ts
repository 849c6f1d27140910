import type { TrackRow } from "../domain/track.js";

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
