/** A plan run to results: retrieve, rank, and relax the weakest hard constraint while too few tracks meet them all. */
import { SpotivecError } from "../domain/errors.js";
import type { Embedder } from "../embed/embedder.js";
import { dot } from "../embed/vectors.js";
import { type Constraint, identifyConstraints, type QueryPlan } from "../query/plan.js";
import { isRelaxable, type Scored, scoreCandidates, shapeResults } from "../rank/rank.js";
import { type LyricsQuery, lyricsQuery } from "./lyrics.js";
import { type PlannedResponse, toResult } from "./results.js";
import { candidateCount, MAX_CANDIDATES, queryVectors, type RetrievalStore, retrieve } from "./retrieve.js";

/** The most relaxations tried before answering with what there is. */
const MAX_RELAXATIONS = 6;

export interface RunOptions {
  limit: number;
  /** Show every version of a song instead of the best one. */
  versions?: boolean;
  /** Ids of plan constraints to leave out (the web page's removed chips); an exact label also works. */
  drop?: string[];
}

/**
 * Removes the constraints named by id (or exact label), each noted in the plan. A name that is not in the plan is a
 * usage error listing the ids there are, so a stale or mistyped `drop` is never silently ignored.
 */
export function dropConstraints(plan: QueryPlan, names: readonly string[]): void {
  const named = (name: string) => (c: Constraint) => c.id === name || c.label === name;
  const unknown = names.filter((name) => !plan.constraints.some(named(name)));
  if (unknown.length > 0) throw unknownDrop(plan, unknown);
  for (const name of new Set(names)) {
    const i = plan.constraints.findIndex(named(name));
    const dropped = plan.constraints[i];
    if (dropped) {
      plan.constraints.splice(i, 1);
      plan.notes.push(`left out "${dropped.label}"`);
    }
  }
}

function unknownDrop(plan: QueryPlan, unknown: readonly string[]): SpotivecError {
  const ids = plan.constraints.map((c) => c.id ?? c.label);
  const list = unknown.map((n) => JSON.stringify(n)).join(", ");
  return new SpotivecError("USAGE", `drop names no constraint of this plan: ${list}`, {
    expected:
      ids.length > 0
        ? `one of the plan's constraint ids: ${ids.join(", ")}`
        : "nothing (the plan has no constraints)",
    got: unknown.join(", "),
    hint:
      ids.length > 0
        ? `Drop one of ${ids.join(", ")} (see plan.constraints), or leave out drop.`
        : "Leave out drop: this query has no constraints to leave out.",
  });
}

/** One retrieval and ranking of the plan as it stands. */
function rankOnce(
  store: RetrievalStore,
  plan: QueryPlan,
  vectors: readonly Float32Array[],
  k: number,
  limit: number,
  lyrics: LyricsQuery | null,
) {
  const { tracks, saturated } = retrieve(store, plan, vectors, k, lyrics);
  return { shaped: shapeResults(scoreCandidates(plan, tracks), plan, limit), saturated };
}

/** The hard constraints that may still be relaxed; a query scoped to the likes answers with the likes there are. */
function relaxable(plan: QueryPlan): Constraint[] {
  return plan.personal?.mode === "scope" ? [] : plan.constraints.filter(isRelaxable);
}

/** The weakest hard constraint becomes a preference, and the plan says so. */
function relaxWeakest(plan: QueryPlan, candidates: readonly Constraint[], found: number): void {
  const weakest = candidates.reduce((a, b) => (b.priority < a.priority ? b : a));
  weakest.hard = false;
  weakest.relaxed = true;
  plan.notes.push(`relaxed "${weakest.label}": only ${found} tracks met every hard constraint`);
}

/** Names, for each result, the two liked songs whose vectors are nearest to it. */
export function explainLikedNear(store: RetrievalStore, liked: readonly number[], results: Scored[]): void {
  const stored = store.vectorsOf([...liked, ...results.map((r) => r.track.rowid)]);
  const likedVectors = store.getTracks(liked).flatMap((t) => {
    const v = stored.get(t.rowid);
    return v ? [{ t, v }] : [];
  });
  for (const r of results) {
    const v = stored.get(r.track.rowid);
    if (!v) continue;
    const near = likedVectors
      .map((x) => ({ name: `${x.t.artists[0] ?? ""} - ${x.t.name}`, sim: dot(v, x.v) }))
      .sort((a, b) => b.sim - a.sim)
      .slice(0, 2)
      .map((x) => x.name);
    r.why.likedNear = near;
    if (near.length > 0) r.why.summary += `; close to your ${near.join(", ")}`;
  }
}

/** Fewer results than asked while an artist is named: say so, since the artist is never relaxed to fill the list. */
function noteArtistShortfall(plan: QueryPlan, found: number, limit: number): void {
  if (found >= limit) return;
  for (const c of plan.constraints) {
    if (c.type !== "artist" || !c.hard || c.exclude) continue;
    plan.notes.push(
      `only ${found} tracks by ${c.names.join(" or ")} meet the query in this catalog: a named artist is never relaxed`,
    );
  }
}

function respond(store: RetrievalStore, plan: QueryPlan, shaped: Scored[], limit: number): PlannedResponse {
  noteArtistShortfall(plan, shaped.length, limit);
  if (plan.personal && plan.personal.mode !== "scope") explainLikedNear(store, plan.personal.liked, shaped);
  return { plan, results: shaped.map((s) => ({ ...toResult(s.track, s.score), why: s.why })) };
}

/** Retrieval and ranking for a plan, relaxing hard constraints when too few tracks meet them all. */
export async function runPlan(
  store: RetrievalStore,
  embedder: Embedder,
  plan: QueryPlan,
  options: RunOptions,
): Promise<PlannedResponse> {
  if (options.versions) plan.collapseVersions = false;
  identifyConstraints(plan);
  dropConstraints(plan, options.drop ?? []);
  const vectors = await queryVectors(store, embedder, plan);
  const lyrics = await lyricsQuery(store, embedder, plan);
  let k = candidateCount(options.limit);
  for (let attempt = 0; ; attempt++) {
    const { shaped, saturated } = rankOnce(store, plan, vectors, k, options.limit, lyrics);
    if (shaped.length < options.limit && saturated && k < MAX_CANDIDATES) {
      // Versions and the artist cap used up the pool: fetch more before giving anything up.
      k = Math.min(MAX_CANDIDATES, k * 4);
      continue;
    }
    const weaker = relaxable(plan);
    if (shaped.length >= options.limit || weaker.length === 0 || attempt >= MAX_RELAXATIONS)
      return respond(store, plan, shaped, options.limit);
    relaxWeakest(plan, weaker, shaped.length);
  }
}
