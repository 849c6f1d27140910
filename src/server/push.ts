/**
 * Pushing from the page: `POST /api/playlists/{name}/push` with the server's own credentials, never the browser's.
 * Subsonic from SPOTIVEC_SUBSONIC_URL / _USER / _PASSWORD; Spotify from the tokens `spotivec playlist push --spotify`
 * stored (refreshed as the CLI does), with the client id from SPOTIVEC_SPOTIFY_CLIENT_ID or the token file. The
 * browser authorization stays in the CLI: the server never opens a loopback redirect for it.
 */
import { SpotivecError } from "../domain/errors.js";
import {
  pushToSpotify,
  pushToSubsonic,
  type SpotifyPushResult,
  type SubsonicPushResult,
  spotifyTokenPath,
} from "../playlists/push/index.js";
import { readTokens } from "../playlists/push/tokens.js";
import type { Playlist } from "../playlists/types.js";

export type PushService = "spotify" | "subsonic";

export interface ServiceStatus {
  configured: boolean;
  /** What to do to make it usable; null when it is. */
  hint: string | null;
}

/** What `GET /api/push/services` answers: no secrets, only whether each service can be used and by whom. */
export interface PushServices {
  spotify: ServiceStatus;
  subsonic: ServiceStatus & { server: string | null; user: string | null };
}

const SUBSONIC_VARS = [
  "SPOTIVEC_SUBSONIC_URL",
  "SPOTIVEC_SUBSONIC_USER",
  "SPOTIVEC_SUBSONIC_PASSWORD",
] as const;

const authorizeHint = (name: string) =>
  `Run \`spotivec playlist push "${name}" --spotify\` once in a terminal (with SPOTIVEC_SPOTIFY_CLIENT_ID or --client-id) to authorize; the page then pushes with the stored tokens.`;

function subsonicConfig(env: NodeJS.ProcessEnv): { url: string; user: string; password: string } | string[] {
  const missing = SUBSONIC_VARS.filter((v) => !env[v]);
  if (missing.length > 0) return missing;
  const url = env.SPOTIVEC_SUBSONIC_URL as string;
  if (!/^https?:\/\/[^/]+/i.test(url)) return ["SPOTIVEC_SUBSONIC_URL (an http(s) URL)"];
  return {
    url,
    user: env.SPOTIVEC_SUBSONIC_USER as string,
    password: env.SPOTIVEC_SUBSONIC_PASSWORD as string,
  };
}

function subsonicHint(missing: string[]): string {
  return `Set ${missing.join(", ")} in the environment of \`spotivec serve\` and restart it, or push from a terminal with \`spotivec playlist push NAME --subsonic URL --user U\`.`;
}

/** The client id to push with and whether tokens for it are stored; a reason when they are not. */
function spotifyConfig(env: NodeJS.ProcessEnv): { clientId: string } | { problem: string; hint: string } {
  const tokens = readTokens(spotifyTokenPath(env));
  const clientId = env.SPOTIVEC_SPOTIFY_CLIENT_ID || tokens?.clientId;
  if (!tokens) return { problem: "no stored Spotify authorization", hint: authorizeHint("NAME") };
  if (clientId !== tokens.clientId)
    return {
      problem: `the stored Spotify tokens are for another client id than SPOTIVEC_SPOTIFY_CLIENT_ID`,
      hint: authorizeHint("NAME"),
    };
  return { clientId: clientId as string };
}

export function pushServices(env: NodeJS.ProcessEnv): PushServices {
  const spotify = spotifyConfig(env);
  const subsonic = subsonicConfig(env);
  const configured = !Array.isArray(subsonic);
  return {
    spotify:
      "clientId" in spotify ? { configured: true, hint: null } : { configured: false, hint: spotify.hint },
    subsonic: {
      configured,
      hint: configured ? null : subsonicHint(subsonic),
      server: configured ? subsonic.url : (env.SPOTIVEC_SUBSONIC_URL ?? null),
      user: configured ? subsonic.user : (env.SPOTIVEC_SUBSONIC_USER ?? null),
    },
  };
}

function notAuthorized(name: string, got: string): SpotivecError {
  return new SpotivecError("BAD_REQUEST", "Spotify is not authorized on this server", {
    expected: "Spotify tokens stored by `spotivec playlist push --spotify`",
    got,
    hint: authorizeHint(name),
  });
}

/** Pushes with the server's configuration; a service that is not set up is a 400 saying how to set it up. */
export async function pushPlaylist(
  playlist: Playlist,
  service: PushService,
  env: NodeJS.ProcessEnv,
): Promise<SpotifyPushResult | SubsonicPushResult> {
  if (service === "subsonic") {
    const config = subsonicConfig(env);
    if (Array.isArray(config))
      throw new SpotivecError("BAD_REQUEST", "Subsonic is not configured on this server", {
        expected: SUBSONIC_VARS.join(", "),
        got: `missing ${config.join(", ")}`,
        hint: subsonicHint(config),
      });
    return pushToSubsonic(playlist, config);
  }
  const config = spotifyConfig(env);
  if (!("clientId" in config)) throw notAuthorized(playlist.name, config.problem);
  return pushToSpotify(playlist, {
    clientId: config.clientId,
    env,
    say: () => {},
    // Only reached when the stored tokens can no longer be refreshed: the authorization belongs in a terminal.
    openBrowser: () => {
      throw notAuthorized(playlist.name, "stored Spotify tokens that Spotify no longer accepts");
    },
    timeoutMs: 1000,
  });
}
