/** Planned search: text -> QueryPlan -> hard filters in the KNN -> fused ranking -> explained results. */
import type { Embedder } from "../embed/embedder.js";
import { optionConstraints, planQuery, similarPlan } from "../query/plan.js";
import type { ConceptCache, StoredTrack, TrackFilters } from "../store/types.js";
import { planContext } from "./grounding.js";
import { requireEmbedded, type SearchStore } from "./ready.js";
import { type RunOptions, runPlan } from "./relax.js";
import type { PlannedResponse } from "./results.js";

export interface PlannedSearchRequest extends RunOptions {
  text: string;
  /** Filters from command-line options: hard, never relaxed. */
  filters: TrackFilters;
  /** The listener's liked tracks (resolved), for personal queries. */
  likes?: { tracks: StoredTrack[]; from: string } | null;
}

export async function plannedSearch(
  store: SearchStore & ConceptCache,
  embedder: Embedder,
  request: PlannedSearchRequest,
): Promise<PlannedResponse> {
  requireEmbedded(store, embedder);
  const plan = await planQuery(request.text, planContext(store, embedder, request.likes ?? null), {
    optionConstraints: optionConstraints(request.filters),
  });
  return runPlan(store, embedder, plan, request);
}

/** Nearest tracks to one track: its genres and mood held, its sound and text embedding ranked. */
export async function similarSearch(
  store: SearchStore,
  embedder: Embedder,
  track: StoredTrack,
  request: Omit<PlannedSearchRequest, "text">,
): Promise<PlannedResponse> {
  requireEmbedded(store, embedder);
  const plan = similarPlan(track);
  plan.constraints.push(...optionConstraints(request.filters));
  return runPlan(store, embedder, plan, request);
}
