import { SpotivecError } from "../domain/errors.js";
import { editDistance } from "../domain/text.js";
import { spotifyUrl } from "../domain/track.js";
import type { Embedder } from "../embed/embedder.js";
import { normalizeGenre } from "../ingest/normalize.js";
import {
  type Constraint,
  type Grounding,
  groundingConcepts,
  identifyConstraints,
  normQuery,
  optionConstraints,
  type PlanContext,
  planQuery,
  type QueryPlan,
  type RangeConstraint,
  similarPlan,
} from "../query/plan.js";
import { check, fieldScale, type Scored, scoreCandidates, shapeResults, type Why } from "../rank/rank.js";
import {
  type FeatureTarget,
  type FilterField,
  mismatchError,
  type Range,
  type Store,
  type StoredTrack,
  type TrackFilters,
} from "../store/store.js";

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

// ---------------------------------------------------------------------------------------------------------------
// Planned search: text -> QueryPlan -> hard filters in the KNN -> fused ranking -> explained results.

export interface PlannedResult extends SearchResult {
  why: Why;
}

export interface PlannedResponse {
  plan: QueryPlan;
  results: PlannedResult[];
}

export interface PlannedSearchRequest {
  text: string;
  /** Filters from command-line options: hard, never relaxed. */
  filters: TrackFilters;
  limit: number;
  /** Show every version of a song instead of the best one. */
  versions?: boolean;
  /** The listener's liked tracks (resolved), for personal queries. */
  likes?: { tracks: StoredTrack[]; from: string } | null;
  /** Ids of plan constraints to leave out (the web page's removed chips); an exact label also works. */
  drop?: string[];
}

/**
 * Cosine similarity at or above which an unknown word is taken to mean a vocabulary concept. Measured with
 * all-MiniLM-L6-v2 on single words: 0.55 keeps rainy->gloomy (0.56), sunshine->cheerful (0.57),
 * soulful->soul (0.74) and drops smooth->hardstyle (0.52), groovy->grunge (0.50).
 */
export const GROUNDING_THRESHOLD = 0.55;

/**
 * Candidates fetched per KNN before ranking; the hard filters already hold for all of them. sqlite-vec's cost
 * grows with k (at 114K: k=10 45 ms, k=200 120 ms, k=800 217 ms), so the pool is a small multiple of the limit.
 */
