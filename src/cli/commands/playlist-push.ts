import { spawn } from "node:child_process";
import type { Command } from "commander";
import { SpotivecError } from "../../domain/errors.js";
import { getPlaylist, type Playlist } from "../../playlists/index.js";
import {
  pushToSpotify,
  pushToSubsonic,
  type SpotifyPushResult,
  type SubsonicPushResult,
} from "../../playlists/push/index.js";
import { type CommonOptions, numberOption, openDb, withDb, withJson } from "../options.js";
import { createUi, type Io, type Ui } from "../ui.js";

interface PushFlags extends CommonOptions {
  spotify?: boolean;
  clientId?: string;
  port?: number;
  timeout?: number;
  browser: boolean;
  subsonic?: string;
  user?: string;
}

/** Opens a URL in the user's browser ($BROWSER, else the platform's opener); a failure only means no browser. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const [cmd, args] = env.BROWSER
    ? [env.BROWSER, [url]]
    : process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No browser here: the URL is printed for the user to open.
  }
}

/** The Subsonic password: SPOTIVEC_SUBSONIC_PASSWORD, else typed at a prompt (not echoed) on a terminal. */
async function subsonicPassword(io: Io): Promise<string> {
  const fromEnv = io.env.SPOTIVEC_SUBSONIC_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!process.stdin.isTTY || io.stderr.isTTY !== true)
    throw new SpotivecError("USAGE", "No Subsonic password", {
      expected: "SPOTIVEC_SUBSONIC_PASSWORD, or a terminal to type it at",
      got: "neither",
      hint: "Set SPOTIVEC_SUBSONIC_PASSWORD, or run the push in a terminal.",
    });
  io.stderr.write("Subsonic password: ");
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return await new Promise<string>((resolve, reject) => {
    let typed = "";
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      io.stderr.write("\n");
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003")
          return done(() => reject(new SpotivecError("USAGE", "Password prompt cancelled", {})));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** --spotify or --subsonic, exactly one, with what each needs. */
function checkTarget(flags: PushFlags, io: Io): "spotify" | "subsonic" {
  if (flags.spotify === true && flags.subsonic !== undefined)
    throw new SpotivecError("USAGE", "Push to one service at a time", {
      expected: "--spotify or --subsonic URL",
      got: "both",
    });
  if (flags.spotify === true) {
    if (!(flags.clientId ?? io.env.SPOTIVEC_SPOTIFY_CLIENT_ID))
      throw new SpotivecError("USAGE", "No Spotify client id", {
        expected: "--client-id ID or SPOTIVEC_SPOTIFY_CLIENT_ID",
        got: "neither",
        hint: "Create an app at https://developer.spotify.com/dashboard (redirect URI http://127.0.0.1/callback, Web API) and give its Client ID.",
      });
    return "spotify";
  }
  if (flags.subsonic !== undefined) {
    if (!/^https?:\/\/[^/]+/i.test(flags.subsonic))
      throw new SpotivecError("USAGE", "Invalid Subsonic server URL", {
        expected: "an http(s) URL, e.g. https://music.example.org",
        got: `"${flags.subsonic}"`,
      });
    if (!flags.user)
      throw new SpotivecError("USAGE", "No Subsonic user", { expected: "--user NAME", got: "none" });
    return "subsonic";
  }
  throw new SpotivecError("USAGE", "Where to push?", {
    expected: "--spotify or --subsonic URL",
    got: "neither",
    hint: "spotivec playlist push NAME --spotify, or --subsonic https://music.example.org --user NAME",
  });
}

function printSpotify(ui: Ui, r: SpotifyPushResult): void {
  ui.out(`Pushed "${r.name}" to Spotify: ${r.tracks} tracks in a new private playlist`);
  ui.out(`  ${r.url}`);
}

function printSubsonic(ui: Ui, r: SubsonicPushResult): void {
  const c = ui.color;
  ui.out(
    `Pushed "${r.name}" to ${r.server}: ${r.matched.length} of ${r.tracks} tracks matched (${r.replaced ? "replaced the" : "new"} playlist ${r.playlistId})`,
  );
  for (const t of r.unmatched)
    ui.out(`  ${c.yellow("unmatched")}  ${t.artists.join(", ")} - ${t.name}  ${c.dim(t.reason)}`);
}

async function push(name: string, flags: PushFlags, io: Io): Promise<void> {
  const ui = createUi(io, { json: flags.json === true });
  const target = checkTarget(flags, io);
  const store = openDb(flags, io, "read");
  let playlist: Playlist;
  try {
    playlist = getPlaylist(store, name);
  } finally {
    store.close();
  }
  if (target === "spotify") {
    const interactive = flags.browser && io.stderr.isTTY === true;
    const result = await pushToSpotify(playlist, {
      clientId: (flags.clientId ?? io.env.SPOTIVEC_SPOTIFY_CLIENT_ID) as string,
      env: io.env,
      say: (line) => io.stderr.write(`${line}\n`),
      openBrowser: (url) => (interactive ? openBrowser(url, io.env) : undefined),
      port: flags.port,
      timeoutMs: (flags.timeout ?? 180) * 1000,
    });
    if (ui.json) ui.printJson(result);
    else printSpotify(ui, result);
    return;
  }
  const result = await pushToSubsonic(playlist, {
    url: flags.subsonic as string,
    user: flags.user as string,
    password: await subsonicPassword(io),
  });
  if (ui.json) ui.printJson(result);
  else printSubsonic(ui, result);
}

/** `spotivec playlist push NAME --spotify | --subsonic URL`: registered under the playlist command. */
export function registerPlaylistPush(playlist: Command, io: Io): void {
  const cmd = playlist
    .command("push")
    .description("push a saved playlist to Spotify (your own app) or a Subsonic/Navidrome server")
    .argument("<name>", "the saved playlist")
    .option("--spotify", "push to your Spotify account (a new private playlist)")
    .option("--client-id <id>", "your Spotify app's client id (default: $SPOTIVEC_SPOTIFY_CLIENT_ID)")
    .option(
      "--port <n>",
      "loopback port for Spotify's redirect (default: a free one)",
      numberOption("--port", 0, 65535, true),
    )
    .option(
      "--timeout <seconds>",
      "how long to wait for Spotify's authorization (default 180)",
      numberOption("--timeout", 1, 3600, true),
    )
    .option("--no-browser", "print the Spotify authorize URL without opening a browser")
    .option(
      "--subsonic <url>",
      "push to this Subsonic/Navidrome server (password: $SPOTIVEC_SUBSONIC_PASSWORD)",
    )
    .option("--user <name>", "the Subsonic user");
  withJson(withDb(cmd), "print the result as JSON (Subsonic: matched and unmatched tracks)").action(
    (name: string, flags: PushFlags) => push(name, flags, io),
  );
}
