/**
 * Pushing a playlist to a Subsonic server (Navidrome, Gonic, Airsonic, ...), following the Subsonic API
 * (http://www.subsonic.org/pages/api.jsp) and OpenSubsonic (https://opensubsonic.netlify.app/docs/): token
 * authentication (t = md5(password + salt), s = salt, a fresh salt per request), each track found with `search3`
 * by artist and title, then `createPlaylist` with the matched song ids (a playlist of the same name is replaced)
 * and `updatePlaylist` for songs past the first hundred.
 */
import { createHash, randomBytes } from "node:crypto";
import { baseTitle } from "../../domain/text.js";
import type { Playlist, PlaylistTrack } from "../types.js";
import { authError, serviceError } from "./errors.js";
import { mapLimit, request } from "./http.js";
import { bestMatch, type Candidate } from "./match.js";

export const SUBSONIC_API_VERSION = "1.16.1";
export const SUBSONIC_CLIENT = "spotivec";
/** Song ids per createPlaylist/updatePlaylist request, to keep URLs short. */
export const SUBSONIC_CHUNK = 100;

export interface SubsonicOptions {
  url: string;
  user: string;
  password: string;
}

export interface UnmatchedTrack {
  id: string;
  name: string;
  artists: string[];
  reason: string;
}

export interface SubsonicPushResult {
  service: "subsonic";
  server: string;
  name: string;
  playlistId: string;
  /** True when a playlist of that name existed and its songs were replaced. */
  replaced: boolean;
  tracks: number;
  matched: Array<{ id: string; name: string; artists: string[]; songId: string }>;
  unmatched: UnmatchedTrack[];
}

type Params = Record<string, string | number | readonly string[]>;

export interface SubsonicClient {
  call(method: string, params?: Params): Promise<Record<string, unknown>>;
}

/** What each Subsonic error code asks the user to do. */
function subsonicError(method: string, code: number, message: string): Error {
  const got = `error ${code}: ${message}`;
  if (code === 40 || code === 44)
    return authError("The Subsonic server refused the user name or password", {
      expected: "valid credentials",
      got,
      hint: "Check --user and SPOTIVEC_SUBSONIC_PASSWORD (or the password typed at the prompt).",
    });
  if (code === 41 || code === 42)
    return authError("The Subsonic server does not accept token authentication for this user", {
      expected: "token + salt authentication (Subsonic API 1.13.0 or newer)",
      got,
      hint: "Use a local (not LDAP) user, or a server with token authentication such as Navidrome.",
    });
  if (code === 50)
    return authError(`The Subsonic user may not call ${method}`, {
      expected: "a user allowed to manage playlists",
      got,
      hint: "Give the user the playlist permission in the server's settings.",
    });
  if (code === 20 || code === 30)
    return serviceError("The Subsonic server speaks another API version", {
      expected: `API ${SUBSONIC_API_VERSION} (token authentication and search3)`,
      got,
      hint: "Upgrade the server, or use one compatible with Subsonic API 1.16.1 (Navidrome, Gonic, Airsonic-Advanced).",
    });
  return serviceError(`The Subsonic server failed ${method}`, { expected: "status ok", got });
}

export function subsonicClient(o: SubsonicOptions): SubsonicClient {
  const base = o.url.replace(/\/+$/, "");
  return {
    async call(method, params = {}) {
      const salt = randomBytes(8).toString("hex");
      const q = new URLSearchParams({
        u: o.user,
        t: createHash("md5")
          .update(o.password + salt)
          .digest("hex"),
        s: salt,
        v: SUBSONIC_API_VERSION,
        c: SUBSONIC_CLIENT,
        f: "json",
      });
      for (const [k, v] of Object.entries(params)) {
        if (Array.isArray(v)) for (const item of v) q.append(k, item);
        else q.append(k, String(v));
      }
      const res = await request("the Subsonic server", `${base}/rest/${method}?${q}`);
      const body = (res.json as { "subsonic-response"?: Record<string, unknown> } | null)?.[
        "subsonic-response"
      ];
      if (!body)
        throw serviceError(`The Subsonic server gave no API answer to ${method}`, {
          expected: 'a JSON "subsonic-response"',
          got: `HTTP ${res.status}: ${res.text.slice(0, 120) || "empty body"}`,
          hint: "Give the server's base URL (the part before /rest), e.g. https://music.example.org.",
        });
      if (body.status !== "ok") {
        const err = (body.error ?? {}) as { code?: number; message?: string };
        throw subsonicError(method, err.code ?? 0, err.message ?? "no message");
      }
      return body;
    },
  };
}