export function candidateCount(limit: number): number {
  return Math.min(4096, Math.max(limit * 8, 100));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function normalize(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

/** Unknown words -> nearest concept of the vocabulary, when close enough. Concept vectors are cached in the store. */
export async function groundWords(
  store: Store,
  embedder: Embedder,
  labels: readonly string[],
  words: string[],
): Promise<Grounding[]> {
  const concepts = groundingConcepts(labels);
  const cached = store.conceptVectors(embedder.model);
  const missing = concepts.filter((c) => !cached.has(c));
  if (missing.length > 0) {
    const fresh = new Map<string, Float32Array>();
    for (let i = 0; i < missing.length; i += 64) {
      const batch = missing.slice(i, i + 64);
      const vectors = await embedder.embed(batch, "document");
      batch.forEach((c, j) => {
        fresh.set(c, vectors[j] as Float32Array);
      });
    }
    for (const [c, v] of fresh) cached.set(c, v);
    try {
      store.saveConceptVectors(embedder.model, fresh);
    } catch {
      // A read-only database still answers; it only recomputes next time.
    }
  }
  const vectors = await embedder.embed(words, "query");
  const out: Grounding[] = [];
  words.forEach((word, i) => {
    const v = vectors[i];
    if (!v) return;
    let best: Grounding | null = null;
    for (const concept of concepts) {
      const cv = cached.get(concept);
      if (!cv || normQuery(concept) === word) continue;
      const similarity = dot(v, cv);
      if (!best || similarity > best.similarity) best = { word, concept, similarity };
    }
    if (best && best.similarity >= GROUNDING_THRESHOLD) out.push(best);
  });
  return out;
}

export function planContext(
  store: Store,
  embedder: Embedder | null,
  liked: { tracks: StoredTrack[]; from: string } | null = null,
): PlanContext {
  const genreLabels = store.genreLabels();
  return {
    liked,
    versionsOf: (rowids) => store.versionsOf(rowids),
    genreLabels,
    hasYears: store.hasYears(),
    findArtist: (norm) => store.findArtist(norm),
    findTitles: (title, limit) => store.findTitles(title, limit),
    artistTracks: (norm, limit) => store.getTracks(store.filterOnly(limit, { artists: [norm] })),
    profile: (filters) => store.profile(filters),
    ground: embedder ? (words) => groundWords(store, embedder, genreLabels, words) : undefined,
  };
}

interface Retrieval {
  base: TrackFilters;
  octave: RangeConstraint[];
  post: Constraint[];
}

/** Hard constraints become SQL filters pushed into the KNN; the rest (exclusions, half/double tempo) apply after. */
export function retrievalFilters(plan: QueryPlan): Retrieval {
  const ranges: Partial<Record<FilterField, Range>> = {};
  const octave: RangeConstraint[] = [];
  const post: Constraint[] = [];
  let wordGenres: string[] | null = null;
  let optionGenres: string[] | null = null;
  let artists: string[] | undefined;
  let explicit: boolean | undefined;
  let rowids: number[] | undefined;
  for (const c of plan.constraints) {
    if (!c.hard) continue;
    switch (c.type) {
      case "range": {
        if (c.octave) {
          octave.push(c);
          break;
        }
        const r = ranges[c.field] ?? {};
        if (c.min !== undefined) r.min = r.min === undefined ? c.min : Math.max(r.min, c.min);
        if (c.max !== undefined) r.max = r.max === undefined ? c.max : Math.min(r.max, c.max);
        ranges[c.field] = r;
        break;
      }
      case "genre":
        if (c.exclude) post.push(c);
        else if (c.source.kind === "option") optionGenres = [...(optionGenres ?? []), ...c.labels];
        // Several genres named in words mean any of them ("jazz and blues").
        else wordGenres = [...new Set([...(wordGenres ?? []), ...c.labels])];
        break;
      case "artist":
        if (c.exclude) post.push(c);
        else artists = [...(artists ?? []), ...c.norms];
        break;
      case "explicit":
        explicit = c.value;
        break;
      case "liked":
        if (c.exclude) post.push(c);
        else rowids = rowids ? rowids.filter((r) => c.rowids.includes(r)) : [...c.rowids];
        break;
      default:
        post.push(c);
    }
  }
  let genres: string[] | undefined;
  if (wordGenres && optionGenres) {
    const both = wordGenres.filter((g) => optionGenres?.includes(g));
    genres = both.length > 0 ? both : optionGenres;
  } else genres = wordGenres ?? optionGenres ?? undefined;
  return { base: { ranges, genres, artists, explicit, rowids }, octave, post };
}

/** Filter variants for half/double-time tempo: one KNN per band, merged. */
function octaveVariants(base: TrackFilters, octave: readonly RangeConstraint[]): TrackFilters[] {
  let variants: TrackFilters[] = [base];
  for (const c of octave) {
    const next: TrackFilters[] = [];
    for (const v of variants) {
      for (const factor of [1, 0.5, 2]) {
        const own = v.ranges?.[c.field] ?? {};
        const min = Math.max(own.min ?? -Infinity, c.min === undefined ? -Infinity : c.min * factor);
        const max = Math.min(own.max ?? Infinity, c.max === undefined ? Infinity : c.max * factor);
        if (min > max || min > 300 || max < 1) continue;
        next.push({
          ...v,
          ranges: {
            ...v.ranges,
            [c.field]: {
              min: Number.isFinite(min) ? min : undefined,
              max: Number.isFinite(max) ? max : undefined,
            },
          },
        });
      }
    }
    variants = next;
  }
  return variants;
}

function mean(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0]?.length ?? 0);
  for (const v of vectors) for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (v[i] ?? 0);
  return normalize(sum);
}

/**
 * A taste as several centres: k-means (cosine) over the liked tracks' vectors, so a listener of emo and house is
 * not served the average of the two. Deterministic: seeded with the farthest-first traversal.
 */
