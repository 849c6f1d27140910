/** Errors as the HTTP API answers them: the one error body, its status, and the message with expected/got folded in. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeError, oneLine, SpotivecError } from "../domain/errors.js";

export interface HttpErrorBody {
  error: { code: string; message: string; hint: string };
}

/** Any thrown value as the API's `{ error: { code, message, hint } }` and its status. */
export function httpError(error: unknown): { body: HttpErrorBody; status: ContentfulStatusCode } {
  const { body, status } = describeError(fromHono(error));
  const { code, hint } = body.error;
  return {
    body: { error: { code, message: oneLine(body.error), hint } },
    status: status as ContentfulStatusCode,
  };
}

/** Hono's own 4xx (a body that is not JSON) as the API's BAD_REQUEST; anything else as it is. */
function fromHono(error: unknown): unknown {
  if (!(error instanceof HTTPException) || error.status >= 500) return error;
  return new SpotivecError("BAD_REQUEST", error.message || "invalid request", {
    hint: "Send the body as JSON with content-type: application/json; see /api/openapi.json.",
  });
}

export function errorResponse(c: Context, error: unknown): Response {
  const { body, status } = httpError(error);
  return c.json(body, status);
}

/** The first issue zod found, said in one line, with a hint that names the fix. */
export function badRequest(
  issues: ReadonlyArray<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }>,
): SpotivecError {
  const issue = issues[0];
  const where = issue?.path.join(".") || "request";
  if (issue?.code === "unrecognized_keys") {
    const keys = issue.keys?.join(", ") ?? "";
    return new SpotivecError("BAD_REQUEST", `unknown parameter(s): ${keys}`, {
      hint: `Leave out ${keys}; /api/openapi.json lists the parameters of each route.`,
    });
  }
  const message = issue?.message ?? "invalid";
  return new SpotivecError("BAD_REQUEST", `${where}: ${message}`, {
    hint: `Give ${where} as ${message.replace(/^expected /, "")}, or leave it out if it is optional; see /api/openapi.json.`,
  });
}

export function trackNotFound(id: string): SpotivecError {
  return new SpotivecError("NOT_FOUND", `no track ${id} in the catalog`, {
    hint: "Take ids from /api/search results.",
  });
}

export function routeNotFound(method: string, url: string): SpotivecError {
  return new SpotivecError("NOT_FOUND", `no route ${method} ${new URL(url).pathname}`, {
    hint: "The API is under /api; see /api/openapi.json.",
  });
}
