import type { Command } from "commander";
import { SpotivecError } from "../../domain/errors.js";
import { writeAtomically } from "../../domain/files.js";
import { checkLikesFile, type LikeEntry, parseLikes, resolveLikes } from "../../likes/likes.js";
import {
  checkPlaylistName,
  deletePlaylist,
  diffPlaylists,
  EXPORT_FORMATS,
  type ExportFormat,
  exportFormat,
  exportPlaylist,
  formatOfPath,
  getPlaylist,
  listPlaylists,
  needsEmbedder,
  type Playlist,
  type PlaylistTrack,
  playlistTrack,
  refreshPlaylist,
  savePlaylist,
} from "../../playlists/index.js";
import type { Store } from "../../store/store.js";
import { type CommonOptions, loadEmbedder, openDb, withDb, withJson, withModel } from "../options.js";
import { createUi, type Io, type Ui } from "../ui.js";
import { registerPlaylistPush } from "./playlist-push.js";
import { loadLikes } from "./search.js";

interface ExportFlags extends CommonOptions {
  format?: ExportFormat;
  out?: string;
}

interface RefreshFlags extends CommonOptions {
  likes?: string;
}

const NAME_ARG = ["<name>", "the playlist's name (1 to 100 characters)"] as const;

export function registerPlaylist(program: Command, io: Io): void {
  const playlist = program
    .command("playlist")
    .description("saved playlists: save, list, show, refresh against the catalog, export, delete, push");
  registerList(playlist, io);
  registerShow(playlist, io);
  registerSave(playlist, io);
  registerRefresh(playlist, io);
  registerExport(playlist, io);
  registerDelete(playlist, io);
  registerPlaylistPush(playlist, io);
}

