/**
 * Retrieval for one attempt at a plan: hard constraints become filters inside the KNN, and two channels bring
 * candidates, the tracks nearest the query vectors and the tracks that fit the feature constraints best.
 */
import { type FilterField, field } from "../domain/fields.js";
import type { Embedder } from "../embed/embedder.js";
import { dot, mean } from "../embed/vectors.js";
import type { Constraint, QueryPlan, RangeConstraint } from "../query/plan.js";
import type { Candidate } from "../rank/rank.js";
import { check, fieldScale, fitWeight } from "../rank/rank.js";
import type { CatalogReader, FeatureTarget, Range, TrackFilters, VectorIndex } from "../store/types.js";
import { type LyricsQuery, lyricsChannel, lyricsFits, type MaybeLyricsStore, meetsHard } from "./lyrics.js";
import { tasteCentres } from "./taste.js";

/** The most candidates one KNN fetches. */
export const MAX_CANDIDATES = 4096;

/** Tracks taken from the constraint-fit channel per KNN variant. */
const FIT_CANDIDATES = 60;

/**
 * Candidates fetched per KNN before ranking; the hard filters already hold for all of them. sqlite-vec's cost
 * grows with k (at 114K: k=10 45 ms, k=200 120 ms, k=800 217 ms), so the pool is a small multiple of the limit.
 */
export function candidateCount(limit: number): number {
  return Math.min(MAX_CANDIDATES, Math.max(limit * 8, 100));
}

export interface Retrieval {
  /** Filters every KNN of the attempt runs with. */
  base: TrackFilters;
  /** Tempo ranges that also accept half and double time: one filter variant per band. */
  octave: RangeConstraint[];
  /** Hard constraints SQL cannot express (exclusions), checked on the candidates. */
  post: Constraint[];
}

/** Genres named in words narrow the genre options when they overlap them; otherwise the options hold. */
function mergeGenres(words: string[] | null, options: string[] | null): string[] | undefined {
  if (words && options) {
    const both = words.filter((g) => options.includes(g));
    return both.length > 0 ? both : options;
  }
  return words ?? options ?? undefined;
}

/** The intersection of two ranges of one field. */
function narrow(r: Range, c: RangeConstraint): Range {
  const out = { ...r };
  if (c.min !== undefined) out.min = out.min === undefined ? c.min : Math.max(out.min, c.min);
  if (c.max !== undefined) out.max = out.max === undefined ? c.max : Math.min(out.max, c.max);
  return out;
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
      case "range":
        if (c.octave) octave.push(c);
        else ranges[c.field] = narrow(ranges[c.field] ?? {}, c);
        break;
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
  const genres = mergeGenres(wordGenres, optionGenres);
  return { base: { ranges, genres, artists, explicit, rowids }, octave, post };
}

/** Filter variants for half/double-time tempo: one per band (the plain band first), merged by the caller. */
export function octaveVariants(base: TrackFilters, octave: readonly RangeConstraint[]): TrackFilters[] {
  let variants: TrackFilters[] = [base];
  for (const c of octave) {
    const next: TrackFilters[] = [];
    for (const v of variants) {
      for (const factor of [1, 0.5, 2]) {
        const own = v.ranges?.[c.field] ?? {};
        const min = Math.max(own.min ?? -Infinity, c.min === undefined ? -Infinity : c.min * factor);
        const max = Math.min(own.max ?? Infinity, c.max === undefined ? Infinity : c.max * factor);
        // An empty band, or one wholly outside the field's values, is no variant.
        if (min > max || min > field(c.field).max || max < 1) continue;
        const band = {
          min: Number.isFinite(min) ? min : undefined,
          max: Number.isFinite(max) ? max : undefined,
        };
        next.push({ ...v, ranges: { ...v.ranges, [c.field]: band } });
      }
    }
    variants = next;
  }
  return variants;
}

/** The ideals of the plan's feature constraints, as targets the store can order by. */
export function fitTargets(plan: QueryPlan): FeatureTarget[] {
  const out: FeatureTarget[] = [];
  for (const c of plan.constraints) {
    if (c.type !== "range" || c.ideal === undefined || c.octave || c.source.kind === "option") continue;
    const direction =
      c.min !== undefined && c.max !== undefined ? "near" : c.min !== undefined ? "high" : "low";
    out.push({ field: c.field, value: c.ideal, direction, scale: fieldScale(c.field), weight: fitWeight(c) });
  }
  return out;
}

/** What retrieval reads: the catalog, the KNN and stored vectors, and lyrics where the catalog has them. */
export type RetrievalStore = CatalogReader & Pick<VectorIndex, "knn" | "vectorsOf"> & MaybeLyricsStore;

