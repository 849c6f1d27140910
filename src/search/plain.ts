import type { Embedder } from "../embed/embedder.js";
import type { TrackFilters } from "../store/types.js";
import { requireEmbedded, type SearchStore } from "./ready.js";
import { type SearchResult, toResult } from "./results.js";

export interface SearchRequest {
  text?: string;
  filters: TrackFilters;
  limit: number;
}

/**
 * Vector KNN over descriptions with every filter pushed into the vec0 query, so the k results all satisfy the
 * filters. Without text, the filters alone select tracks, most popular first.
 */
export async function search(
  store: SearchStore,
  embedder: Embedder | null,
  request: SearchRequest,
): Promise<SearchResult[]> {
  const text = request.text?.trim();
  if (text) {
    if (!embedder) throw new Error("search with text needs an embedder");
    requireEmbedded(store, embedder);
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