export function tasteCentres(vectors: readonly Float32Array[], maxCentres = 4): Float32Array[] {
  if (vectors.length === 0) return [];
  const k = Math.min(maxCentres, Math.max(1, Math.round(vectors.length / 6)));
  const centres: Float32Array[] = [vectors[0] as Float32Array];
  while (centres.length < k) {
    let far = vectors[0] as Float32Array;
    let farSim = Number.POSITIVE_INFINITY;
    for (const v of vectors) {
      const sim = Math.max(...centres.map((c) => dot(c, v)));
      if (sim < farSim) {
        farSim = sim;
        far = v;
      }
    }
    centres.push(far);
  }
  for (let iter = 0; iter < 10; iter++) {
    const groups: Float32Array[][] = centres.map(() => []);
    for (const v of vectors) {
      let best = 0;
      for (let c = 1; c < centres.length; c++)
        if (dot(centres[c] as Float32Array, v) > dot(centres[best] as Float32Array, v)) best = c;
      groups[best]?.push(v);
    }
    groups.forEach((g, c) => {
      if (g.length > 0) centres[c] = mean(g);
    });
  }
  return centres;
}

/** What the candidates are compared with: the query text, a reference, or the centres of a taste. */
async function queryVectors(store: Store, embedder: Embedder, plan: QueryPlan): Promise<Float32Array[]> {
  const stored = (rowids: readonly number[]) =>
    rowids.map((r) => store.vectorOf(r)).filter((v): v is Float32Array => v !== null);
  if (plan.personal?.mode === "taste") return tasteCentres(stored(plan.personal.liked));
  if (plan.reference && plan.reference.rowids.length > 0) {
    const vectors = stored(plan.reference.rowids);
    if (vectors.length > 0) return [mean(vectors)];
  }
  if (!plan.semanticText) return [];
  const [v] = await embedder.embed([plan.semanticText], "query");
  return v ? [v] : [];
}

function requireEmbedded(store: Store, embedder: Embedder): void {
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
}

/** Tracks taken from the constraint-fit channel per KNN variant. */
const FIT_CANDIDATES = 60;

/** The ideals of the plan's feature constraints, as targets the store can order by. */
export function fitTargets(plan: QueryPlan): FeatureTarget[] {
  const out: FeatureTarget[] = [];
  for (const c of plan.constraints) {
    if (c.type !== "range" || c.ideal === undefined || c.octave || c.source.kind === "option") continue;
    const direction =
      c.min !== undefined && c.max !== undefined ? "near" : c.min !== undefined ? "high" : "low";
    out.push({
      field: c.field,
      value: c.ideal,
      direction,
      scale: fieldScale(c.field),
      weight: c.hard ? 1 : c.priority >= 4 ? 0.7 : 0.4,
    });
  }
  return out;
}

/** Names, for each result, the two liked songs whose vectors are nearest to it. */
function explainLikedNear(store: Store, liked: readonly number[], results: Scored[]): void {
  const likedTracks = store.getTracks(liked);
  const likedVectors = likedTracks
    .map((t) => ({ t, v: store.vectorOf(t.rowid) }))
    .filter((x) => x.v !== null);
  for (const r of results) {
    const v = store.vectorOf(r.track.rowid);
    if (!v) continue;
    const near = likedVectors
      .map((x) => ({ name: `${x.t.artists[0] ?? ""} - ${x.t.name}`, sim: dot(v, x.v as Float32Array) }))
      .sort((a, b) => b.sim - a.sim)
      .slice(0, 2)
      .map((x) => x.name);
    r.why.likedNear = near;
    if (near.length > 0) r.why.summary += `; close to your ${near.join(", ")}`;
  }
}

/** The most relaxations tried before answering with what there is. */
const MAX_RELAXATIONS = 6;

export async function plannedSearch(
  store: Store,
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
  store: Store,
  embedder: Embedder,
  track: StoredTrack,
  request: Omit<PlannedSearchRequest, "text">,
): Promise<PlannedResponse> {
  requireEmbedded(store, embedder);
  const plan = similarPlan(track);
  plan.constraints.push(...optionConstraints(request.filters));
  return runPlan(store, embedder, plan, { ...request, text: "" });
}

