import type { Command } from "commander";
import { redactSecrets } from "../../domain/db-url.js";
import { type CommonOptions, openDb, resolveDbPath, withDb, withJson } from "../options.js";
import { createUi, type Io } from "../ui.js";

interface InfoFlags extends CommonOptions {
  genres?: boolean;
}

export function registerInfo(program: Command, io: Io): void {
  const cmd = program
    .command("info")
    .description("show what the database holds: tracks, vectors, model, genres, lyrics, LLM tags")
    .option("--genres", "list every genre label");
  withJson(withDb(cmd), "print as JSON").action((flags: InfoFlags) => {
    const ui = createUi(io, { json: flags.json === true });
    const store = openDb(flags, io, "read");
    try {
      const stats = store.stats();
      const genres = flags.genres ? store.genreLabels() : undefined;
      const llmTags = store.taggedCounts();
      // Tracks with lyrics vectors of the database's model (`spotivec enrich lyrics`).
      const lyrics = stats.model ? store.lyricsCount(stats.model.model) : 0;
      const vectorIndex = store.indexState?.() ?? null;
      if (ui.json) {
        ui.printJson({
          db: redactSecrets(resolveDbPath(flags, io)),
          ...stats,
          llmTags,
          lyrics,
          vectorIndex,
          ...(genres ? { genreLabels: genres } : {}),
        });
        return;
      }
      ui.out(`database  ${redactSecrets(resolveDbPath(flags, io))}`);
      ui.out(
        `model     ${stats.model ? `${stats.model.model} (${stats.model.dims} dimensions)` : "none yet"}`,
      );
      ui.out(
        `tracks    ${stats.tracks.toLocaleString("en-US")} (${stats.embedded.toLocaleString("en-US")} embedded)`,
      );
      ui.out(`artists   ${stats.artists.toLocaleString("en-US")}`);
      ui.out(`genres    ${stats.genres.toLocaleString("en-US")}`);
      for (const t of llmTags) ui.out(`LLM tags  ${t.tracks.toLocaleString("en-US")} tracks (${t.model})`);
      ui.out(`lyrics    ${lyrics.toLocaleString("en-US")} tracks`);
      if (vectorIndex)
        ui.out(
          `search    ${vectorIndex.mode === "hnsw" ? "HNSW index" : "exact scan"}: ${vectorIndex.reason}`,
        );
      if (genres) ui.out(genres.join("\n"));
    } finally {
      store.close();
    }
  });
}
