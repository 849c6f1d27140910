import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SpotivecError } from "../../domain/errors.js";
import { AtomicFile, writeAtomically } from "../../domain/files.js";
import type { ModelInfo, Store, StoredTrack } from "../types.js";
import { trackMetadata } from "./metadata.js";
import { ParquetExportFile } from "./parquet.js";
import { jsonlReadme, parquetReadme, type ReadmeInput, vectorizeReadme, wranglerCommands } from "./readme.js";

export { MAX_METADATA_INDEXES, trackMetadata, VECTORIZE_INDEXED } from "./metadata.js";
export { wranglerCommands } from "./readme.js";

export const EXPORT_FORMATS = ["vectorize", "jsonl", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Vectorize's largest upsert batch over the HTTP API, which `wrangler vectorize insert` uses. */
export const VECTORIZE_MAX_PER_FILE = 5000;
/** Vectors per file unless --per-file says otherwise (Parquet files are compact: one file holds the 600K set). */
export const DEFAULT_PER_FILE: Readonly<Record<ExportFormat, number>> = {
  vectorize: VECTORIZE_MAX_PER_FILE,
  jsonl: 50_000,
  parquet: 1_000_000,
};
const PAGE = 500;

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  /** Vectors per file (vectorize: at most 5,000). */
  perFile: number;
  /** The Vectorize index name used in the commands. */
  indexName: string;
  /** Told after each file is complete. */
  onFile?: (file: string, vectors: number, done: number, total: number) => void;
}

export interface ExportSummary {
  format: ExportFormat;
  outDir: string;
  files: string[];
  vectors: number;
  dims: number;
  model: string;
  readme: string;
  /** The wrangler commands to run (vectorize only). */
  commands?: string[];
}

const FILE_NAMES: Record<ExportFormat, { prefix: string; ext: string }> = {
  vectorize: { prefix: "vectors", ext: "ndjson" },
  jsonl: { prefix: "tracks", ext: "jsonl" },
  parquet: { prefix: "tracks", ext: "parquet" },
};

function fileName(format: ExportFormat, n: number): string {
  const { prefix, ext } = FILE_NAMES[format];
  return `${prefix}-${String(n).padStart(4, "0")}.${ext}`;
}

/** What to tell the user when an export file cannot be written. */
const EXPORT_ADVICE = {
  expected: "a directory spotivec may create and write to",
  hint: "Choose another OUT_DIR.",
};

function unwritable(path: string, cause: unknown): SpotivecError {
  return new SpotivecError(
    "FILE_UNWRITABLE",
    `Cannot write ${path}`,
    { ...EXPORT_ADVICE, got: cause instanceof Error ? cause.message : String(cause) },
    { cause },
  );
}

/** One export file being written: text lines, or Parquet row groups. */
interface ExportFile {
  add(track: StoredTrack, vector: Float32Array): void;
  commit(): void;
  abort(): void;
}

function openExportFile(format: ExportFormat, path: string): ExportFile {
  if (format === "parquet") {
    const file = new ParquetExportFile(path, EXPORT_ADVICE);
    return {
      add: (track, vector) => file.add(track, vector, trackMetadata(track)),
      commit: () => file.commit(),
      abort: () => file.abort(),
    };
  }
  const file = new AtomicFile(path, EXPORT_ADVICE);
  return {
    add(track, vector) {
      const [id, values, metadata] = [track.id, Array.from(vector), trackMetadata(track)];
      const row = format === "vectorize" ? { id, values, metadata } : { id, vector: values, metadata };
      file.write(`${JSON.stringify(row)}\n`);
    },
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}

/** The model and vector count, or EMPTY_STORE when nothing is embedded. */
function modelOf(store: Pick<Store, "modelInfo" | "stats">): { model: ModelInfo; total: number } {
  const model = store.modelInfo();
  const total = store.stats().embedded;
  if (!model || total === 0) {
    throw new SpotivecError("EMPTY_STORE", `No vectors to export in ${store.stats().tracks} tracks`, {
      expected: "a database with embedded tracks",
      got: model ? "no embedded tracks" : "no embedding model yet",
    });
  }
  return { model, total };
}

/** Removes files of this format's naming left by an earlier, larger export into the same directory. */
function removeStale(format: ExportFormat, outDir: string, written: ReadonlySet<string>): void {
  const { prefix, ext } = FILE_NAMES[format];
  const pattern = new RegExp(`^${prefix}-\\d{4,}\\.${ext}$`);
  for (const name of readdirSync(outDir)) {
    if (pattern.test(name) && !written.has(name)) rmSync(join(outDir, name), { force: true });
  }
}

/** Writes the vector files and the README into outDir (created if missing); returns what was written. */
export function exportVectors(
  store: Pick<Store, "modelInfo" | "stats" | "vectorPage">,
  options: ExportOptions,
): ExportSummary {
  const { format, outDir, perFile } = options;
  const { model, total } = modelOf(store);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (cause) {
    throw unwritable(outDir, cause);
  }
  const files: string[] = [];
  let file: ExportFile | null = null;
  let inFile = 0;
  let vectors = 0;
  const close = () => {
    if (!file) return;
    file.commit();
    options.onFile?.(files[files.length - 1] as string, inFile, vectors, total);
    file = null;
    inFile = 0;
  };
  try {
    for (let after: number | null = 0; after !== null; ) {
      const page = store.vectorPage(after, PAGE);
      for (const { track, vector } of page.items) {
        if (!file) {
          files.push(fileName(format, files.length + 1));
          file = openExportFile(format, join(outDir, files[files.length - 1] as string));
        }
        file.add(track, vector);
        inFile++;
        vectors++;
        if (inFile >= perFile) close();
      }
      after = page.next;
    }
    close();
  } catch (e) {
    (file as ExportFile | null)?.abort();
    throw e;
  }
  removeStale(format, outDir, new Set(files));
  const input: ReadmeInput = { indexName: options.indexName, model, files, vectors, perFile };
  writeAtomically(
    join(outDir, "README.md"),
    { vectorize: vectorizeReadme, jsonl: jsonlReadme, parquet: parquetReadme }[format](input),
    EXPORT_ADVICE,
  );
  return {
    format,
    outDir,
    files,
    vectors,
    dims: model.dims,
    model: model.model,
    readme: "README.md",
    ...(format === "vectorize" ? { commands: wranglerCommands(input) } : {}),
  };
}
