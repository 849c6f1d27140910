/**
 * The HNSW index file beside a database (usearch): `<db>.hnsw`, and `<db>.hnsw.json` saying what it was built from
 * (model, dims, vector count, the database's vector generation, the index file's size). Derived data: built from
 * the database's vectors, checked against it on open, never read for anything the database does not confirm.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { Index, MetricKind, ScalarKind } from "usearch";
import { writeAtomically } from "../../domain/files.js";
import type { ModelInfo } from "../types.js";

/** Bumped when the file's layout or build settings change: older files are rebuilt. */
const FORMAT = 3;

/**
 * Build and search settings (README "Vector search"). f16 vectors halve float32's size at no loss that matters:
 * candidates are rescored with the stored float32 vectors. (usearch's i8 maps [-1, 1] to 255 steps, and the
 * components of a normalized 384-dimension vector are mostly under 0.1: about 25 steps, recall@10 0.88.) Expansion
 * 64 while adding halves the build time of 128 (the build is what a 700K catalog waits for); a wide search makes up
 * for it: text queries land far from the descriptions, and at 114K expansion 256 found 0.957 of the exact top 10,
 * 512 0.963, 1024 0.990 (connectivity 32 was no better at 1024 and took twice as long to build).
 */
export const HNSW_SETTINGS = {
  quantization: ScalarKind.F16,
  connectivity: 16,
  expansionAdd: 64,
  expansionSearch: 1024,
} as const;

/** What an index file was built from. */
export interface HnswHeader {
  format: number;
  library: string;
  model: string;
  dims: number;
  count: number;
  generation: number;
  bytes: number;
  quantization: string;
  connectivity: number;
  expansionAdd: number;
}

/** What the database says the index must match. */
export interface VectorSnapshot extends ModelInfo {
  count: number;
  generation: number;
}

export function headerPath(indexPath: string): string {
  return `${indexPath}.json`;
}

/** Why the file does not match the database, or null when it does. */
export function staleReason(header: HnswHeader | null, want: VectorSnapshot): string | null {
  if (!header) return "no index file";
  if (header.format !== FORMAT) return `index format ${header.format}, this spotivec writes ${FORMAT}`;
  if (header.model !== want.model || header.dims !== want.dims)
    return `index of ${header.model} (${header.dims} dims), database of ${want.model} (${want.dims} dims)`;
  if (header.generation !== want.generation)
    return `index of vector generation ${header.generation}, database at generation ${want.generation}`;
  if (header.count !== want.count) return `index of ${header.count} vectors, database has ${want.count}`;
  return null;
}

export function readHeader(indexPath: string): HnswHeader | null {
  try {
    const header = JSON.parse(readFileSync(headerPath(indexPath), "utf8")) as HnswHeader;
    // A header whose index file is missing or of another size belongs to no index on disk.
    if (!existsSync(indexPath) || statSync(indexPath).size !== header.bytes) return null;
    return header;
  } catch {
    return null;
  }
}

/** An HNSW index over rowid-keyed vectors, cosine distance. */
export class HnswIndex {
  private constructor(
    private readonly index: Index,
    readonly count: number,
  ) {}

  static empty(dims: number): HnswIndex {
    const index = new Index({
      dimensions: dims,
      metric: MetricKind.Cos,
      quantization: HNSW_SETTINGS.quantization,
      connectivity: HNSW_SETTINGS.connectivity,
      expansion_add: HNSW_SETTINGS.expansionAdd,
      expansion_search: HNSW_SETTINGS.expansionSearch,
      multi: false,
    });
    return new HnswIndex(index, 0);
  }

  /** Memory-maps a saved index (pages load as searches touch them). */
  static view(indexPath: string, header: HnswHeader): HnswIndex {
    const index = HnswIndex.empty(header.dims).index;
    index.view(indexPath);
    if (index.size() !== header.count) throw new Error(`${indexPath} holds ${index.size()} vectors`);
    return new HnswIndex(index, header.count);
  }

  /** Adds a batch: keys[i] is the rowid of vectors[i * dims ...]. */
  add(keys: BigUint64Array, vectors: Float32Array): HnswIndex {
    if (keys.length > 0) this.index.add(keys, vectors, 0);
    return new HnswIndex(this.index, this.count + keys.length);
  }

  /** Up to k rowids nearest the vector, nearest first, with their (approximate) cosine distances. */
  search(vector: Float32Array, k: number): Array<{ rowid: number; distance: number }> {
    if (this.count === 0) return [];
    const found = this.index.search(vector, Math.min(k, this.count), 1);
    return Array.from(found.keys, (key, i) => ({
      rowid: Number(key),
      distance: found.distances[i] as number,
    }));
  }

  /**
   * Removes the old header, then writes the index and its new header, each to a temporary file renamed into place:
   * a crash at any point leaves no header (stale, rebuilt) or the complete new pair, never a header that vouches
   * for an index it was not written with.
   */
  save(indexPath: string, snapshot: VectorSnapshot): void {
    const tmp = `${indexPath}.${process.pid}.tmp`;
    try {
      rmSync(headerPath(indexPath), { force: true });
      this.index.save(tmp);
      const bytes = statSync(tmp).size;
      renameSync(tmp, indexPath);
      const header: HnswHeader = {
        format: FORMAT,
        library: "usearch",
        model: snapshot.model,
        dims: snapshot.dims,
        count: snapshot.count,
        generation: snapshot.generation,
        bytes,
        quantization: HNSW_SETTINGS.quantization,
        connectivity: HNSW_SETTINGS.connectivity,
        expansionAdd: HNSW_SETTINGS.expansionAdd,
      };
      writeAtomically(headerPath(indexPath), `${JSON.stringify(header, null, 2)}\n`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}
