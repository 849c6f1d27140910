/** The API's routes as OpenAPI documents them. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  ExportQuery,
  IdParam,
  LimitQuery,
  MapQuery,
  NoQuery,
  PlaylistBody,
  PlaylistParam,
  PushBody,
  SearchQuery,
} from "./params.js";

const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), hint: z.string() }) })
  .openapi("Error");
const Json = z.record(z.string(), z.unknown());
const ok = (description: string) => ({
  200: { content: { "application/json": { schema: Json } }, description },
});
const failure = (description: string) => ({
  content: { "application/json": { schema: ErrorBody } },
  description,
});
/** The content type of each export format. */
export const EXPORT_TYPES = {
  m3u8: "audio/x-mpegurl; charset=utf-8",
  xspf: "application/xspf+xml; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
} as const;
/** Answered by the HTTP server itself, before any route: a request line and headers over Node's 16 KB. */
const tooLarge = { 431: failure("the URL (with the headers) is over 16 KB") };
const errors = {
  400: failure("invalid parameters"),
  404: failure("no such track"),
  503: failure("the catalog is empty"),
  ...tooLarge,
};

/** Playlist routes: 404 names a playlist, not a track. */
const playlistErrors = {
  400: failure("invalid parameters"),
  404: failure("no such playlist"),
  ...tooLarge,
};
const created = (description: string) => ({
  201: { content: { "application/json": { schema: Json } }, description },
});
/** An export: the file itself, as a download. */
const file = {
  200: {
    content: Object.fromEntries(
      Object.values(EXPORT_TYPES).map((type) => [type.split(";")[0], { schema: z.string() }]),
    ),
    description: "the playlist as a file (content-disposition: attachment, with a file name)",
  },
};

export const routes = {
  search: createRoute({
    method: "get",
    path: "/api/search",
    request: { query: SearchQuery },
    responses: {
      ...ok("the query plan and ranked, explained results (as `spotivec search --json`)"),
      ...errors,
    },
  }),
  track: createRoute({
    method: "get",
    path: "/api/tracks/{id}",
    request: { params: IdParam, query: NoQuery },
    responses: { ...ok("one track"), ...errors },
  }),
  similar: createRoute({
    method: "get",
    path: "/api/similar/{id}",
    request: { params: IdParam, query: LimitQuery },
    responses: { ...ok("tracks like this one"), ...errors },
  }),
  health: createRoute({
    method: "get",
    path: "/api/health",
    request: { query: NoQuery },
    responses: { ...ok("catalog size, model, version"), 400: failure("unknown parameters"), ...tooLarge },
  }),
  map: createRoute({
    method: "get",
    path: "/api/map",
    request: { query: MapQuery },
    responses: {
      ...ok("the whole catalog's density on energy (x) and valence (y): { x, y, bins, counts[xBin][yBin] }"),
      400: failure("invalid parameters"),
      ...tooLarge,
    },
  }),
  playlists: createRoute({
    method: "get",
    path: "/api/playlists",
    request: { query: NoQuery },
    responses: {
      200: {
        content: { "application/json": { schema: z.object({ playlists: z.array(Json) }) } },
        description: "the saved playlists: name, tracks, query, updatedAt",
      },
      400: failure("unknown parameters"),
      ...tooLarge,
    },
  }),
  playlist: createRoute({
    method: "get",
    path: "/api/playlists/{name}",
    request: { params: PlaylistParam, query: NoQuery },
    responses: { ...ok("one playlist: its source (query, options, plan) and tracks"), ...playlistErrors },
  }),
  savePlaylist: createRoute({
    method: "post",
    path: "/api/playlists",
    request: {
      query: NoQuery,
      body: { content: { "application/json": { schema: PlaylistBody } }, required: true },
    },
    responses: {
      ...created("the playlist saved (a same-named one is replaced)"),
      400: failure("invalid body, or ids not in the catalog"),
      413: failure("the body is over 256 KB"),
      ...tooLarge,
    },
  }),
  exportPlaylist: createRoute({
    method: "get",
    path: "/api/playlists/{name}/export",
    request: { params: PlaylistParam, query: ExportQuery },
    responses: { ...file, ...playlistErrors },
  }),
  deletePlaylist: createRoute({
    method: "delete",
    path: "/api/playlists/{name}",
    request: { params: PlaylistParam, query: NoQuery },
    responses: { ...ok("{ deleted: true, name }"), ...playlistErrors },
  }),
  push: createRoute({
    method: "post",
    path: "/api/playlists/{name}/push",
    request: {
      params: PlaylistParam,
      query: NoQuery,
      body: { content: { "application/json": { schema: PushBody } }, required: true },
    },
    responses: {
      ...ok("the push result, as `spotivec playlist push --json` (Subsonic: matched and unmatched tracks)"),
      400: failure("invalid body, or the service is not set up on this server (the hint says how)"),
      404: failure("no such playlist"),
      413: failure("the body is over 1 KB"),
      502: failure("the service refused (PUSH_AUTH) or failed (PUSH_FAILED)"),
      ...tooLarge,
    },
  }),
  pushServices: createRoute({
    method: "get",
    path: "/api/push/services",
    request: { query: NoQuery },
    responses: {
      ...ok(
        "which push services this server is set up for: { spotify, subsonic }, each { configured, hint }",
      ),
      400: failure("unknown parameters"),
      ...tooLarge,
    },
  }),
};
