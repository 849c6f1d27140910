/**
 * Theme queries over the lyrics enrichment: the asked themes' vectors, the tracks whose lyrics are nearest them (a
 * third candidate channel), and what ranking needs of each candidate's lyrics. Nothing happens for a plan without
 * theme constraints or a catalog without lyrics of the search's model.
 */
import type { Embedder } from "../embed/embedder.js";
import { dot } from "../embed/vectors.js";
import { THEMES, themeVectors } from "../enrich/lyrics/index.js";
import type { QueryPlan, ThemeConstraint } from "../query/plan.js";
import { check, type LyricsFit } from "../rank/rank.js";
import type { ConceptCache, LyricsReader, StoredTrack } from "../store/types.js";

/** The asked themes' vectors, and the model whose lyrics vectors they compare with. */
export interface LyricsQuery {
  model: string;
  themes: ReadonlyMap<string, Float32Array>;
  /** The channel's tracks by k: relaxation retrieves again, the scan of every lyrics vector is done once. */
  nearest: Map<number, number[]>;
  /** Each track's fit once read (null: no lyrics): relaxation ranks mostly the same candidates again. */
  fits: Map<number, LyricsFit | null>;
}

/** A store that may have lyrics (and a concept cache for the theme vectors). */
export type MaybeLyricsStore = Partial<LyricsReader> & Partial<ConceptCache>;

function themeConstraints(plan: QueryPlan): ThemeConstraint[] {
  return plan.constraints.filter((c): c is ThemeConstraint => c.type === "theme");
}

/** The vectors of the plan's themes, or null when it asks none or the catalog has no lyrics of this model. */
export async function lyricsQuery(
  store: MaybeLyricsStore,
  embedder: Embedder,
  plan: QueryPlan,
): Promise<LyricsQuery | null> {
  const asked = new Set(themeConstraints(plan).map((c) => c.theme));
  if (asked.size === 0 || !store.hasLyrics?.(embedder.model)) return null;
  const cache = store.conceptVectors && store.saveConceptVectors ? (store as ConceptCache) : null;
  const themes = await themeVectors(
    embedder,
    cache,
    THEMES.filter((t) => asked.has(t.name)),
  );
  return { model: embedder.model, themes, nearest: new Map(), fits: new Map() };
}

/** The tracks whose lyrics are nearest each asked theme (k per theme). */
export function lyricsChannel(store: MaybeLyricsStore, query: LyricsQuery, k: number): number[] {
  const known = query.nearest.get(k);
  if (known) return known;
  const out = new Set<number>();
  for (const v of query.themes.values())
    for (const hit of store.nearestLyrics?.(v, k, query.model) ?? []) out.add(hit.rowid);
  query.nearest.set(k, [...out]);
  return [...out];
}

/** Tracks from the lyrics channel passed no SQL filter: they must meet every hard constraint here. */
export function meetsHard(plan: QueryPlan, track: StoredTrack): boolean {
  return plan.constraints.every((c) => !c.hard || check(c, track).met);
}

/** Each candidate's lyrics as ranking reads them (tracks without lyrics are left out of the map). */
export function lyricsFits(
  store: MaybeLyricsStore,
  query: LyricsQuery,
  rowids: readonly number[],
): Map<number, LyricsFit> {
  const unread = rowids.filter((r) => !query.fits.has(r));
  if (unread.length > 0 && store.lyricsOf) {
    const read = store.lyricsOf(unread, query.model);
    for (const rowid of unread) {
      const lyrics = read.get(rowid);
      if (!lyrics) {
        query.fits.set(rowid, null);
        continue;
      }
      const similarity: Record<string, number> = {};
      for (const [name, v] of query.themes)
        similarity[name] = Math.round(dot(lyrics.vector, v) * 1000) / 1000;
      query.fits.set(rowid, { themes: lyrics.themes, similarity });
    }
  }
  const out = new Map<number, LyricsFit>();
  for (const rowid of rowids) {
    const fit = query.fits.get(rowid);
    if (fit) out.set(rowid, fit);
  }
  return out;
}
