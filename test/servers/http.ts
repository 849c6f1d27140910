/** What the local API stand-ins share: reading a request's body. */
import type { IncomingMessage } from "node:http";

export async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

/** The request's path, its raw body, and that body as JSON (an empty object when it is not JSON). */
export async function readJsonRequest(
  req: IncomingMessage,
): Promise<{ path: string; raw: string; body: Record<string, unknown> }> {
  const raw = await readBody(req);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {}
  return { path: req.url ?? "", raw, body };
}
