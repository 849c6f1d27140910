/** The API's routes as OpenAPI documents them. */
import { createRoute, z } from "@hono/zod-openapi";
import { IdParam, LimitQuery, NoQuery, SearchQuery } from "./params.js";

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
/** Answered by the HTTP server itself, before any route: a request line and headers over Node's 16 KB. */
const tooLarge = { 431: failure("the URL (with the headers) is over 16 KB") };
const errors = {
  400: failure("invalid parameters"),
  404: failure("no such track"),
  503: failure("the catalog is empty"),
  ...tooLarge,
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
};
