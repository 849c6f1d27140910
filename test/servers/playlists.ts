/** Playlists for the push tests: made-up tracks, saved into a fresh database the way the playlist command does. */
import { join } from "node:path";
import type { Playlist, PlaylistSource, PlaylistTrack } from "../../src/playlists/index.js";
import { savePlaylist } from "../../src/playlists/index.js";
import { openStore } from "../../src/store/store.js";

export function track(id: string, artists: string[], name: string, durationMs = 200_000): PlaylistTrack {
  return {
    id,
    name,
    artists,
    album: null,
    durationMs,
    genres: [],
    releaseDate: null,
    popularity: 50,
    explicit: false,
  };
}

/** n tracks with 22-character ids, in order. */
export function manyTracks(n: number): PlaylistTrack[] {
  return Array.from({ length: n }, (_, i) =>
    track(`t${String(i).padStart(21, "0")}`, [`Artist ${i % 7}`], `Song number ${i}`),
  );
}

export const SOURCE: PlaylistSource = {
  query: "dark techno with high energy",
  limit: 250,
  filters: {},
  versions: false,
  likesFrom: null,
  plan: null,
  picked: false,
};

export function playlistOf(name: string, tracks: PlaylistTrack[]): Playlist {
  const now = new Date().toISOString();
  return { name, source: SOURCE, tracks, createdAt: now, updatedAt: now };
}

/** A database in dir holding one saved playlist; returns its path. */
export function databaseWith(dir: string, name: string, tracks: PlaylistTrack[]): string {
  const db = join(dir, "push.db");
  const store = openStore(db);
  try {
    savePlaylist(store, name, SOURCE, tracks);
  } finally {
    store.close();
  }
  return db;
}
