import type { Command } from "commander";
import { besideDb } from "../../domain/paths.js";
import { enrichLyrics, type LyricsEnrichSummary } from "../../enrich/lyrics/index.js";
import { checkReadable } from "../../ingest/csv.js";
import { type CommonOptions, resolveDbPath, runWithModel, withDb, withJson, withModel } from "../options.js";
import { createUi, formatDuration, type Io, type Ui } from "../ui.js";

interface EnrichLyricsFlags extends CommonOptions {
  unmatched?: string;
  quiet?: boolean;
  wait?: boolean;
}

function printSummary(ui: Ui, s: LyricsEnrichSummary): void {
  const c = ui.color;
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  ui.out(c.bold(`Lyrics from ${s.file} in ${formatDuration(s.seconds)}`));
  ui.out(
    `  rows: ${s.rows}, matched ${s.matched} (${pct(s.matchRate)}; ${s.fuzzy} by fuzzy spelling), ambiguous ${s.ambiguous}, unmatched ${s.unmatched}, duplicate ${s.duplicate}, invalid ${s.invalid}`,
  );
  ui.out(
    `  tracks given lyrics: ${s.tracks} (every version of each song): ${s.stored} stored, ${s.unchanged} unchanged; ${s.chunks} chunks embedded`,
  );
  ui.out(`  tracks with lyrics in the database: ${s.totalWithLyrics}`);
  ui.out(c.dim(`  rows without lyrics, with reasons: ${s.unmatchedFile}`));
}

/** `spotivec enrich lyrics FILE`: lyrics vectors and theme words for the catalog's tracks (never the text). */
export function registerEnrichLyrics(enrich: Command, io: Io): void {
  const cmd = enrich
    .command("lyrics")
    .description(
      "match a lyrics CSV (artist,song,link,text: the Spotify Million Song Dataset; .gz too) to the catalog and store lyrics vectors and themes (not the text)",
    )
    .argument("<file>", "the lyrics CSV")
    .option("--unmatched <file>", "where to list the rows that gave no lyrics (default: beside the database)")
    .option("--quiet", "no progress output")
    .option("--no-wait", "fail at once (DB_BUSY) when an ingest or enrichment is running on the database");
  withJson(withModel(withDb(cmd)), "print the counts as JSON").action(
    async (file: string, flags: EnrichLyricsFlags) => {
      const ui = createUi(io, { json: flags.json === true, quiet: flags.quiet });
      const dbPath = resolveDbPath(flags, io);
      checkReadable([file]);
      await runWithModel(
        flags,
        io,
        ui,
        (store, embedder) =>
          enrichLyrics({
            file,
            store,
            embedder,
            unmatchedPath: flags.unmatched ?? besideDb(dbPath, "lyrics-unmatched.jsonl"),
            progress: ui.progress,
          }),
        (summary) => printSummary(ui, summary),
      );
    },
  );
}
