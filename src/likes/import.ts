/**
 * A likes file resolved as a stream: read in batches, matched against the catalog (an in-memory index for long
 * files), each batch handed on (imports commit it) before the next is read. Memory stays flat: only counts, the
 * matched rowids and a bounded list of details are kept.
 */
import type { ProgressSink } from "../domain/progress.js";
import { silentProgress } from "../domain/progress.js";
import { normName } from "../domain/text.js";
import {
  CatalogIndex,
  type MatchTrack as LikedTrack,
  type MatchCatalog as LikesCatalog,
  storeCatalog,
} from "../store/match/index.js";
import type { CatalogReader } from "../store/types.js";
import type { LikeEntry } from "./parse.js";
import { type LikesScan, type LikesSource, likeItems, openLikes, scanLikes } from "./read.js";
import { type Resolution, resolveWith } from "./resolve.js";

/** Files with more entries than this are matched against an in-memory index of the catalog. */
export const INDEX_THRESHOLD = 1000;

/** Entries per batch (one transaction per batch when importing). */
export const LIKES_BATCH = 5000;

/** Details kept: every entry of the first DETAILS_MAX, then only those not matched, up to DETAILS_MAX more. */
export const DETAILS_MAX = 1000;

/** Resolutions remembered by entry text, so repeated entries are matched once. */
const CACHE_MAX = 50_000;

export type StatusCounts = Record<Resolution["status"], number>;

export interface LikesFileResult {
  file: string;
  format: string;
  entries: number;
  /** Comment lines ("# ...") skipped. */
  comments: number;
  counts: StatusCounts;
  /** Distinct rowids of the matched tracks. */
  rowids: number[];
  details: Resolution<LikedTrack>[];
  /** Details not kept (see DETAILS_MAX). */
  detailsLeftOut: number;
}

export interface LikesFileOptions {
  progress?: ProgressSink;
  /** Called with each batch's matched tracks (entry text and rowid), in file order. */
  onBatch?: (items: Array<{ rowid: number; entry: string }>) => void;
}

/** The cache key of an entry: what decides its resolution, not its line. */
function keyOf(e: LikeEntry): string | null {
  if (e.kind === "id") return `i:${e.id}`;
  if (e.kind === "artist") return `a:${normName(e.artist)}`;
  if (e.kind === "track") return `t:${e.artist}\u0000${e.title}`;
  return null;
}

/** Resolves entries through a bounded memo (oldest dropped first). */
function cachedResolver(catalog: LikesCatalog) {
  const cache = new Map<string, Omit<Resolution<LikedTrack>, "entry">>();
  return (entry: LikeEntry): Resolution<LikedTrack> => {
    const key = keyOf(entry);
    const hit = key === null ? undefined : cache.get(key);
    if (hit) return { ...hit, entry };
    const r = resolveWith(catalog, entry);
    if (key !== null) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      const { entry: _, ...rest } = r;
      cache.set(key, rest);
    }
    return r;
  };
}

/** The catalog to match against: the store itself for short files, else an index built once. */
function catalogFor(store: CatalogReader, entries: number, progress: ProgressSink): LikesCatalog {
  if (entries <= INDEX_THRESHOLD) return storeCatalog(store) as LikesCatalog;
  return new CatalogIndex(store, (done, total) =>
    progress({ phase: "parse", done, total, detail: "indexing the catalog" }),
  );
}

/** A likes file checked and counted, before any database is touched. */
export interface CheckedLikes {
  source: LikesSource;
  scan: LikesScan;
}

/** Opens the file, detects its format and reads it once: a file of the wrong shape fails here. */
export async function checkLikesFile(file: string): Promise<CheckedLikes> {
  const source = openLikes(file);
  return { source, scan: await scanLikes(source) };
}

/** Resolves a checked likes file in batches; see the module comment. */
export async function resolveLikesFile(
  store: CatalogReader,
  { source, scan }: CheckedLikes,
  options: LikesFileOptions = {},
): Promise<LikesFileResult> {
  const progress = options.progress ?? silentProgress;
  const file = source.path;
  const resolve = cachedResolver(catalogFor(store, scan.entries, progress));
  const counts: StatusCounts = { matched: 0, ambiguous: 0, unmatched: 0, invalid: 0 };
  const rowids = new Set<number>();
  const details: Resolution<LikedTrack>[] = [];
  let leftOut = 0;
  let done = 0;
  for await (const items of likeItems(source, LIKES_BATCH)) {
    const added: Array<{ rowid: number; entry: string }> = [];
    for (const item of items) {
      if (item.kind === "comment") continue;
      const r = resolve(item);
      done++;
      counts[r.status]++;
      if (r.status === "matched")
        for (const t of r.tracks) {
          rowids.add(t.rowid);
          added.push({ rowid: t.rowid, entry: item.raw });
        }
      const keep = done <= DETAILS_MAX || (r.status !== "matched" && details.length < 2 * DETAILS_MAX);
      if (keep) details.push(r);
      else leftOut++;
    }
    options.onBatch?.(added);
    progress({ phase: "parse", done, total: scan.entries, detail: file });
  }
  return {
    file,
    format: source.format,
    entries: done,
    comments: scan.comments,
    counts,
    rowids: [...rowids],
    details,
    detailsLeftOut: leftOut,
  };
}
