/** Playlists for the push tests: made-up tracks, saved into a fresh database the way the playlist command does. */
import { join } from "node:path";
import type { Playlist, PlaylistSource, PlaylistTrack } from "../../src/playlists/index.js";
import { savePlaylist } from "../../src/playlists/index.js";
import { openStore } from "../../src/store/store.js";
import type { Song } from "./subsonic.js";

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

/** A music server's library for push tests: exact, live and remastered versions, and a cover by someone else. */
export const LIBRARY_SONGS: Song[] = [
  { id: "s1", title: "Target Lock", artist: "Rodhad", album: "Anxious", duration: 402 },
  {
    id: "s2",
    title: "Three Little Birds",
    artist: "Bob Marley & The Wailers",
    album: "Exodus",
    duration: 180,
  },
  {
    id: "s3",
    title: "Three Little Birds (Live)",
    artist: "Bob Marley & The Wailers",
    album: "Live!",
    duration: 260,
  },
  { id: "s4", title: "HUMBLE.", artist: "Kendrick Lamar", album: "DAMN.", duration: 177 },
  { id: "s5", title: "Pink Moon - Remastered", artist: "Nick Drake", album: "Pink Moon", duration: 125 },
  { id: "s6", title: "Pink Moon", artist: "Someone Else", album: "Covers", duration: 130 },
];

/** Catalog tracks to push to that library: most have a match there, Nuvole Bianche and Angel of Death have none. */
export const LIBRARY_TRACKS = [
  track("0000000000000000000001", ["Rødhåd"], "Target Lock", 402_000),
  track("0000000000000000000004", ["Bob Marley & The Wailers"], "Three Little Birds", 180_000),
  track("0000000000000000000009", ["Ludovico Einaudi"], "Nuvole Bianche", 357_000),
  track("0000000000000000000005", ["Kendrick Lamar"], "HUMBLE.", 177_000),
  track("0000000000000000000007", ["Nick Drake"], "Pink Moon", 125_000),
  track("0000000000000000000006", ["Slayer"], "Angel of Death", 291_000),
];
