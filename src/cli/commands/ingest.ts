import type { Command } from "commander";
import { rejectsPathFor } from "../../domain/paths.js";
import { checkReadable } from "../../ingest/csv.js";
import { ingest } from "../../ingest/pipeline.js";
import { warmConceptCache } from "../../search/search.js";
import {
  type CommonOptions,
  numberOption,
  resolveDbPath,
  runWithModel,
  withDb,
  withJson,
  withModel,
} from "../options.js";
import { createUi, type Io, printIngestSummary, printRejection } from "../ui.js";

interface IngestFlags extends CommonOptions {
  strict?: boolean;
  reembed?: boolean;
  batchSize?: number;
  quiet?: boolean;
  wait?: boolean;
}

export function registerIngest(program: Command, io: Io): void {
  const cmd = program
    .command("ingest")
    .description(
      "read Spotify CSVs (114K dataset.csv, 600K tracks.csv / artists.csv; .gz too) into the database",
    )
    .argument("<file...>", "CSV files; the layout of each is detected from its header")
    .option("--reembed", "rebuild every vector with --model, replacing those of another model")
    .option("--strict", "stop at the first bad row instead of skipping it")
    .option(
      "--batch-size <n>",
      "descriptions per embedding batch",
      numberOption("--batch-size", 1, 1024, true),
      64,
    )
    .option("--quiet", "no progress output")
    .option(
      "--no-wait",
      "fail at once (DB_BUSY) when another ingest is running on the database, instead of waiting",
    );
  withJson(withModel(withDb(cmd), "build"), "print a machine-readable summary on stdout").action(
    async (files: string[], flags: IngestFlags) => {
      const ui = createUi(io, { json: flags.json === true, quiet: flags.quiet });
      const dbPath = resolveDbPath(flags, io);
      checkReadable(files);
      await runWithModel(
        flags,
        io,
        ui,
        async (store, embedder) => {
          const stored = store.modelInfo();
          if (flags.reembed && stored && (stored.model !== embedder.model || stored.dims !== embedder.dims)) {
            store.resetVectors({ model: embedder.model, dims: embedder.dims });
          }
          const summary = await ingest({
            files,
            store,
            embedder,
            rejectsPath: rejectsPathFor(dbPath),
            strict: flags.strict,
            embedBatch: flags.batchSize,
            progress: ui.progress,
            onReject: flags.json || flags.quiet ? undefined : (r) => printRejection(ui, r),
          });
          // Searches open the database read-only: the vectors grounding compares unknown words with are made now.
          await warmConceptCache(store, embedder);
          return summary;
        },
        (summary) => printIngestSummary(ui, summary),
      );
    },
  );
}
