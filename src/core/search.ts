import type { Embedder } from "./embedder.js";
import { SpotivecError } from "./errors.js";
import { normalizeGenre } from "./normalize.js";
import { mismatchError, type Store, type StoredTrack, type TrackFilters } from "./store.js";
import { spotifyUrl } from "./track.js";

export interface SearchRequest {
  text?: string;
  filters: TrackFilters;
  limit: number;
}

export interface SearchResult {
  id: string;
  name: string;
  artists: string[];
  album: string | null;
  genres: string[];
  year: number | null;
  features: {
    popularity: number;
    duration_ms: number;
    explicit: boolean;
    danceability: number;
    energy: number;
    key: number;
    loudness: number;
    mode: number;
    speechiness: number;
    acousticness: number;
    instrumentalness: number;
    liveness: number;
    valence: number;
    tempo: number;
    time_signature: number;
  };
  /** Cosine similarity of the query and the track's description; without a query, popularity / 100. */
  score: number;
  url: string;
}

export function toResult(t: StoredTrack, score: number): SearchResult {
  return {
    id: t.id,
    name: t.name,
    artists: t.artists,
    album: t.album,
    genres: t.allGenres,
    year: t.year,
    features: {
      popularity: t.popularity,
      duration_ms: t.durationMs,
      explicit: t.explicit,
      danceability: t.danceability,
      energy: t.energy,
      key: t.key,
      loudness: t.loudness,
      mode: t.mode,
      speechiness: t.speechiness,
      acousticness: t.acousticness,
      instrumentalness: t.instrumentalness,
      liveness: t.liveness,
      valence: t.valence,
      tempo: t.tempo,
      time_signature: t.timeSignature,
    },
    score: Math.round(score * 10000) / 10000,
    url: spotifyUrl(t.id),
  };
}

/** One spelling per genre: "Drum and Bass" / "drum-and-bass", "R&B" / "r-n-b", "hip hop" / "hip-hop". */
const squash = (s: string) =>
  normalizeGenre(s)
    .replace(/&/g, "n")
    .replace(/[\s_-]+/g, "");

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** Maps what a user typed ("Drum and Bass", "hip hop") onto the catalog's genre labels, or explains the miss. */
export function resolveGenres(wanted: readonly string[], labels: readonly string[]): string[] {
  const bySquashed = new Map<string, string[]>();
  for (const label of labels)
    bySquashed.set(squash(label), [...(bySquashed.get(squash(label)) ?? []), label]);
  return wanted.flatMap((w) => {
    const found = bySquashed.get(squash(w));
    if (found) return found;
    const near = [...labels]
      .sort((a, b) => editDistance(squash(w), squash(a)) - editDistance(squash(w), squash(b)))
      .slice(0, 5);
    throw new SpotivecError("USAGE", `Unknown genre "${w}"`, {
      expected: labels.length > 0 ? "a genre label of the catalog" : "an ingested catalog with genre labels",
      got: `"${w}"${near.length > 0 ? `; closest labels: ${near.join(", ")}` : ""}`,
      hint: "Run `spotivec info --genres` to list the catalog's genres.",
    });
  });
}

/**
 * Vector KNN over descriptions with every filter pushed into the vec0 query, so the k results all satisfy the
 * filters. Without text, the filters alone select tracks, most popular first.
 */
export async function search(
  store: Store,
  embedder: Embedder | null,
  request: SearchRequest,
): Promise<SearchResult[]> {
  const text = request.text?.trim();
  if (text) {
    if (!embedder) throw new Error("search with text needs an embedder");
    const stored = store.modelInfo();
    if (!stored || store.stats().embedded === 0) {
      throw new SpotivecError("EMPTY_STORE", `The database at ${store.path} has no embedded tracks`, {
        expected: "a database filled by `spotivec ingest`",
        got: stored ? "tracks without vectors" : "an empty database",
        hint: "Run `spotivec ingest <dataset.csv>` first, or point --db / SPOTIVEC_DB at your database.",
      });
    }
    if (stored.model !== embedder.model || stored.dims !== embedder.dims) {
      throw mismatchError(store.path, stored, { model: embedder.model, dims: embedder.dims });
    }
    const [vector] = await embedder.embed([text], "query");
    if (!vector) return [];
    const hits = store.knn(vector, request.limit, request.filters);
    const tracks = store.getTracks(hits.map((h) => h.rowid));
    const similarity = new Map(hits.map((h) => [h.rowid, 1 - h.distance]));
    return tracks.map((t) => toResult(t, similarity.get(t.rowid) ?? 0));
  }
  const rowids = store.filterOnly(request.limit, request.filters);
  return store.getTracks(rowids).map((t) => toResult(t, t.popularity / 100));
}
