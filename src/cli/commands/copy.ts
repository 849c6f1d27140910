import type { Command } from "commander";
import { redactSecrets } from "../../domain/db-url.js";
import { copyCatalog } from "../../ingest/copy.js";
import { type CommonOptions, openDb, openDbLocked, withDb, withJson } from "../options.js";
import { createUi, type Io } from "../ui.js";

interface CopyFlags extends CommonOptions {
  wait: boolean;
}

export function registerCopy(program: Command, io: Io): void {
  const cmd = program
    .command("copy")
    .description(
      "copy the catalog with its vectors, likes and playlists into another database (e.g. PostgreSQL), embedding nothing again",
    )
    .argument(
      "<target>",
      "the database to copy into: a postgres:// URL or a SQLite file (created if missing)",
    )
    .option("--no-wait", "fail at once if another ingest holds the target instead of waiting");
  withJson(withDb(cmd), "print a summary as JSON").action(async (target: string, flags: CopyFlags) => {
    const ui = createUi(io, { json: flags.json === true });
    const from = openDb(flags, io, "read");
    try {
      const to = await openDbLocked({ ...flags, db: target }, io, ui, flags.wait);
      try {
        const summary = copyCatalog(from, to, ui.progress);
        ui.stopProgress();
        if (ui.json) {
          ui.printJson({ target: redactSecrets(target), ...summary });
          return;
        }
        const n = (x: number) => x.toLocaleString("en-US");
        ui.out(
          `copied ${n(summary.vectors)} vectors (${summary.model}) into ${redactSecrets(target)} in ${summary.seconds.toFixed(1)} s: ` +
            `${n(summary.tracks.inserted)} tracks added, ${n(summary.tracks.updated)} updated, ${n(summary.tracks.unchanged)} unchanged; ` +
            `${n(summary.likes)} likes, ${summary.playlists} playlists`,
        );
      } finally {
        to.close();
      }
    } finally {
      from.close();
    }
  });
}
