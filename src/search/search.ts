/** Search: plain filtered KNN, and planned search (plan -> filtered KNN -> ranked, explained results). */
export { resolveGenres } from "./genres.js";
export { GROUNDING_THRESHOLD, groundWords, planContext, warmConceptCache } from "./grounding.js";
export { type SearchRequest, search } from "./plain.js";
export { type PlannedSearchRequest, plannedSearch, similarSearch } from "./planned.js";
export { requireEmbedded, type SearchStore } from "./ready.js";
export { dropConstraints, explainLikedNear, type RunOptions, runPlan } from "./relax.js";
export {
  type FeaturesJson,
  type PlannedResponse,
  type PlannedResult,
  type SearchResult,
  toResult,
} from "./results.js";
export {
  type Candidates,
  candidateCount,
  fitTargets,
  octaveVariants,
  queryVectors,
  type Retrieval,
  type RetrievalStore,
  retrievalFilters,
  retrieve,
} from "./retrieve.js";
export { tasteCentres } from "./taste.js";
