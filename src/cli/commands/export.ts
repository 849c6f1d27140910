import type { Command } from "commander";
import { SpotivecError } from "../../domain/errors.js";
import {
  DEFAULT_PER_FILE,
  EXPORT_FORMATS,
  type ExportFormat,
  exportVectors,
  VECTORIZE_MAX_PER_FILE,
} from "../../store/export/index.js";
import { type CommonOptions, numberOption, openDb, withDb, withJson } from "../options.js";
import { createUi, type Io } from "../ui.js";

interface ExportFlags extends CommonOptions {
  format: string;
  perFile?: number;
  name: string;
  quiet?: boolean;
}

function formatOf(value: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new SpotivecError("USAGE", `Unknown export format "${value}"`, {
    expected: EXPORT_FORMATS.join(" or "),
    got: value,
    hint: "Use --format vectorize for Cloudflare Vectorize, jsonl for Qdrant or Chroma, parquet for Pinecone's bulk import, LanceDB or DuckDB.",
  });
}

function perFileOf(format: ExportFormat, perFile: number | undefined): number {
  if (format === "vectorize" && perFile !== undefined && perFile > VECTORIZE_MAX_PER_FILE) {
    throw new SpotivecError("USAGE", `--per-file ${perFile} is over Vectorize's ${VECTORIZE_MAX_PER_FILE}`, {
      expected: `at most ${VECTORIZE_MAX_PER_FILE} vectors per file for --format vectorize`,
      got: String(perFile),
      hint: `Leave --per-file out (default ${VECTORIZE_MAX_PER_FILE}).`,
    });
  }
  return perFile ?? DEFAULT_PER_FILE[format];
}

export function registerExport(program: Command, io: Io): void {
  const cmd = program
    .command("export")
    .description("write the stored vectors for Cloudflare Vectorize (NDJSON) or other engines (JSON lines)")
    .argument("<out-dir>", "directory for the files and their README (created if missing)")
    .option("--format <format>", `${EXPORT_FORMATS.join(" | ")}`, "vectorize")
    .option(
      "--per-file <n>",
      `vectors per file (default ${VECTORIZE_MAX_PER_FILE} for vectorize, its limit; ${DEFAULT_PER_FILE.jsonl} for jsonl; ${DEFAULT_PER_FILE.parquet} for parquet)`,
      numberOption("--per-file", 1, 1_000_000, true),
    )
    .option("--name <index>", "Vectorize index name in the printed commands", "spotivec")
    .option("--quiet", "no progress output");
  withJson(withDb(cmd), "print a summary as JSON").action((outDir: string, flags: ExportFlags) => {
    const ui = createUi(io, { json: flags.json === true, quiet: flags.quiet });
    const format = formatOf(flags.format);
    const perFile = perFileOf(format, flags.perFile);
    const store = openDb(flags, io, "read");
    try {
      const quiet = ui.json || flags.quiet === true;
      const summary = exportVectors(store, {
        format,
        outDir,
        perFile,
        indexName: flags.name,
        onFile: quiet
          ? undefined
          : (file, n, done, total) =>
              ui.err(`wrote ${file} (${n.toLocaleString("en-US")} vectors; ${done}/${total})`),
      });
      if (ui.json) {
        ui.printJson(summary);
        return;
      }
      ui.out(
        `exported ${summary.vectors.toLocaleString("en-US")} vectors (${summary.dims} dimensions, ${summary.model}) to ${summary.files.length} file(s) in ${outDir}`,
      );
      ui.out(`queries must be embedded with ${summary.model}; see ${outDir}/README.md`);
      if (summary.commands) ui.out(["", "run:", ...summary.commands].join("\n"));
    } finally {
      store.close();
    }
  });
}
