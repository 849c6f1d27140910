/** The HTTP API and the web page, on Hono with zod-validated, OpenAPI-documented routes. */
import { readFileSync } from "node:fs";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { badRequest, errorResponse, routeNotFound, trackNotFound } from "./errors.js";
import { filtersFromQuery, type SearchQueryValues } from "./params.js";
import { registerPlaylistRoutes } from "./playlist-routes.js";
import { routes } from "./routes.js";
import { type SearchService, VERSION } from "./service.js";

export { SearchQuery } from "./params.js";

export interface AppOptions {
  genreLabels: () => string[];
  /** Where the push routes read their configuration (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export function createApp(service: SearchService, options: AppOptions): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, badRequest(result.error.issues));
    },
  });
  app.onError((e, c) => errorResponse(c, e));
  app.notFound((c) => errorResponse(c, routeNotFound(c.req.method, c.req.url)));

  app.openapi(routes.search, async (c) => {
    const q = c.req.valid("query") as SearchQueryValues;
    const filters = filtersFromQuery(q, options.genreLabels);
    return c.json(await service.search({ q: q.q, limit: q.limit, filters, drop: q.drop }), 200);
  });

  app.openapi(routes.track, async (c) => {
    const { id } = c.req.valid("param");
    const t = await service.track(id);
    if (!t) throw trackNotFound(id);
    return c.json(t, 200);
  });

  app.openapi(routes.similar, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const r = await service.similar(id, limit);
    if (!r) throw trackNotFound(id);
    return c.json(r, 200);
  });

  app.openapi(routes.health, async (c) => c.json(await service.health(), 200));
  registerPlaylistRoutes(app, service, options.env ?? process.env);
  app.doc("/api/openapi.json", { openapi: "3.0.0", info: { title: "spotivec", version: VERSION } });
  servePage(app);
  return app;
}

/** The page's ES modules, served as they are. */
export const PAGE_MODULES = [
  "app.js",
  "dom.js",
  "filters.js",
  "list.js",
  "map.js",
  "playlists.js",
  "push.js",
];

/** The page: static files, no build step. */
function servePage(app: OpenAPIHono): void {
  const web = new URL("../../web/", import.meta.url);
  const file = (name: string, type: string) => {
    const body = readFileSync(new URL(name, web), "utf8");
    return (c: Context) => c.body(body, 200, { "content-type": type, "cache-control": "no-cache" });
  };
  app.get("/", file("index.html", "text/html; charset=utf-8"));
  for (const name of PAGE_MODULES) app.get(`/${name}`, file(name, "text/javascript; charset=utf-8"));
  app.get("/style.css", file("style.css", "text/css; charset=utf-8"));
}
