/** Refreshing a playlist: the stored search run again (planned or plain, same limit, filters and versions). */
import { SpotivecError } from "../domain/errors.js";
import type { Embedder } from "../embed/embedder.js";
import type { QueryPlan } from "../query/plan.js";
import { plannedSearch, search } from "../search/search.js";
import type { Store, StoredTrack } from "../store/types.js";
import { getPlaylist, playlistTrack, putPlaylist } from "./library.js";
import type { Playlist, PlaylistSource, PlaylistTrack } from "./types.js";

export interface Likes {
  tracks: StoredTrack[];
  from: string;
}

export interface RefreshOptions {
  /** Likes for a personal query, given again (a file's likes are not stored); else the recorded profile's. */
  likes?: Likes | null;
}

/** Whether refreshing runs the embedding model: every search with text does; picked and filter-only ones do not. */
export function needsEmbedder(playlist: Playlist): boolean {
  return !playlist.source.picked && playlist.source.query.trim() !== "";
}

/** The profile a likes source names ("profile running"), or null for a file. */
export function likesProfile(from: string): string | null {
  return /^profile (.+)$/.exec(from)?.[1] ?? null;
}

/** The likes a personal query needs: given, else the recorded profile's; a file not given again is an error. */
function likesFor(store: Store, playlist: Playlist, given: Likes | null | undefined): Likes | null {
  const { source } = playlist;
  if (given) return given;
  const from = source.likesFrom ?? source.plan?.personal?.from ?? null;
  if (!source.plan?.personal || from === null) return null;
  const profile = likesProfile(from);
  if (profile === null) {
    throw new SpotivecError(
      "USAGE",
      `Playlist ${JSON.stringify(playlist.name)} was made from the likes in the file ${from}, which is not stored`,
      {
        expected: "the likes file given again",
        got: "no --likes",
        hint: `Run \`spotivec playlist refresh ${JSON.stringify(playlist.name)} --likes ${from}\`, or import the file once with \`spotivec likes import\` and search again with --save.`,
      },
    );
  }
  const rowids = store.likes(profile);
  if (rowids.length === 0) {
    throw new SpotivecError(
      "NOT_FOUND",
      `The likes profile "${profile}" this playlist was made from is empty`,
      {
        expected: `likes in profile "${profile}"`,
        got: "no likes",
        hint: `Import them again with \`spotivec likes import FILE --profile ${profile}\`, or pass --likes FILE.`,
      },
    );
  }
  return { tracks: store.getTracks(rowids), from };
}

/** The stored search run again: its tracks and the plan it ran (null for a plain search). */
async function rerun(
  store: Store,
  embedder: Embedder | null,
  source: PlaylistSource,
  likes: Likes | null,
): Promise<{ ids: string[]; plan: QueryPlan | null }> {
  const text = source.query.trim();
  if (text && !embedder) throw new Error("refreshing a search with text needs an embedder");
  if (source.plan === null || !embedder) {
    const results = await search(store, text ? embedder : null, {
      text,
      filters: source.filters,
      limit: source.limit,
    });
    return { ids: results.map((r) => r.id), plan: null };
  }
  const response = await plannedSearch(store, embedder, {
    text,
    filters: source.filters,
    limit: source.limit,
    versions: source.versions,
    likes,
  });
  return { ids: response.results.map((r) => r.id), plan: response.plan };
}

/** Tracks by id from the catalog; one the catalog no longer has is kept as it was stored (picked playlists). */
function fromCatalog(
  store: Store,
  ids: readonly string[],
  stored: readonly PlaylistTrack[],
): PlaylistTrack[] {
  const before = new Map(stored.map((t) => [t.id, t]));
  return ids.flatMap((id) => {
    const t = store.trackById(id);
    const kept = before.get(id);
    return t ? [playlistTrack(t)] : kept ? [kept] : [];
  });
}

/**
 * Runs a playlist's search again against the catalog as it is now and saves the answer (created time kept).
 * A picked playlist keeps its tracks (their details refreshed from the catalog). A personal query uses the likes
 * given, else the recorded profile's; likes that came from a file must be given again.
 */
export async function refreshPlaylist(
  store: Store,
  embedder: Embedder | null,
  name: string,
  options: RefreshOptions = {},
): Promise<Playlist> {
  const old = getPlaylist(store, name);
  const now = new Date().toISOString();
  if (old.source.picked) {
    const ids = old.tracks.map((t) => t.id);
    return putPlaylist(store, { ...old, tracks: fromCatalog(store, ids, old.tracks), updatedAt: now });
  }
  const likes = likesFor(store, old, options.likes);
  const { ids, plan } = await rerun(store, embedder, old.source, likes);
  const source: PlaylistSource = {
    ...old.source,
    plan,
    likesFrom: plan?.personal ? (likes?.from ?? old.source.likesFrom) : null,
  };
  return putPlaylist(store, { ...old, source, tracks: fromCatalog(store, ids, []), updatedAt: now });
}

/** What a refresh changed: tracks now in the playlist that were not, and tracks no longer in it. */
export function diffPlaylists(
  before: Playlist,
  after: Playlist,
): { added: PlaylistTrack[]; removed: PlaylistTrack[] } {
  const had = new Set(before.tracks.map((t) => t.id));
  const has = new Set(after.tracks.map((t) => t.id));
  return {
    added: after.tracks.filter((t) => !had.has(t.id)),
    removed: before.tracks.filter((t) => !has.has(t.id)),
  };
}