interface Song {
  id: string;
  title?: string;
  artist?: string;
  duration?: number;
}

async function searchSongs(client: SubsonicClient, query: string): Promise<Candidate[]> {
  const body = await client.call("search3", { query, songCount: 20, artistCount: 0, albumCount: 0 });
  const songs = ((body.searchResult3 ?? {}) as { song?: Song[] }).song ?? [];
  return songs
    .filter((s) => typeof s.id === "string")
    .map((s) => ({ id: s.id, title: s.title ?? "", artist: s.artist ?? "", duration: s.duration }));
}

/** The library's song for a track: searched by artist and title, then by title alone; null when none agrees. */
export async function findSong(client: SubsonicClient, track: PlaylistTrack): Promise<Candidate | null> {
  const title = baseTitle(track.name);
  const queries = [`${track.artists[0] ?? ""} ${title}`.trim(), title];
  for (const query of queries) {
    const found = bestMatch(track, await searchSongs(client, query));
    if (found) return found;
  }
  return null;
}

async function existingPlaylist(client: SubsonicClient, name: string, user: string): Promise<string | null> {
  const body = await client.call("getPlaylists");
  const lists = ((body.playlists ?? {}) as { playlist?: Array<{ id: string; name: string; owner?: string }> })
    .playlist;
  const mine = (lists ?? []).find((p) => p.name === name && (p.owner === undefined || p.owner === user));
  return mine?.id ?? null;
}

/** Creates (or replaces) the playlist with the matched songs, in the playlist's order. */
async function writePlaylist(
  client: SubsonicClient,
  name: string,
  user: string,
  songIds: readonly string[],
): Promise<{ id: string; replaced: boolean }> {
  const existing = await existingPlaylist(client, name, user);
  const first = songIds.slice(0, SUBSONIC_CHUNK);
  const body = await client.call(
    "createPlaylist",
    existing ? { playlistId: existing, songId: first } : { name, songId: first },
  );
  const id = existing ?? ((body.playlist ?? {}) as { id?: string }).id;
  if (typeof id !== "string")
    throw serviceError("The Subsonic server created the playlist but did not say its id", {
      expected: "a playlist in the createPlaylist answer (API 1.14.0 or newer)",
      got: JSON.stringify(body).slice(0, 200),
    });
  for (let i = SUBSONIC_CHUNK; i < songIds.length; i += SUBSONIC_CHUNK)
    await client.call("updatePlaylist", {
      playlistId: id,
      songIdToAdd: songIds.slice(i, i + SUBSONIC_CHUNK),
    });
  return { id, replaced: existing !== null };
}

export async function pushToSubsonic(playlist: Playlist, o: SubsonicOptions): Promise<SubsonicPushResult> {
  const client = subsonicClient(o);
  await client.call("ping");
  const found = await mapLimit(playlist.tracks, 4, (t) => findSong(client, t));
  const matched: SubsonicPushResult["matched"] = [];
  const unmatched: UnmatchedTrack[] = [];
  playlist.tracks.forEach((t, i) => {
    const song = found[i];
    if (song) matched.push({ id: t.id, name: t.name, artists: t.artists, songId: song.id });
    else
      unmatched.push({
        id: t.id,
        name: t.name,
        artists: t.artists,
        reason: "no song by that artist and title",
      });
  });
  if (matched.length === 0)
    throw serviceError(`None of the ${playlist.tracks.length} tracks is in the Subsonic library`, {
      expected: "at least one song found by artist and title",
      got: unmatched
        .slice(0, 5)
        .map((t) => `${t.artists.join(", ")} - ${t.name}`)
        .join("; "),
      hint: "Check that the server has scanned its library, and that this is the server you meant.",
    });
  const songIds = [...new Set(matched.map((m) => m.songId))];
  const written = await writePlaylist(client, playlist.name, o.user, songIds);
  return {
    service: "subsonic",
    server: o.url,
    name: playlist.name,
    playlistId: written.id,
    replaced: written.replaced,
    tracks: playlist.tracks.length,
    matched,
    unmatched,
  };
}
