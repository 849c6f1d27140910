/**
 * What the page's map and playlist routes ask of the catalog: the energy x valence density, and playlists read on
 * the read connection and written on a writable one, opened only when a write first needs it (serve reads only).
 */
import { SpotivecError } from "../domain/errors.js";
import type { FilterField } from "../domain/fields.js";
import {
  deletePlaylist,
  getPlaylist,
  listPlaylists,
  playlistTrack,
  savePlaylist,
} from "../playlists/index.js";
import type { Playlist, PlaylistSource, PlaylistTrack } from "../playlists/types.js";
import { openStore, type Store } from "../store/store.js";

export interface DensityMap {
  x: FilterField;
  y: FilterField;
  bins: number;
  /** Tracks per cell, [xBin][yBin], each axis over the field's whole range. */
  counts: number[][];
}

export interface PlaylistSummary {
  name: string;
  tracks: number;
  query: string;
  updatedAt: string;
}

/** A playlist picked by hand (the page's selection): catalog track ids in order. */
export interface PickedPlaylist {
  name: string;
  ids: string[];
  query?: string;
}

export interface PlaylistService {
  map(bins: number): Promise<DensityMap>;
  playlists(): Promise<PlaylistSummary[]>;
  /** Throws NOT_FOUND when there is none by that name. */
  playlist(name: string): Promise<Playlist>;
  savePicked(picked: PickedPlaylist): Promise<Playlist>;
  deletePlaylist(name: string): Promise<boolean>;
  close(): void;
}

export const MAP_AXES = { x: "energy", y: "valence" } as const satisfies Record<string, FilterField>;

/**
 * Playlists and the map over `store`. Writes go to `writer()`, called once on the first write; by default a second
 * connection to the same file that may write but never creates it.
 */
export function createPlaylistService(store: Store, writer?: () => Store): PlaylistService {
  let opened: Store | null = null;
  const open =
    writer ?? (() => (store.path === ":memory:" ? store : openStore(store.path, { mustExist: true })));
  const writable = () => {
    opened ??= open();
    return opened;
  };
  return {
    map: async (bins) => ({
      ...MAP_AXES,
      bins,
      counts: store.featureDensity(MAP_AXES.x, MAP_AXES.y, bins),
    }),
    playlists: async () => listPlaylists(store),
    playlist: async (name) => getPlaylist(store, name),
    savePicked: async (picked) => {
      const tracks = pickedTracks(store, picked.ids);
      return savePlaylist(writable(), picked.name, pickedSource(picked, tracks.length), tracks);
    },
    deletePlaylist: async (name) => deletePlaylist(writable(), name),
    close: () => {
      if (opened && opened !== store) opened.close();
      opened = null;
    },
  };
}

/** The catalog tracks for these ids, in order, each once; an id the catalog lacks is a bad request naming it. */
function pickedTracks(store: Store, ids: readonly string[]): PlaylistTrack[] {
  const tracks: PlaylistTrack[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const t = store.trackById(id);
    if (t) tracks.push(playlistTrack(t));
    else missing.push(id);
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(", ") + (missing.length > 5 ? ", ..." : "");
    throw new SpotivecError("BAD_REQUEST", `${missing.length} track id(s) not in the catalog: ${shown}`, {
      expected: "ids of catalog tracks",
      got: shown,
      hint: "Take ids from /api/search results.",
    });
  }
  return tracks;
}

function pickedSource(picked: PickedPlaylist, count: number): PlaylistSource {
  return {
    query: picked.query ?? "",
    limit: count,
    filters: {},
    versions: false,
    likesFrom: null,
    plan: null,
    picked: true,
  };
}
