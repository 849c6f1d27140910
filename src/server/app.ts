/** The HTTP API and the web page, on Hono with zod-validated, OpenAPI-documented routes. */
import { readFileSync } from "node:fs";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { isSpotivecError } from "../domain/errors.js";
import { resolveGenres } from "../search/search.js";
import type { FilterField, Range, TrackFilters } from "../store/store.js";
import { type SearchService, VERSION } from "./service.js";

const RANGES: ReadonlyArray<{ name: string; field: FilterField; min: number; max: number; int?: boolean }> = [
  { name: "tempo", field: "tempo", min: 0, max: 300 },
  { name: "energy", field: "energy", min: 0, max: 1 },
  { name: "valence", field: "valence", min: 0, max: 1 },
  { name: "danceability", field: "danceability", min: 0, max: 1 },
  { name: "acousticness", field: "acousticness", min: 0, max: 1 },
  { name: "instrumentalness", field: "instrumentalness", min: 0, max: 1 },
  { name: "popularity", field: "popularity", min: 0, max: 100, int: true },
  { name: "year", field: "year", min: 1900, max: 2100, int: true },
];

const num = (min: number, max: number, int = false) =>
  z.coerce
    .number()
    .refine((n) => Number.isFinite(n) && (!int || Number.isInteger(n)), {
      message: `expected ${int ? "an integer" : "a number"}`,
    })
    .pipe(z.number().min(min).max(max))
    .optional()
    .openapi({ type: int ? "integer" : "number", minimum: min, maximum: max });

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const rangeParams = Object.fromEntries(
  RANGES.flatMap((r) => [
    [`${r.name}_min`, num(r.min, r.max, r.int)],
    [`${r.name}_max`, num(r.min, r.max, r.int)],
  ]),
);

export const SearchQuery = z
  .object({
    q: z
      .string()
      .max(500)
      .optional()
      .default("")
      .openapi({ description: "what you are looking for, in plain English" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .default(10)
      .openapi({ type: "integer", minimum: 1, maximum: 100 }),
    genre: list.openapi({ description: "genre labels, repeatable (any of them)" }),
    explicit: z
      .enum(["true", "false"])
      .optional()
      .openapi({ description: "only explicit (true) or only clean (false)" }),
    drop: list.openapi({ description: "labels of plan constraints to leave out, repeatable" }),
    ...rangeParams,
  })
  .strict();

const LimitQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).optional().default(10) })
  .strict();
const IdParam = z.object({ id: z.string().regex(/^[0-9A-Za-z]{22}$/, "a 22-character Spotify track id") });

const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), hint: z.string() }) })
  .openapi("Error");
const Json = z.record(z.string(), z.unknown());
const ok = (description: string) => ({
  200: { content: { "application/json": { schema: Json } }, description },
});
const errors = {
  400: { content: { "application/json": { schema: ErrorBody } }, description: "invalid parameters" },
  404: { content: { "application/json": { schema: ErrorBody } }, description: "no such track" },
  503: { content: { "application/json": { schema: ErrorBody } }, description: "the catalog is empty" },
};

const routes = {
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
    request: { params: IdParam },
    responses: { ...ok("one track"), ...errors },
  }),
  similar: createRoute({
    method: "get",
    path: "/api/similar/{id}",
    request: { params: IdParam, query: LimitQuery },
    responses: { ...ok("tracks like this one"), ...errors },
  }),
  health: createRoute({ method: "get", path: "/api/health", responses: ok("catalog size, model, version") }),
};

function errorJson(c: Context, status: 400 | 404 | 500 | 503, code: string, message: string, hint: string) {
  return c.json({ error: { code, message, hint } }, status);
}

const notFound = (id: string) => ({
  error: {
    code: "NOT_FOUND",
    message: `no track ${id} in the catalog`,
    hint: "Take ids from /api/search results.",
  },
});

export function createApp(service: SearchService, options: { genreLabels: () => string[] }): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.join(".") || "request";
        const message =
          issue?.code === "unrecognized_keys"
            ? `unknown parameter(s): ${(issue as { keys?: string[] }).keys?.join(", ")}`
            : `${where}: ${issue?.message ?? "invalid"}`;
        return errorJson(
          c,
          400,
          "BAD_REQUEST",
          message,
          "See /api/openapi.json for the parameters and their ranges.",
        );
      }
    },
  });

  app.onError((e, c) => {
    if (isSpotivecError(e)) {
      const status = e.code === "USAGE" ? 400 : e.code === "EMPTY_STORE" ? 503 : 500;
      return errorJson(c, status, e.code, `${e.message}: expected ${e.expected}, got ${e.got}`, e.hint);
    }
    return errorJson(c, 500, "INTERNAL", e instanceof Error ? e.message : String(e), "Please report this.");
  });

  app.openapi(routes.search, async (c) => {
    const q = c.req.valid("query") as z.infer<typeof SearchQuery> & Record<string, number | undefined>;
    const ranges: Partial<Record<FilterField, Range>> = {};
    for (const r of RANGES) {
      const min = q[`${r.name}_min`];
      const max = q[`${r.name}_max`];
      if (min !== undefined || max !== undefined) ranges[r.field] = { min, max };
    }
    const filters: TrackFilters = {
      ranges,
      genres: q.genre.length > 0 ? resolveGenres(q.genre, options.genreLabels()) : undefined,
      explicit: q.explicit === undefined ? undefined : q.explicit === "true",
    };
    return c.json(await service.search({ q: q.q, limit: q.limit, filters, drop: q.drop }), 200);
  });

  app.openapi(routes.track, async (c) => {
    const { id } = c.req.valid("param");
    const t = await service.track(id);
    return t ? c.json(t, 200) : c.json(notFound(id), 404);
  });

  app.openapi(routes.similar, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const r = await service.similar(id, limit);
    return r ? c.json(r, 200) : c.json(notFound(id), 404);
  });

  app.openapi(routes.health, async (c) => c.json(await service.health(), 200));

  app.doc("/api/openapi.json", { openapi: "3.0.0", info: { title: "spotivec", version: VERSION } });

  // The page: static files, no build step.
  const web = new URL("../../web/", import.meta.url);
  const file = (name: string, type: string) => {
    const body = readFileSync(new URL(name, web), "utf8");
    return (c: Context) => c.body(body, 200, { "content-type": type, "cache-control": "no-cache" });
  };
  app.get("/", file("index.html", "text/html; charset=utf-8"));
  app.get("/app.js", file("app.js", "text/javascript; charset=utf-8"));
  app.get("/style.css", file("style.css", "text/css; charset=utf-8"));
  app.notFound((c) =>
    errorJson(
      c,
      404,
      "NOT_FOUND",
      `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
      "The API is under /api; see /api/openapi.json.",
    ),
  );
  return app;
}
