/** The page's routes beyond search: the density map, and playlists (list, show, save a selection, export, delete). */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { SpotivecError } from "../domain/errors.js";
import { exportPlaylist } from "../playlists/index.js";
import type { ExportFormat } from "../playlists/types.js";
import { httpError } from "./errors.js";
import { pushPlaylist, pushServices } from "./push.js";
import { EXPORT_TYPES, routes } from "./routes.js";
import type { SearchService } from "./service.js";

/** The most a `POST /api/playlists` body may weigh: 1000 ids and a name fit in a tenth of it. */
export const MAX_BODY = 256 * 1024;
/** The most a push body may weigh: `{ "service": "subsonic" }` is 25 bytes. */
export const MAX_PUSH_BODY = 1024;

function limitBody(maxSize: number, hint: string) {
  return bodyLimit({
    maxSize,
    onError: (c) => {
      const tooLarge = new SpotivecError("BAD_REQUEST", `the request body is over ${maxSize / 1024} KB`, {
        hint,
      });
      return c.json(httpError(tooLarge).body, 413);
    },
  });
}

export function playlistNotFound(name: string): SpotivecError {
  return new SpotivecError("NOT_FOUND", `no playlist named "${name}"`, {
    hint: "GET /api/playlists lists the saved playlists.",
  });
}

export function registerPlaylistRoutes(
  app: OpenAPIHono,
  service: SearchService,
  env: NodeJS.ProcessEnv = process.env,
): void {
  app.openapi(routes.map, async (c) => c.json(await service.map(c.req.valid("query").bins), 200));

  app.openapi(routes.playlists, async (c) => c.json({ playlists: await service.playlists() }, 200));

  app.openapi(routes.playlist, async (c) => {
    const { name } = c.req.valid("param");
    return c.json(await service.playlist(name), 200);
  });

  app.use("/api/playlists", limitBody(MAX_BODY, "Send at most 1000 track ids in one playlist."));
  app.openapi(routes.savePlaylist, async (c) => {
    const body = c.req.valid("json");
    return c.json(await service.savePicked(body), 201);
  });

  app.openapi(routes.exportPlaylist, async (c) => {
    const { name } = c.req.valid("param");
    const format = c.req.valid("query").format as ExportFormat;
    const text = exportPlaylist(await service.playlist(name), format);
    return c.body(text, 200, {
      "content-type": EXPORT_TYPES[format],
      "content-disposition": attachment(`${name}.${format}`),
      "cache-control": "no-store",
    }) as never;
  });

  app.openapi(routes.deletePlaylist, async (c) => {
    const { name } = c.req.valid("param");
    if (!(await service.deletePlaylist(name))) throw playlistNotFound(name);
    return c.json({ deleted: true, name }, 200);
  });

  app.openapi(routes.pushServices, async (c) => c.json({ ...pushServices(env) }, 200));
  app.use(
    "/api/playlists/:name/push",
    limitBody(MAX_PUSH_BODY, 'Send { "service": "spotify" } or { "service": "subsonic" }.'),
  );
  app.openapi(routes.push, async (c) => {
    const { name } = c.req.valid("param");
    const { service: target } = c.req.valid("json");
    const playlist = await service.playlist(name);
    return c.json({ ...(await pushPlaylist(playlist, target, env)) }, 200);
  });
}

/** `attachment` with an ASCII file name for every client and the exact one (RFC 6266, RFC 5987) for those that read it. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\w. -]/g, "_").replace(/^[. ]+/, "_");
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
