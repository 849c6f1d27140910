/**
 * One Parquet file of exported tracks, written in row groups through hyparquet-writer (MIT,
 * https://github.com/hyparam/hyparquet-writer). Columns: `id`, `values` (list of float32) and `metadata` (a JSON
 * string) as Pinecone's bulk import reads them (https://docs.pinecone.io/guides/legacy/vectors-api/import-vectors:
 * other columns are ignored there), then one plain column per track property and field-table field, so DuckDB,
 * LanceDB or pandas can filter without parsing JSON.
 */
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { FIELDS, type FieldSpec, fieldValue } from "../../domain/fields.js";
import { AtomicFile, type UnwritableAdvice } from "../../domain/files.js";
import type { StoredTrack } from "../types.js";
import type { MetadataValue } from "./metadata.js";

/** Rows per row group: encoding a group of 384-dimension vectors takes about 30 KB per row at its peak. */
const ROW_GROUP = 2_000;
/** Bytes gathered before they go to the file. */
const FLUSH_BYTES = 1 << 20;

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

const required = "REQUIRED" as const;
const utf8 = (name: string, repetition: "REQUIRED" | "OPTIONAL" = required): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: repetition,
});
/** A three-level LIST of `element`s, as the Parquet spec writes lists. */
const list = (name: string, element: SchemaElement): SchemaElement[] => [
  { name, repetition_type: required, converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { ...element, name: "element" },
];
const fieldColumn = (f: FieldSpec): SchemaElement => ({
  name: f.name,
  type: f.type === "boolean" ? "BOOLEAN" : f.type === "integer" ? "INT32" : "DOUBLE",
  // An unknown year is null here (the database stores it as 0).
  repetition_type: f.name === "year" ? "OPTIONAL" : required,
});

const SCHEMA_COLUMNS: SchemaElement[][] = [
  [utf8("id")],
  list("values", { name: "element", type: "FLOAT", repetition_type: required }),
  [utf8("metadata")],
  [utf8("name")],
  list("artists", utf8("element")),
  [utf8("album", "OPTIONAL")],
  list("genres", utf8("element")),
  ...FIELDS.map((f) => [fieldColumn(f)]),
];
const SCHEMA: SchemaElement[] = [
  { name: "root", num_children: SCHEMA_COLUMNS.length },
  ...SCHEMA_COLUMNS.flat(),
];
const COLUMN_NAMES = SCHEMA_COLUMNS.map((c) => c[0]?.name as string);

/**
 * Vectors and the JSON are unique per row: no dictionary (its map of every value is what costs memory) and no
 * min/max statistics; byte-stream-split is the Parquet encoding meant for floats.
 */
const COLUMN_OPTIONS: Record<string, { encoding?: "BYTE_STREAM_SPLIT" | "PLAIN"; statistics?: boolean }> = {
  values: { encoding: "BYTE_STREAM_SPLIT", statistics: false },
  metadata: { encoding: "PLAIN", statistics: false },
};

/** A ByteWriter that hands its bytes to the temporary file as they pile up. */
function atomicWriter(file: AtomicFile): ByteWriter {
  const writer = new ByteWriter();
  const grow = writer.ensure.bind(writer);
  const flush = () => {
    file.write(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  writer.ensure = (size: number) => {
    if (writer.index > FLUSH_BYTES) flush();
    grow(size);
  };
  writer.finish = flush;
  return writer;
}

export class ParquetExportFile {
  private readonly file: AtomicFile;
  private readonly writer: ParquetWriter;
  private rows: Array<Record<string, unknown>> = [];

  constructor(path: string, advice: UnwritableAdvice) {
    this.file = new AtomicFile(path, advice);
    this.writer = new ParquetWriter({ writer: atomicWriter(this.file), schema: SCHEMA });
  }

  add(track: StoredTrack, vector: Float32Array, metadata: Record<string, MetadataValue>): void {
    const row: Record<string, unknown> = {
      id: track.id,
      values: Array.from(vector),
      metadata: JSON.stringify(metadata),
      name: track.name,
      artists: track.artists,
      album: track.album,
      genres: track.allGenres,
    };
    for (const f of FIELDS) {
      const v = fieldValue(track, f.name);
      row[f.name] = f.type === "boolean" ? v === 1 : f.name === "year" && track.year === null ? null : v;
    }
    this.rows.push(row);
    if (this.rows.length >= ROW_GROUP) this.writeGroup();
  }

  commit(): void {
    this.writeGroup();
    this.writer.finish();
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private writeGroup(): void {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    const columnData = COLUMN_NAMES.map((name) => ({
      name,
      data: rows.map((r) => r[name]),
      ...COLUMN_OPTIONS[name],
    }));
    this.writer.write({ columnData: columnData as never, rowGroupSize: rows.length });
  }
}
