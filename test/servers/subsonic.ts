/**
 * A local stand-in for a Subsonic server, following the Subsonic API (http://www.subsonic.org/pages/api.jsp) and
 * OpenSubsonic (https://opensubsonic.netlify.app/docs/): /rest/ping, /rest/search3, /rest/getPlaylists,
 * /rest/createPlaylist and /rest/updatePlaylist, answering JSON (f=json) and checking token authentication
 * (t = md5(password + s)) with u, v and c on every request. Listens on 127.0.0.1 only, port 0.
 */
import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { normName } from "../../src/domain/text.js";

export interface Song {
  id: string;
  title: string;
  artist: string;
  album: string;
  /** Seconds. */
  duration: number;
}

export interface SubsonicServer {
  url: string;
  playlists: Map<string, { id: string; name: string; owner: string; songIds: string[] }>;
  /** Every request's method and parameters. */
  requests: Array<{ method: string; params: URLSearchParams }>;
  close(): Promise<void>;
}

function answer(res: ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({ "subsonic-response": { status: "ok", version: "1.16.1", type: "test", ...body } }),
  );
}

function failed(res: ServerResponse, code: number, message: string): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      "subsonic-response": { status: "failed", version: "1.16.1", error: { code, message } },
    }),
  );
}

export async function startSubsonicServer(
  users: Record<string, string>,
  songs: Song[],
): Promise<SubsonicServer> {
  const playlists: SubsonicServer["playlists"] = new Map();
  const requests: SubsonicServer["requests"] = [];
  let nextId = 1;

  const search3 = (q: URLSearchParams, res: ServerResponse) => {
    // Like Navidrome: every word of the query must appear in the song's title, artist or album.
    const words = normName(q.get("query") ?? "")
      .split(" ")
      .filter(Boolean);
    const count = Number(q.get("songCount") ?? 20);
    const hits = songs.filter((s) => {
      const text = ` ${normName(`${s.title} ${s.artist} ${s.album}`)} `;
      return words.every((w) => text.includes(` ${w} `));
    });
    answer(res, { searchResult3: hits.length > 0 ? { song: hits.slice(0, count) } : {} });
  };

  const create = (user: string, q: URLSearchParams, res: ServerResponse) => {
    const songIds = q.getAll("songId");
    if (songIds.some((id) => !songs.some((s) => s.id === id))) return failed(res, 70, "Song not found");
    const existing = q.get("playlistId");
    if (existing !== null) {
      const p = playlists.get(existing);
      if (!p) return failed(res, 70, "Playlist not found");
      p.songIds = songIds;
      return answer(res, { playlist: { id: p.id, name: p.name, songCount: p.songIds.length } });
    }
    const name = q.get("name");
    if (!name) return failed(res, 10, "Required parameter is missing: name");
    const id = String(nextId++);
    playlists.set(id, { id, name, owner: user, songIds });
    answer(res, { playlist: { id, name, owner: user, songCount: songIds.length } });
  };

  const update = (q: URLSearchParams, res: ServerResponse) => {
    const p = playlists.get(q.get("playlistId") ?? "");
    if (!p) return failed(res, 70, "Playlist not found");
    p.songIds.push(...q.getAll("songIdToAdd"));
    answer(res, {});
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const q = url.searchParams;
    if (!url.pathname.startsWith("/rest/")) {
      res.writeHead(404, { "content-type": "text/html" });
      return void res.end("<h1>Not found</h1>");
    }
    const method = url.pathname.replace(/^\/rest\//, "").replace(/\.view$/, "");
    requests.push({ method, params: q });
    if (!q.get("v") || !q.get("c")) return failed(res, 10, "Required parameter is missing: v or c");
    if (q.get("f") !== "json") return failed(res, 0, "This test server answers JSON only");
    const user = q.get("u") ?? "";
    const password = users[user];
    const salt = q.get("s") ?? "";
    const token = createHash("md5")
      .update((password ?? "") + salt)
      .digest("hex");
    if (password === undefined || salt === "" || q.get("t") !== token)
      return failed(res, 40, "Wrong username or password");
    if (method === "ping") return answer(res, {});
    if (method === "search3") return search3(q, res);
    if (method === "getPlaylists")
      return answer(res, {
        playlists: {
          playlist: [...playlists.values()].map((p) => ({ id: p.id, name: p.name, owner: p.owner })),
        },
      });
    if (method === "createPlaylist") return create(user, q, res);
    if (method === "updatePlaylist") return update(q, res);
    failed(res, 70, `Unknown method ${method}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    playlists,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
