/** Playlists kept in the database: save (replacing one of the same name), read, list, delete; names checked. */
import { SpotivecError } from "../domain/errors.js";
import type { PlaylistRecord, PlaylistStore, StoredTrack } from "../store/types.js";
import type { Playlist, PlaylistSource, PlaylistTrack } from "./types.js";

/** Longest playlist name, in characters. */
export const MAX_NAME_LENGTH = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A usable playlist name (1..100 characters, no control characters, not only spaces); else a usage error. */
export function checkPlaylistName(name: string): string {
  const length = [...name].length;
  if (name.trim() === "" || length > MAX_NAME_LENGTH || CONTROL.test(name)) {
    throw new SpotivecError("USAGE", "Invalid playlist name", {
      expected: `a name of 1 to ${MAX_NAME_LENGTH} characters, not only spaces, without control characters`,
      got:
        name.trim() === ""
          ? "an empty name"
          : length > MAX_NAME_LENGTH
            ? `${length} characters`
            : JSON.stringify(name),
      hint: 'Choose a shorter, plain name, e.g. "running mix".',
    });
  }
  return name;
}

/** A catalog track as a playlist keeps it. */
export function playlistTrack(t: StoredTrack): PlaylistTrack {
  return {
    id: t.id,
    name: t.name,
    artists: [...t.artists],
    album: t.album,
    durationMs: t.durationMs,
    genres: [...t.allGenres],
    releaseDate: t.releaseDate,
    popularity: t.popularity,
    explicit: t.explicit,
  };
}

function toPlaylist(r: PlaylistRecord): Playlist {
  return {
    name: r.name,
    source: r.source as PlaylistSource,
    tracks: r.tracks as PlaylistTrack[],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Writes the playlist as given (times included). */
export function putPlaylist(store: PlaylistStore, playlist: Playlist): Playlist {
  store.putPlaylist({ ...playlist, query: playlist.source.query });
  return playlist;
}

/** Saves tracks under a name with the search that made them, replacing a playlist of the same name. */
export function savePlaylist(
  store: PlaylistStore,
  name: string,
  source: PlaylistSource,
  tracks: PlaylistTrack[],
): Playlist {
  checkPlaylistName(name);
  const now = new Date().toISOString();
  // One entry per track: a track picked twice is kept where it first appears.
  const seen = new Set<string>();
  const unique = tracks.filter((t) => !seen.has(t.id) && seen.add(t.id));
  return putPlaylist(store, { name, source, tracks: unique, createdAt: now, updatedAt: now });
}

export function notFound(store: PlaylistStore, name: string): SpotivecError {
  const names = store.playlistSummaries().map((p) => p.name);
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n));
  return new SpotivecError("NOT_FOUND", `No playlist named ${JSON.stringify(name)}`, {
    expected: "the name of a saved playlist (names are case-sensitive)",
    got:
      names.length > 0
        ? `playlists ${shown.join(", ")}${names.length > 10 ? ", ..." : ""}`
        : "no playlists yet",
    hint: "See `spotivec playlist list`; save one with `spotivec search ... --save NAME` or `spotivec playlist save NAME ...`.",
  });
}

/** The playlist of that name; NOT_FOUND (listing the names there are) when there is none. */
export function getPlaylist(store: PlaylistStore, name: string): Playlist {
  const record = store.playlistRecord(name);
  if (!record) throw notFound(store, name);
  return toPlaylist(record);
}

export function listPlaylists(
  store: PlaylistStore,
): Array<{ name: string; tracks: number; query: string; updatedAt: string }> {
  return store.playlistSummaries();
}

/** True when a playlist of that name was deleted. */
export function deletePlaylist(store: PlaylistStore, name: string): boolean {
  return store.removePlaylist(name);
}
