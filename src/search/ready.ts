import { SpotivecError } from "../domain/errors.js";
import type { Embedder } from "../embed/embedder.js";
import { mismatchError } from "../store/store.js";
import type { CatalogReader, VectorIndex } from "../store/types.js";

/** What searching reads: the catalog and its vectors; the path names the database in errors. */
export type SearchStore = CatalogReader & VectorIndex & { readonly path: string };

/** Fails with what to do when the database has no vectors, or vectors of another model than the embedder's. */
export function requireEmbedded(store: SearchStore, embedder: Embedder): void {
  const stored = store.modelInfo();
  if (!stored || !store.hasVectors()) {
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
