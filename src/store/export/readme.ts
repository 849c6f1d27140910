/**
 * The README written beside an export: how to load the files, with the commands to run.
 *
 * Wrangler syntax: https://developers.cloudflare.com/vectorize/reference/wrangler-commands/ (create, create-metadata-
 * index, insert); metadata indexes must exist before the vectors are inserted, or those vectors are not filterable
 * (https://developers.cloudflare.com/vectorize/reference/metadata-filtering/).
 */
import type { ModelInfo } from "../types.js";
import { MAX_METADATA_INDEXES, VECTORIZE_INDEXED } from "./metadata.js";

export interface ReadmeInput {
  indexName: string;
  model: ModelInfo;
  files: readonly string[];
  vectors: number;
  perFile: number;
}

/** The wrangler commands that create the index and its metadata indexes, then insert every file, in order. */
export function wranglerCommands(input: ReadmeInput): string[] {
  const name = input.indexName;
  return [
    `npx wrangler vectorize create ${name} --dimensions=${input.model.dims} --metric=cosine`,
    ...VECTORIZE_INDEXED.map(
      (p) =>
        `npx wrangler vectorize create-metadata-index ${name} --property-name=${p.name} --type=${p.type}`,
    ),
    ...input.files.map((f) => `npx wrangler vectorize insert ${name} --file=${f}`),
  ];
}

const sameModel = (model: ModelInfo) =>
  `The vectors were built with \`${model.model}\` (${model.dims} dimensions, cosine). Queries must be embedded ` +
  "with that same model (and the same normalization), or their vectors mean nothing to the index: another model " +
  "of the same size, such as Workers AI's `@cf/baai/bge-small-en-v1.5`, gives vectors that cannot be compared " +
  "with these. To query from a Worker with Workers AI, ingest again with a model Workers AI serves " +
  "(`spotivec ingest ... --model Xenova/bge-small-en-v1.5 --reembed`) and export again. The vectors embed the " +
  "tracks' synthesized descriptions: a query against them is spotivec's `search --plain`, without the planner.";

export function vectorizeReadme(input: ReadmeInput): string {
  const props = VECTORIZE_INDEXED.map((p) => `\`${p.name}\` (${p.type})`).join(", ");
  return [
    "# spotivec export for Cloudflare Vectorize",
    "",
    `${input.vectors} vectors in ${input.files.length} NDJSON file(s), at most ${input.perFile} per file (5,000 is ` +
      'the HTTP API\'s upsert batch limit), one `{"id", "values", "metadata"}` per line. Ids are Spotify track ids.',
    "",
    sameModel(input.model),
    "",
    "## Load",
    "",
    "Create the index and its metadata indexes first (vectors inserted before a metadata index exists are not " +
      "filterable on it), then insert each file:",
    "",
    "```sh",
    ...wranglerCommands(input),
    "```",
    "",
    "## Metadata",
    "",
    `Indexed (Vectorize allows ${MAX_METADATA_INDEXES} per index): ${props}. These are the hard filters ` +
      "`spotivec search` offers as options (`--genre`, `--explicit`, the range flags), so a Worker can filter the " +
      "same way inside the query. `genre` is the track's first genre; `genres` lists them all (not indexed). " +
      "Every other feature, the name, artists and album ride along unindexed.",
    "",
    "References: https://developers.cloudflare.com/vectorize/reference/wrangler-commands/, " +
      "https://developers.cloudflare.com/vectorize/platform/limits/",
    "",
  ].join("\n");
}

export function jsonlReadme(input: ReadmeInput): string {
  return [
    "# spotivec export as JSON lines",
    "",
    `${input.vectors} tracks in ${input.files.length} file(s), one \`{"id", "vector", "metadata"}\` per line: ` +
      "`id` is the Spotify track id, `vector` the stored embedding, `metadata` the name, artists, album, genres " +
      "and every audio feature.",
    "",
    sameModel(input.model),
    "",
    "## Loading",
    "",
    "| engine | takes | how |",
    "| --- | --- | --- |",
    "| Pinecone | `{id, values, metadata}` records | rename `vector` to `values`, then `index.upsert(vectors=batch)` (Python SDK) in batches; create the index with dimension " +
      `${input.model.dims} and metric cosine |`,
    "| Qdrant | points `{id, vector, payload}` | ids must be unsigned integers or UUIDs: use a UUID made from the track id (uuid5) and keep the track id in the payload; `client.upsert(collection_name, points=...)` on a collection with `VectorParams(size=" +
      `${input.model.dims}, distance=Distance.COSINE)\` |`,
    '| LanceDB | rows with a `vector` column | `db.create_table("tracks", data=pandas.read_json(file, lines=True))`; the `vector` key is LanceDB\'s default vector column |',
    '| Chroma | `ids`, `embeddings`, `metadatas` | `collection.add(ids=..., embeddings=..., metadatas=...)` per batch on a collection made with `metadata={"hnsw:space": "cosine"}`; turn list values (`artists`, `genres`) into strings where the Chroma version refuses lists |',
    "",
  ].join("\n");
}

export function parquetReadme(input: ReadmeInput): string {
  const d = input.model.dims;
  return [
    "# spotivec export as Parquet",
    "",
    `${input.vectors} tracks in ${input.files.length} Parquet file(s) (snappy), one row per track: \`id\` (the ` +
      "Spotify track id), `values` (the embedding, a list of float32), `metadata` (a JSON string: name, artists, " +
      "album, genres and every audio feature), then the same properties as plain columns (`name`, `artists`, " +
      "`album`, `genres`, and one column per feature; `year` is null when unknown).",
    "",
    sameModel(input.model),
    "",
    "## Loading",
    "",
    "| engine | how |",
    "| --- | --- |",
    "| Pinecone | bulk import from object storage reads `id`, `values` and `metadata` and ignores the other columns: " +
      `upload the files to one directory per namespace and start an import into a dense index of dimension ${d}, ` +
      "metric cosine (https://docs.pinecone.io/guides/legacy/vectors-api/import-vectors) |",
    `| LanceDB | \`t = pyarrow.parquet.read_table(file)\`, cast \`values\` to \`pyarrow.list_(pyarrow.float32(), ${d})\` ` +
      '(LanceDB searches fixed-size lists), then `db.create_table("tracks", t)` and `tbl.search(q, vector_column_name="values")` |',
    `| DuckDB | \`SELECT id, name FROM 'tracks-*.parquet' WHERE energy > 0.8 ORDER BY array_cosine_similarity(values::FLOAT[${d}], $q::FLOAT[${d}]) DESC LIMIT 10\` |`,
    "| pandas / Polars | `pandas.read_parquet(file)` or `polars.read_parquet(file)` |",
    "",
  ].join("\n");
}