/** Opens the store, runs fn, and closes the store whatever happens. */
async function withStore<T>(
  flags: CommonOptions,
  io: Io,
  access: "read" | "update",
  fn: (store: Store) => T | Promise<T>,
): Promise<T> {
  const store = openDb(flags, io, access);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const minutes = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

function trackLine(ui: Ui, t: PlaylistTrack, i: number, mark = ""): string {
  return `${mark}${String(i + 1).padStart(3)}  ${ui.color.bold(t.name)}  ${t.artists.join(", ")}  ${minutes(t.durationMs)}  ${ui.color.dim(t.id)}`;
}

function describeSource(p: Playlist): string {
  const s = p.source;
  if (s.picked) return "picked by hand";
  const kind = s.plan ? "planned search" : "plain search";
  return s.query ? `${kind} "${s.query}" (limit ${s.limit})` : `filter-only search (limit ${s.limit})`;
}

function registerList(playlist: Command, io: Io): void {
  const cmd = playlist.command("list").description("list the saved playlists");
  withJson(withDb(cmd), "print { playlists: [{ name, tracks, query, updatedAt }] }").action(
    (flags: CommonOptions) =>
      withStore(flags, io, "read", (store) => {
        const ui = createUi(io, { json: flags.json === true });
        const playlists = listPlaylists(store);
        if (ui.json) ui.printJson({ playlists });
        else if (playlists.length === 0)
          ui.out("No playlists yet. Save one with `spotivec search ... --save NAME`.");
        else
          for (const p of playlists)
            ui.out(
              `${ui.color.bold(p.name)}  ${p.tracks} tracks  ${p.query ? `"${p.query}"  ` : ""}${ui.color.dim(`updated ${p.updatedAt}`)}`,
            );
      }),
  );
}

function registerShow(playlist: Command, io: Io): void {
  const cmd = playlist.command("show").description("show a playlist's tracks and the search that made it");
  withJson(withDb(cmd.argument(...NAME_ARG)), "print the playlist as JSON").action(
    (name: string, flags: CommonOptions) =>
      withStore(flags, io, "read", (store) => {
        const ui = createUi(io, { json: flags.json === true });
        const p = getPlaylist(store, name);
        if (ui.json) {
          ui.printJson(p);
          return;
        }
        ui.out(`${ui.color.bold(p.name)}: ${p.tracks.length} tracks, ${describeSource(p)}`);
        ui.out(ui.color.dim(`  created ${p.createdAt}, updated ${p.updatedAt}`));
        for (const [i, t] of p.tracks.entries()) ui.out(trackLine(ui, t, i));
      }),
  );
}

/** Hand-picked tracks: each argument must name exactly one catalog track (or an artist's tracks). */
function resolvePicked(store: Store, args: readonly string[]): PlaylistTrack[] {
  const entries: LikeEntry[] = args.flatMap((t, i) => parseLikes(t, `argument ${i + 1}`, "lines"));
  const { resolutions } = resolveLikes(store, entries);
  const failed = resolutions.filter((r) => r.status !== "matched");
  if (failed.length > 0 || entries.length === 0) {
    const list = failed.map((r) => `${r.entry.raw} (${r.reason ?? r.status})`);
    throw new SpotivecError("NOT_FOUND", "Not every track named is in the catalog; nothing was saved", {
      expected: 'track ids, spotify:track: URIs, open.spotify.com URLs or "Artist - Title" of catalog tracks',
      got: entries.length === 0 ? "no tracks" : list.join("; "),
      hint: "Take ids from `spotivec search`, or spell the artist and title as the catalog does.",
    });
  }
  return resolutions.flatMap((r) => r.tracks.map(playlistTrack));
}

function registerSave(playlist: Command, io: Io): void {
  const cmd = playlist
    .command("save")
    .description('save hand-picked tracks as a playlist (ids, URIs, URLs or "Artist - Title")')
    .argument(...NAME_ARG)
    .argument("<track...>", "the tracks, in order");
  withJson(withDb(cmd), "print the saved playlist as JSON").action(
    (name: string, tracks: string[], flags: CommonOptions) => {
      checkPlaylistName(name);
      return withStore(flags, io, "update", (store) => {
        const ui = createUi(io, { json: flags.json === true });
        const picked = resolvePicked(store, tracks);
        const source = { query: "", limit: picked.length, filters: {}, versions: false, likesFrom: null };
        const p = savePlaylist(store, name, { ...source, plan: null, picked: true }, picked);
        if (ui.json) ui.printJson(p);
        else ui.out(`saved playlist ${JSON.stringify(p.name)} (${p.tracks.length} tracks)`);
      });
    },
  );
}

function registerRefresh(playlist: Command, io: Io): void {
  const cmd = playlist
    .command("refresh")
    .description(
      "run a playlist's search again against the catalog as it is now; reports added and removed tracks",
    )
    .argument(...NAME_ARG)
    .option(
      "--likes <file>",
      "the likes file a personal query was made from (files are not stored; profiles are)",
    );
  withJson(withModel(withDb(cmd)), "print { playlist, added, removed } as JSON").action(
    async (name: string, flags: RefreshFlags) => {
      const ui = createUi(io, { json: flags.json === true });
      const likesFile = flags.likes ? await checkLikesFile(flags.likes) : null;
      await withStore(flags, io, "update", async (store) => {
        const before = getPlaylist(store, name);
        const likes = likesFile ? await loadLikes(store, likesFile, "default", ui) : null;
        const embedder = needsEmbedder(before) ? await loadEmbedder(store, flags, ui, io.env) : null;
        try {
          const after = await refreshPlaylist(store, embedder, name, { likes });
          printRefresh(ui, after, diffPlaylists(before, after));
        } finally {
          await embedder?.close();
        }
      });
    },
  );
}

function printRefresh(
  ui: Ui,
  after: Playlist,
  diff: { added: PlaylistTrack[]; removed: PlaylistTrack[] },
): void {
  if (ui.json) {
    ui.printJson({ playlist: after, added: diff.added, removed: diff.removed });
    return;
  }
  ui.out(
    `refreshed ${JSON.stringify(after.name)}: ${after.tracks.length} tracks, ${diff.added.length} added, ${diff.removed.length} removed`,
  );
  for (const [i, t] of diff.added.entries()) ui.out(trackLine(ui, t, i, ui.color.green("+")));
  for (const [i, t] of diff.removed.entries()) ui.out(trackLine(ui, t, i, ui.color.red("-")));
}

/** What to tell the user when --out cannot be written. */
const OUT_ADVICE = {
  expected: "a writable file in an existing directory",
  hint: "Choose another --out path, or leave --out out to print to stdout.",
};

function registerExport(playlist: Command, io: Io): void {
  const cmd = playlist
    .command("export")
    .description("export a playlist: M3U8 (players), XSPF, CSV (Exportify's columns) or JSON")
    .argument(...NAME_ARG)
    .option(
      "--format <format>",
      `${EXPORT_FORMATS.join(" | ")} (default: from the --out extension, else m3u8)`,
      exportFormat,
    )
    .option("--out <file>", "write to this file (atomically) instead of stdout");
  withJson(
    withDb(cmd),
    "print { name, format, out, bytes } (with --out) or { name, format, content }",
  ).action((name: string, flags: ExportFlags) =>
    withStore(flags, io, "read", (store) => {
      const ui = createUi(io, { json: flags.json === true });
      const format = flags.format ?? (flags.out ? formatOfPath(flags.out) : null) ?? "m3u8";
      const p = getPlaylist(store, name);
      const content = exportPlaylist(p, format);
      if (flags.out) writeAtomically(flags.out, content, OUT_ADVICE);
      if (ui.json)
        ui.printJson(
          flags.out
            ? { name: p.name, format, out: flags.out, bytes: Buffer.byteLength(content) }
            : { name: p.name, format, content },
        );
      else if (flags.out) ui.err(`wrote ${p.tracks.length} tracks to ${flags.out} (${format})`);
      else io.stdout.write(content);
    }),
  );
}

function registerDelete(playlist: Command, io: Io): void {
  const cmd = playlist
    .command("delete")
    .description("delete a playlist")
    .argument(...NAME_ARG);
  withJson(withDb(cmd), "print { name, deleted } as JSON").action((name: string, flags: CommonOptions) =>
    withStore(flags, io, "update", (store) => {
      const ui = createUi(io, { json: flags.json === true });
      if (!deletePlaylist(store, name)) getPlaylist(store, name); // throws NOT_FOUND, listing the names
      if (ui.json) ui.printJson({ name, deleted: true });
      else ui.out(`deleted playlist ${JSON.stringify(name)}`);
    }),
  );
}