/** Retrieval and ranking for a plan, relaxing hard constraints when too few tracks meet them all. */
export async function runPlan(
  store: Store,
  embedder: Embedder,
  plan: QueryPlan,
  request: PlannedSearchRequest,
): Promise<PlannedResponse> {
  if (request.versions) plan.collapseVersions = false;
  identifyConstraints(plan);
  for (const name of request.drop ?? []) {
    const i = plan.constraints.findIndex((c) => c.id === name || c.label === name);
    const dropped = plan.constraints[i];
    if (dropped) {
      plan.constraints.splice(i, 1);
      plan.notes.push(`left out "${dropped.label}"`);
    }
  }
  const vectors = await queryVectors(store, embedder, plan);

  let k = candidateCount(request.limit);
  for (let attempt = 0; ; attempt++) {
    const { base, octave, post } = retrievalFilters(plan);
    const found = new Map<number, number | null>();
    /** Whether some KNN came back full: more tracks match than were fetched. */
    let saturated = false;
    const targets = fitTargets(plan);
    for (const [variant, filters] of octaveVariants(base, octave).entries()) {
      const rowids: Array<[number, number | null]> = [];
      // Half/double-time bands come through the fit channel alone: one vector scan per search, not one per band.
      const scan = variant === 0;
      if (vectors.length === 0 && scan)
        for (const rowid of store.filterOnly(k, filters)) rowids.push([rowid, null]);
      for (const v of scan ? vectors : []) {
        const hits = store.knn(v, k, filters);
        if (hits.length >= k) saturated = true;
        for (const hit of hits) rowids.push([hit.rowid, 1 - hit.distance]);
      }
      if (scan && vectors.length === 0 && rowids.length >= k) saturated = true;
      // Second channel: the tracks that fit the constraints best, whatever the words' similarity.
      if (targets.length > 0 || !scan) {
        const closest = store.closestTo(FIT_CANDIDATES, filters, targets);
        // Their similarity from their stored vectors: a KNN restricted to them would still scan every vector.
        for (const rowid of closest) {
          const v = vectors.length > 0 ? store.vectorOf(rowid) : null;
          rowids.push([rowid, v ? Math.max(...vectors.map((q) => dot(v, q))) : null]);
        }
      }
      for (const [rowid, sim] of rowids) {
        const prev = found.get(rowid);
        found.set(rowid, sim === null ? (prev ?? null) : Math.max(sim, prev ?? -1));
      }
    }
    const tracks = store.getTracks([...found.keys()]).filter((t) => post.every((c) => check(c, t).met));
    const scored = scoreCandidates(
      plan,
      tracks.map((track) => ({ track, similarity: found.get(track.rowid) ?? null })),
    );
    const shaped = shapeResults(scored, plan, request.limit);
    if (shaped.length < request.limit && saturated && k < 4096) {
      // Versions and the artist cap used up the pool: fetch more before giving anything up.
      k = Math.min(4096, k * 4);
      continue;
    }
    // A query scoped to the likes answers with the likes there are, never with others.
    const relaxable =
      plan.personal?.mode === "scope"
        ? []
        : plan.constraints.filter((c) => c.hard && c.priority < 100 && c.type !== "not_song");
    if (shaped.length >= request.limit || relaxable.length === 0 || attempt >= MAX_RELAXATIONS) {
      if (plan.personal && plan.personal.mode !== "scope")
        explainLikedNear(store, plan.personal.liked, shaped);
      return {
        plan,
        results: shaped.map((s) => ({ ...toResult(s.track, s.score), why: s.why })),
      };
    }
    // Too few: the weakest hard constraint becomes a preference, and the plan says so.
    const weakest = relaxable.reduce((a, b) => (b.priority < a.priority ? b : a));
    weakest.hard = false;
    weakest.relaxed = true;
    plan.notes.push(`relaxed "${weakest.label}": only ${shaped.length} tracks met every hard constraint`);
  }
}
