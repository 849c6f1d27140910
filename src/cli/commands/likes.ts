import type { Command } from "commander";
import { SpotivecError } from "../../domain/errors.js";
import { spotifyUrl } from "../../domain/track.js";
import {
  checkLikesFile,
  type LikedTrack,
  type LikeEntry,
  type LikesFileResult,
  parseLikes,
  type Resolution,
  resolveLikes,
  resolveLikesFile,
} from "../../likes/likes.js";
import { type CommonOptions, openDb, resolveDbPath, withDb, withJson } from "../options.js";
import { createUi, type Io, type Ui } from "../ui.js";

interface LikesFlags extends CommonOptions {
  profile: string;
}

const PROFILE = ["--profile <name>", "likes profile", "default"] as const;

function describeEntry(r: Resolution<LikedTrack>): Record<string, unknown> {
  return {
    line: r.entry.line,
    entry: r.entry.raw,
    status: r.status,
    ...(r.how ? { how: r.how } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    tracks: r.tracks
      .slice(0, 10)
      .map((t) => ({ id: t.id, name: t.name, artists: t.artists, url: spotifyUrl(t.id) })),
  };
}

function printResolutions(ui: Ui, resolutions: readonly Resolution<LikedTrack>[]): void {
  const c = ui.color;
  for (const r of resolutions) {
    if (r.status === "matched") continue;
    const tag = r.status === "ambiguous" ? c.yellow("ambiguous") : c.red(r.status);
    ui.out(`  ${tag}  line ${r.entry.line}: ${r.entry.raw}  ${c.dim(r.reason ?? "")}`);
  }
}

/** The import's --json report. */
function importReport(result: LikesFileResult, profile: string, added: number, total: number) {
  const { counts } = result;
  return {
    profile,
    file: result.file,
    format: result.format,
    entries: result.entries,
    comments: result.comments,
    matched: counts.matched,
    ambiguous: counts.ambiguous,
    unmatched: counts.unmatched,
    invalid: counts.invalid,
    tracks: result.rowids.length,
    added,
    total,
    details: result.details.map(describeEntry),
    detailsLeftOut: result.detailsLeftOut,
  };
}

function printImport(ui: Ui, report: ReturnType<typeof importReport>, result: LikesFileResult): void {
  const r = report;
  const comments = r.comments > 0 ? `; ${r.comments} comment line(s) skipped` : "";
  const invalid = r.invalid > 0 ? `, ${r.invalid} invalid` : "";
  ui.out(
    `${r.file}: ${r.entries} entries, ${r.matched} matched, ${r.ambiguous} ambiguous, ${r.unmatched} unmatched${invalid}${comments}; ${r.added} new likes in profile "${r.profile}" (${r.total} in all)`,
  );
  printResolutions(ui, result.details);
  if (r.detailsLeftOut > 0) ui.out(ui.color.dim(`  ... and ${r.detailsLeftOut} more not listed`));
}

export function registerLikes(program: Command, io: Io): void {
  const likes = program
    .command("likes")
    .description("your liked songs: import them from files, list, remove; several profiles");
  registerImport(likes, io);
  registerList(likes, io);
  registerRemove(likes, io);
  registerProfiles(likes, io);
}

/** The subcommand's --profile, --db and --json. */
function likesOptions(cmd: Command, json: string): Command {
  return withJson(withDb(cmd.option(...PROFILE)), json);
}

function registerImport(likes: Command, io: Io): void {
  const cmd = likes
    .command("import")
    .description(
      "import likes: Artist - Title lines, ids/URIs/URLs, playlist CSVs, YourLibrary.json, Markdown notes",
    )
    .argument("<file>", "the likes file; its format is detected from the extension and content");
  likesOptions(cmd, "print the report as JSON").action(async (file: string, flags: LikesFlags) => {
    const ui = createUi(io, { json: flags.json === true });
    const checked = await checkLikesFile(file);
    const store = openDb(flags, io, "update");
    try {
      requireCatalog(store.stats().tracks, resolveDbPath(flags, io));
      let added = 0;
      // Each batch is committed as it is resolved: an interrupted import keeps what it matched so far.
      const result = await resolveLikesFile(store, checked, {
        progress: ui.progress,
        onBatch: (items) => {
          if (items.length > 0) added += store.addLikes(flags.profile, items);
        },
      });
      ui.stopProgress();
      const report = importReport(result, flags.profile, added, store.likes(flags.profile).length);
      if (ui.json) ui.printJson(report);
      else printImport(ui, report, result);
    } finally {
      ui.stopProgress();
      store.close();
    }
  });
}

function registerList(likes: Command, io: Io): void {
  const cmd = likes.command("list").description("list the liked tracks of a profile");
  likesOptions(cmd, "print as JSON").action((flags: LikesFlags) => {
    const ui = createUi(io, { json: flags.json === true });
    const store = openDb(flags, io, "read");
    try {
      const tracks = store.getTracks(store.likes(flags.profile));
      const rows = tracks.map((t) => ({
        id: t.id,
        name: t.name,
        artists: t.artists,
        genres: t.allGenres,
        url: spotifyUrl(t.id),
      }));
      if (ui.json) ui.printJson({ profile: flags.profile, tracks: rows });
      else if (rows.length === 0)
        ui.out(`No likes in profile "${flags.profile}". Add some with \`spotivec likes import <file>\`.`);
      else for (const r of rows) ui.out(`${r.artists.join(", ")} - ${r.name}  ${ui.color.dim(r.id)}`);
    } finally {
      store.close();
    }
  });
}

function registerRemove(likes: Command, io: Io): void {
  const cmd = likes
    .command("remove")
    .description('remove liked tracks: ids, URIs, URLs or "Artist - Title"')
    .argument("<track...>", "tracks to remove");
  likesOptions(cmd, "print as JSON").action((tracks: string[], flags: LikesFlags) => {
    const ui = createUi(io, { json: flags.json === true });
    const entries: LikeEntry[] = tracks.flatMap((t, i) => parseLikes(t, `argument ${i + 1}`, "lines"));
    const store = openDb(flags, io, "update");
    try {
      const { resolutions } = resolveLikes(store, entries);
      const rowids = resolutions.flatMap((r) => (r.status === "matched" ? r.tracks.map((t) => t.rowid) : []));
      const removed = store.removeLikes(flags.profile, store.versionsOf(rowids));
      if (ui.json) ui.printJson({ profile: flags.profile, removed, details: resolutions.map(describeEntry) });
      else {
        ui.out(`removed ${removed} like(s) from profile "${flags.profile}"`);
        printResolutions(ui, resolutions);
      }
    } finally {
      store.close();
    }
  });
}

function registerProfiles(likes: Command, io: Io): void {
  const cmd = likes.command("profiles").description("list likes profiles and their sizes");
  withJson(withDb(cmd), "print as JSON").action((flags: CommonOptions) => {
    const ui = createUi(io, { json: flags.json === true });
    const store = openDb(flags, io, "read");
    try {
      const profiles = store.likeProfiles();
      if (ui.json) ui.printJson(profiles);
      else if (profiles.length === 0) ui.out("No likes yet.");
      else for (const p of profiles) ui.out(`${p.profile}  ${p.tracks} tracks`);
    } finally {
      store.close();
    }
  });
}

function requireCatalog(tracks: number, db: string): void {
  if (tracks === 0) {
    throw new SpotivecError("EMPTY_STORE", `The database at ${db} has no tracks to match likes against`, {
      expected: "a catalog ingested with `spotivec ingest`",
      got: "an empty database",
      hint: "Ingest a dataset first, or point --db at your database.",
    });
  }
}
