/**
 * What matching names to tracks (likes, lyrics, tags) reads from the catalog, two ways: straight from the store (a
 * few queries per entry, for short lists) or from an in-memory index built once (for long files: no query per entry).
 */
import { baseTitle, normName } from "../../domain/text.js";
import type { CatalogReader, StoredTrack } from "../types.js";

/** The fields of a catalog track that matching needs. */
export interface MatchTrack {
  rowid: number;
  id: string;
  name: string;
  artists: string[];
  popularity: number;
}

/** A track's names as matching compares them. */
export interface TrackNames {
  /** normName of the title. */
  norm: string;
  /** baseTitle of the title. */
  base: string;
  /** normName of each artist. */
  artists: string[];
}

export interface MatchCatalog<T extends MatchTrack = MatchTrack> {
  trackById(id: string): T | null;
  /** Canonical spelling of an artist whose normalized name is given, or null. */
  findArtist(norm: string): string | null;
  /** Normalized artist names starting with a prefix. */
  artistNamesStartingWith(prefix: string, limit: number): string[];
  /** Tracks of any of these (normalized) artists, most popular first. */
  tracksByArtists(norms: readonly string[], limit: number): T[];
  /** Tracks whose title has every word of this one, best matches first. */
  findTitles(title: string, limit: number): T[];
  names(track: T): TrackNames;
}

export function namesOf(t: { name: string; artists: readonly string[] }): TrackNames {
  return { norm: normName(t.name), base: baseTitle(t.name), artists: t.artists.map(normName) };
}

/** The store as a match catalog: queries per lookup. */
export function storeCatalog(store: CatalogReader): MatchCatalog<StoredTrack> {
  return {
    trackById: (id) => store.trackById(id),
    findArtist: (norm) => store.findArtist(norm),
    artistNamesStartingWith: (prefix, limit) => store.artistNamesStartingWith(prefix, limit),
    tracksByArtists: (norms, limit) =>
      norms.length === 0 ? [] : store.getTracks(store.filterOnly(limit, { artists: [...norms] })),
    findTitles: (title, limit) => store.findTitles(title, limit),
    names: namesOf,
  };
}

/** A catalog track in the index, with its names prepared once. */
interface IndexedTrack extends MatchTrack {
  names: TrackNames;
  /** Words of the normalized title. */
  words: string[];
}

/** Tracks read per query while building the index. */
const BUILD_CHUNK = 2000;

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The whole catalog's names in memory: ids, normalized artists (with their tracks, most popular first) and title
 * words. Memory grows with the catalog, never with the file being matched.
 */
export class CatalogIndex implements MatchCatalog<IndexedTrack> {
  private readonly byId = new Map<string, IndexedTrack>();
  private readonly byArtist = new Map<string, IndexedTrack[]>();
  private readonly spelling = new Map<string, string>();
  private readonly byWord = new Map<string, IndexedTrack[]>();
  private readonly artistNorms: string[];

  /** Reads every track, most popular first, in chunks; `onProgress` gets the count so far. */
  constructor(store: CatalogReader, onProgress?: (done: number, total: number) => void) {
    const rowids = store.filterOnly(Number.MAX_SAFE_INTEGER, {});
    for (let i = 0; i < rowids.length; i += BUILD_CHUNK) {
      for (const t of store.getTracks(rowids.slice(i, i + BUILD_CHUNK))) this.add(t);
      onProgress?.(Math.min(i + BUILD_CHUNK, rowids.length), rowids.length);
    }
    this.artistNorms = [...this.byArtist.keys()].sort();
  }

  private add(t: StoredTrack): void {
    const names = namesOf(t);
    const words = names.norm.split(" ").filter(Boolean);
    const track: IndexedTrack = {
      rowid: t.rowid,
      id: t.id,
      name: t.name,
      artists: t.artists,
      popularity: t.popularity,
      names,
      words,
    };
    this.byId.set(t.id, track);
    names.artists.forEach((norm, i) => {
      const list = this.byArtist.get(norm);
      if (list) {
        if (list[list.length - 1] !== track) list.push(track);
      } else this.byArtist.set(norm, [track]);
      if (!this.spelling.has(norm)) this.spelling.set(norm, t.artists[i] as string);
    });
    for (const w of new Set(words)) {
      const list = this.byWord.get(w);
      if (list) list.push(track);
      else this.byWord.set(w, [track]);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  trackById(id: string): IndexedTrack | null {
    return this.byId.get(id) ?? null;
  }

  findArtist(norm: string): string | null {
    return this.spelling.get(norm) ?? null;
  }

  artistNamesStartingWith(prefix: string, limit: number): string[] {
    const out: string[] = [];
    for (
      let i = lowerBound(this.artistNorms, prefix);
      i < this.artistNorms.length && out.length < limit;
      i++
    ) {
      const n = this.artistNorms[i] as string;
      if (!n.startsWith(prefix)) break;
      out.push(n);
    }
    return out;
  }

  tracksByArtists(norms: readonly string[], limit: number): IndexedTrack[] {
    const lists = norms.flatMap((n) => this.byArtist.get(n) ?? []);
    if (norms.length === 1) return lists.slice(0, limit);
    // Most popular first, as the store orders them (rowid breaks ties).
    return [...new Set(lists)]
      .sort((a, b) => b.popularity - a.popularity || a.rowid - b.rowid)
      .slice(0, limit);
  }

  /** Tracks with every word, shortest titles first (as full-text rank favours them), then most popular. */
  findTitles(title: string, limit: number): IndexedTrack[] {
    const words = [...new Set(normName(title).split(" ").filter(Boolean))];
    if (words.length === 0) return [];
    const lists = words.map((w) => this.byWord.get(w) ?? []);
    const shortest = lists.reduce((a, b) => (b.length < a.length ? b : a));
    const hits = shortest.filter((t) => words.every((w) => t.words.includes(w)));
    return hits.sort((a, b) => a.words.length - b.words.length).slice(0, limit);
  }

  names(track: IndexedTrack): TrackNames {
    return track.names;
  }
}
