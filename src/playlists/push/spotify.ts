/**
 * Pushing a playlist to Spotify: create it for the current user (POST /v1/me/playlists,
 * https://developer.spotify.com/documentation/web-api/reference/create-playlist), then add the tracks 100 at a time
 * (POST /v1/playlists/{id}/items, https://developer.spotify.com/documentation/web-api/reference/add-items-to-playlist).
 * 429 answers are retried after their Retry-After (https://developer.spotify.com/documentation/web-api/concepts/rate-limits);
 * 403s are read for the Development Mode rules of February 2026
 * (https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide).
 */
import type { Playlist } from "../types.js";
import { authError, serviceError } from "./errors.js";
import { type HttpAnswer, request, sleep } from "./http.js";
import { accessToken, type SpotifyAuthOptions, spotifyEndpoints } from "./spotify-auth.js";

export const SPOTIFY_CHUNK = 100;
/** 429s retried per request before giving up. */
export const MAX_RETRIES = 5;
/** A Retry-After longer than this is not waited out: the push stops and says when to try again. */
const MAX_WAIT_S = 120;

export interface SpotifyPushOptions extends SpotifyAuthOptions {
  /** How to wait out a Retry-After (tests shorten it). */
  wait?: (ms: number) => Promise<void>;
}

export interface SpotifyPushResult {
  service: "spotify";
  name: string;
  playlistId: string;
  uri: string;
  url: string;
  tracks: number;
  /** Item requests made (one per 100 tracks). */
  chunks: number;
  /** 429 answers waited out. */
  retries: number;
}

/** Spotify's error message from a JSON error object or a plain-text body. */
export function spotifyMessage(res: HttpAnswer): string {
  const body = res.json as { error?: { message?: string } | string; error_description?: string } | null;
  if (body && typeof body.error === "object" && typeof body.error?.message === "string")
    return body.error.message;
  if (body && typeof body.error_description === "string") return body.error_description;
  if (body && typeof body.error === "string") return body.error;
  if (typeof res.json === "string") return res.json;
  return res.text.trim().slice(0, 300) || `HTTP ${res.status}`;
}

const DASHBOARD = "https://developer.spotify.com/dashboard";

/** A 403 read for what the user must change: the app owner's Premium, the allow-list, the scopes, else the rules. */
export function forbiddenError(message: string): Error {
  const got = `403 "${message}"`;
  if (/premium/i.test(message))
    return authError("The Spotify app's owner needs an active Premium subscription", {
      expected: "a Development Mode app owned by a Premium account (Spotify's rule since February 2026)",
      got,
      hint: `Renew Premium on the account that created the app in ${DASHBOARD}; Spotify says it can take a few hours before requests are allowed again.`,
    });
  if (/not (registered|approved)|allow.?list|user management/i.test(message))
    return authError("Your Spotify account is not allowed to use this app", {
      expected: "a user on the app's allow-list (Development Mode admits up to 5 users)",
      got,
      hint: `In ${DASHBOARD}, open the app, then Settings > User Management, and add the name and email of the Spotify account you log in with.`,
    });
  if (/scope/i.test(message))
    return authError("The Spotify token lacks the playlist permissions", {
      expected: "a token with playlist-modify-private and playlist-modify-public",
      got,
      hint: "Delete the token file (spotify.json in ~/.config/spotivec) and push again to authorize anew.",
    });
  return authError("Spotify refused the request", {
    expected: "access for this app and user",
    got,
    hint: `Development Mode apps need an owner with Premium and the user on the allow-list (${DASHBOARD} > the app > Settings > User Management).`,
  });
}

interface Api {
  call(method: string, path: string, body: unknown): Promise<HttpAnswer>;
  retries: number;
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date); 1 when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number {
  if (value === null) return 1;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - now) / 1000));
}

function rateLimited(path: string, seconds: number, tries: number): Error {
  return serviceError("Spotify is rate-limiting spotivec", {
    expected: `an answer within ${MAX_RETRIES} retries of at most ${MAX_WAIT_S} s each`,
    got: `429 on ${path} after ${tries} tries (Retry-After ${seconds} s)`,
    hint: "Wait a few minutes and push again.",
  });
}

function apiClient(o: SpotifyPushOptions): Api {
  const { api } = spotifyEndpoints(o.env);
  const wait = o.wait ?? sleep;
  let token: string | null = null;
  const client: Api = {
    retries: 0,
    async call(method, path, body) {
      let refreshed = false;
      for (let attempt = 0; ; attempt++) {
        token ??= await accessToken(o);
        const res = await request("the Spotify Web API", `${api}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        if (res.status === 429) {
          const seconds = retryAfterSeconds(res.headers.get("retry-after"));
          if (attempt >= MAX_RETRIES || seconds > MAX_WAIT_S) throw rateLimited(path, seconds, attempt + 1);
          client.retries++;
          await wait(seconds * 1000);
          continue;
        }
        if (res.status === 401 && !refreshed) {
          // Expired or revoked before its time: refresh (or authorize) once, then try again.
          refreshed = true;
          token = await accessToken(o, true);
          continue;
        }
        return res;
      }
    },
  };
  return client;
}

function failure(step: string, res: HttpAnswer): Error {
  if (res.status === 403) return forbiddenError(spotifyMessage(res));
  return serviceError(`Spotify could not ${step}`, {
    expected: "a 201 answer",
    got: `${res.status} "${spotifyMessage(res)}"`,
    hint:
      res.status >= 500
        ? "Spotify had a problem; try again in a moment."
        : "Check the playlist and push again.",
  });
}

export function playlistDescription(p: Playlist): string {
  const what = p.source.query
    ? `spotivec search "${p.source.query}"`
    : p.source.picked
      ? "tracks picked in spotivec"
      : "a spotivec search";
  // Spotify caps descriptions at 300 characters.
  return `Made from ${what}.`.slice(0, 300);
}

/** Creates the playlist on the user's account and adds every track, in order, 100 per request. */
export async function pushToSpotify(playlist: Playlist, o: SpotifyPushOptions): Promise<SpotifyPushResult> {
  const api = apiClient(o);
  const created = await api.call("POST", "/v1/me/playlists", {
    name: playlist.name,
    description: playlistDescription(playlist),
    public: false,
  });
  if (created.status !== 201 && created.status !== 200) throw failure("create the playlist", created);
  const made = created.json as { id?: string; uri?: string; external_urls?: { spotify?: string } } | null;
  if (!made || typeof made.id !== "string")
    throw serviceError("Spotify created the playlist but did not say its id", {
      expected: "a playlist object with an id",
      got: created.text.slice(0, 200),
    });
  const uris = playlist.tracks.map((t) => `spotify:track:${t.id}`);
  let chunks = 0;
  for (let i = 0; i < uris.length; i += SPOTIFY_CHUNK) {
    const res = await api.call("POST", `/v1/playlists/${encodeURIComponent(made.id)}/items`, {
      uris: uris.slice(i, i + SPOTIFY_CHUNK),
    });
    chunks++;
    if (res.status !== 201 && res.status !== 200)
      throw failure(`add tracks ${i + 1}-${Math.min(i + SPOTIFY_CHUNK, uris.length)}`, res);
  }
  return {
    service: "spotify",
    name: playlist.name,
    playlistId: made.id,
    uri: made.uri ?? `spotify:playlist:${made.id}`,
    url: made.external_urls?.spotify ?? `https://open.spotify.com/playlist/${made.id}`,
    tracks: uris.length,
    chunks,
    retries: api.retries,
  };
}