/** What the candidates are compared with: the query text, a reference, or the centres of a taste. */
export async function queryVectors(
  store: Pick<VectorIndex, "vectorsOf">,
  embedder: Embedder,
  plan: QueryPlan,
): Promise<Float32Array[]> {
  const stored = (rowids: readonly number[]) => {
    const found = store.vectorsOf(rowids);
    return rowids.flatMap((r) => found.get(r) ?? []);
  };
  if (plan.personal?.mode === "taste") return tasteCentres(stored(plan.personal.liked));
  if (plan.reference && plan.reference.rowids.length > 0) {
    const vectors = stored(plan.reference.rowids);
    if (vectors.length > 0) return [mean(vectors)];
  }
  if (!plan.semanticText) return [];
  const [v] = await embedder.embed([plan.semanticText], "query");
  return v ? [v] : [];
}

/** A candidate rowid and its similarity to the query, null where nothing was compared. */
type Hit = [rowid: number, similarity: number | null];

/** The k tracks nearest any query vector; without vectors, the k most popular tracks that pass the filters. */
function similarityChannel(
  store: RetrievalStore,
  vectors: readonly Float32Array[],
  k: number,
  filters: TrackFilters,
) {
  const hits: Hit[] = [];
  /** Whether some KNN came back full: more tracks match than were fetched. */
  let saturated = false;
  if (vectors.length === 0) {
    for (const rowid of store.filterOnly(k, filters)) hits.push([rowid, null]);
    saturated = hits.length >= k;
  }
  for (const v of vectors) {
    const found = store.knn(v, k, filters);
    if (found.length >= k) saturated = true;
    for (const hit of found) hits.push([hit.rowid, 1 - hit.distance]);
  }
  return { hits, saturated };
}

/** The tracks that fit the constraints best, whatever the words' similarity. */
function fitChannel(
  store: RetrievalStore,
  vectors: readonly Float32Array[],
  filters: TrackFilters,
  targets: readonly FeatureTarget[],
): Hit[] {
  // Their similarity from their stored vectors: a KNN restricted to them would still scan every vector.
  const rowids = store.closestTo(FIT_CANDIDATES, filters, targets);
  const stored = vectors.length > 0 ? store.vectorsOf(rowids) : new Map<number, Float32Array>();
  return rowids.map((rowid): Hit => [rowid, similarityTo(vectors, stored.get(rowid))]);
}

export interface Candidates {
  /** Every candidate that passes the hard constraints, with its best similarity to the query (and its lyrics). */
  tracks: Candidate[];
  /** Whether a larger k would have found more: the pool may be too small, not the catalog. */
  saturated: boolean;
}

/** A stored vector's similarity to the nearest query vector (null without one). */
function similarityTo(vectors: readonly Float32Array[], v: Float32Array | undefined): number | null {
  return v && vectors.length > 0 ? Math.max(...vectors.map((q) => dot(v, q))) : null;
}

/**
 * The candidates of one attempt: both channels over every filter variant, merged, post-filtered; with a lyrics
 * query, the tracks whose lyrics are nearest its themes too (held to every hard constraint) and each one's lyrics.
 */
export function retrieve(
  store: RetrievalStore,
  plan: QueryPlan,
  vectors: readonly Float32Array[],
  k: number,
  lyrics: LyricsQuery | null = null,
): Candidates {
  const { base, octave, post } = retrievalFilters(plan);
  const targets = fitTargets(plan);
  const found = new Map<number, number | null>();
  let saturated = false;
  for (const [variant, filters] of octaveVariants(base, octave).entries()) {
    // Half/double-time bands come through the fit channel alone: one vector scan per search, not one per band.
    const scan = variant === 0;
    const near = scan ? similarityChannel(store, vectors, k, filters) : { hits: [], saturated: false };
    saturated ||= near.saturated;
    const fit = targets.length > 0 || !scan ? fitChannel(store, vectors, filters, targets) : [];
    for (const [rowid, sim] of [...near.hits, ...fit]) {
      const prev = found.get(rowid);
      found.set(rowid, sim === null ? (prev ?? null) : Math.max(sim, prev ?? -1));
    }
  }
  const tracks = store.getTracks([...found.keys()]).filter((t) => post.every((c) => check(c, t).met));
  const viaLyrics = new Set<number>();
  if (lyrics) {
    const extra = lyricsChannel(store, lyrics, k).filter((r) => !found.has(r));
    const stored = vectors.length > 0 ? store.vectorsOf(extra) : new Map<number, Float32Array>();
    for (const t of store.getTracks(extra)) {
      if (!meetsHard(plan, t)) continue;
      tracks.push(t);
      viaLyrics.add(t.rowid);
      found.set(t.rowid, similarityTo(vectors, stored.get(t.rowid)));
    }
  }
  const fits = lyrics
    ? lyricsFits(
        store,
        lyrics,
        tracks.map((t) => t.rowid),
      )
    : null;
  return {
    tracks: tracks.map((track) => ({
      track,
      similarity: found.get(track.rowid) ?? null,
      ...(fits ? { lyrics: fits.get(track.rowid) ?? null } : {}),
      ...(viaLyrics.has(track.rowid) ? { viaLyrics: true } : {}),
    })),
    saturated,
  };
}
