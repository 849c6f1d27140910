/**
 * A local stand-in for the chat APIs `enrich tags` calls, following their documented shapes:
 * OpenAI chat completions (https://platform.openai.com/docs/api-reference/chat/create): POST /openai/v1/chat/completions
 *   { model, messages, response_format: { type: "json_schema", json_schema: { name, strict, schema } } } ->
 *   { object: "chat.completion", choices: [{ message: { role, content, refusal } }], usage }; errors { error: { message } }.
 * OpenAI Batch (https://platform.openai.com/docs/api-reference/batch): POST /files (multipart, purpose "batch"),
 *   POST /batches { input_file_id, endpoint, completion_window }, GET /batches/{id} (in_progress on the first poll,
 *   then completed with output_file_id), GET /files/{id}/content (JSONL of { custom_id, response: { status_code, body } }).
 * Anthropic Messages (https://docs.anthropic.com/en/api/messages): POST /anthropic/v1/messages with x-api-key and
 *   anthropic-version; a forced tool -> { type: "message", content: [{ type: "tool_use", name, input }], usage:
 *   { input_tokens, output_tokens } }; errors { type: "error", error: { type, message } }.
 * Workers AI (https://developers.cloudflare.com/api/resources/ai/methods/run/): POST
 *   /client/v4/accounts/{id}/ai/run/{model} { messages, response_format } -> { result: { response, usage }, success }.
 *
 * The "model" tags each track from its features (energetic, calm, melancholic, dreamy) and names the first other
 * artist in the request as similar, plus one the catalog lacks. `mode` makes it misbehave on purpose; `script`
 * holds canned replies served (first in, first out) before normal ones. Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { CannedReply } from "./embed-apis.js";
import { readJsonRequest } from "./http.js";

export type LlmMode = "normal" | "missing-id" | "extra-id" | "out-of-vocabulary" | "contradict" | "malformed";

export interface LlmRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export interface LlmServer {
  openaiUrl: string;
  anthropicUrl: string;
  workersAiUrl: string;
  requests: LlmRequest[];
  script: CannedReply[];
  mode: LlmMode;
  /** Batches stay in_progress while this is set (a run then leaves its batch for the next one). */
  holdBatches: boolean;
  /** Tracks sent in chat requests (batch lines included), by their input line. */
  tracksSent: number;
  close(): Promise<void>;
}

interface TrackLine {
  id: string;
  artists?: string[];
  energy?: number;
  valence?: number;
}

function linesOf(userText: string): TrackLine[] {
  return userText
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as TrackLine);
}

/** What the fake model answers for these tracks, under the server's mode. */
export function fakeTags(tracks: readonly TrackLine[], mode: LlmMode): unknown {
  const answers = tracks.map((t) => {
    const tags = ["dreamy"];
    if ((t.energy ?? 0.5) > 0.7) tags.push("energetic");
    if ((t.energy ?? 0.5) < 0.3) tags.push("calm");
    if ((t.valence ?? 0.5) < 0.3) tags.push("melancholic");
    if (mode === "out-of-vocabulary") tags.push("bananacore");
    if (mode === "contradict") tags.push("calm");
    const other = tracks.find((o) => o.artists?.[0] && o.artists[0] !== t.artists?.[0])?.artists?.[0];
    return { id: t.id, tags, similar_artists: [...(other ? [other] : []), "Nobody Band"] };
  });
  if (mode === "missing-id" && answers.length > 1) answers.pop();
  if (mode === "extra-id") answers.push({ id: "t999", tags: ["sad"], similar_artists: [] });
  return { tracks: answers };
}

const tokens = (s: string) => Math.ceil(s.length / 4);

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

interface Ctx {
  server: LlmServer;
  files: Map<string, string>;
  batches: Map<string, { input: string; polls: number; output?: string }>;
}

/** The user text of an OpenAI-shaped or Anthropic-shaped body. */
function userText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ role: string; content: string }>) ?? [];
  return messages.find((m) => m.role === "user")?.content ?? "";
}

/** A chat completion body for an OpenAI-shaped request, or a 400 reason. */
function openaiCompletion(ctx: Ctx, body: Record<string, unknown>): { status: number; payload: unknown } {
  const rf = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (rf?.type !== "json_schema" || !rf.json_schema?.schema)
    return {
      status: 400,
      payload: { error: { message: "response_format json_schema required", type: "invalid_request_error" } },
    };
  const tracks = linesOf(userText(body));
  ctx.server.tracksSent += tracks.length;
  const content =
    ctx.server.mode === "malformed" && tracks.length > 1
      ? "not json {"
      : JSON.stringify(fakeTags(tracks, ctx.server.mode));
  return {
    status: 200,
    payload: {
      id: "chatcmpl-1",
      object: "chat.completion",
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: tokens(JSON.stringify(body)),
        completion_tokens: tokens(content),
        total_tokens: 0,
      },
    },
  };
}

async function openaiBatchRoutes(ctx: Ctx, req: IncomingMessage, raw: string, path: string, send: Send) {
  if (path === "/openai/v1/files" && req.method === "POST") {
    const form = await new Response(raw, {
      headers: { "content-type": req.headers["content-type"] ?? "" },
    }).formData();
    const file = form.get("file");
    if (form.get("purpose") !== "batch" || !(file instanceof Blob))
      return send(400, { error: { message: "purpose batch and a file are required" } });
    const id = `file-${ctx.files.size + 1}`;
    ctx.files.set(id, await file.text());
    return send(200, { id, object: "file", purpose: "batch", bytes: raw.length });
  }
  if (path === "/openai/v1/batches" && req.method === "POST") {
    const body = JSON.parse(raw) as { input_file_id?: string; endpoint?: string; completion_window?: string };
    const input = ctx.files.get(body.input_file_id ?? "");
    if (!input || body.endpoint !== "/v1/chat/completions" || body.completion_window !== "24h")
      return send(400, { error: { message: "bad batch" } });
    const id = `batch_${ctx.batches.size + 1}`;
    ctx.batches.set(id, { input, polls: 0 });
    return send(200, { id, object: "batch", status: "validating", input_file_id: body.input_file_id });
  }
  const poll = /^\/openai\/v1\/batches\/([^/]+)$/.exec(path);
  if (poll && req.method === "GET") {
    const b = ctx.batches.get(poll[1] ?? "");
    if (!b) return send(404, { error: { message: "No such batch" } });
    b.polls++;
    if (b.polls < 2 || ctx.server.holdBatches)
      return send(200, { id: poll[1], object: "batch", status: "in_progress" });
    if (!b.output) {
      const out = b.input
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => {
          const line = JSON.parse(l) as { custom_id: string; body: Record<string, unknown> };
          const r = openaiCompletion(ctx, line.body);
          return JSON.stringify({
            id: `req_${line.custom_id}`,
            custom_id: line.custom_id,
            response: { status_code: r.status, body: r.payload },
            error: null,
          });
        });
      const id = `file-${ctx.files.size + 1}`;
      ctx.files.set(id, `${out.join("\n")}\n`);
      b.output = id;
    }
    return send(200, {
      id: poll[1],
      object: "batch",
      status: "completed",
      output_file_id: b.output,
      error_file_id: null,
    });
  }
  const content = /^\/openai\/v1\/files\/([^/]+)\/content$/.exec(path);
  if (content && req.method === "GET") {
    const text = ctx.files.get(content[1] ?? "");
    return text === undefined ? send(404, { error: { message: "No such file" } }) : send(200, text);
  }
  send(404, { error: { message: "Not found" } });
}

function anthropicRoute(
  ctx: Ctx,
  req: IncomingMessage,
  body: Record<string, unknown>,
  key: string,
  send: Send,
) {
  if (req.headers["x-api-key"] !== key)
    return send(401, {
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
  if (!req.headers["anthropic-version"])
    return send(400, {
      type: "error",
      error: { type: "invalid_request_error", message: "anthropic-version header is required" },
    });
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  if (choice?.type !== "tool" || typeof body.max_tokens !== "number")
    return send(400, {
      type: "error",
      error: { type: "invalid_request_error", message: "tool_choice and max_tokens required" },
    });
  const tracks = linesOf(userText(body));
  ctx.server.tracksSent += tracks.length;
  const input =
    ctx.server.mode === "malformed" && tracks.length > 1
      ? { nothing: true }
      : fakeTags(tracks, ctx.server.mode);
  send(200, {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: body.model,
    content: [{ type: "tool_use", id: "toolu_1", name: choice.name, input }],
    stop_reason: "tool_use",
    usage: { input_tokens: tokens(JSON.stringify(body)), output_tokens: tokens(JSON.stringify(input)) },
  });
}

function workersRoute(
  ctx: Ctx,
  req: IncomingMessage,
  body: Record<string, unknown>,
  token: string,
  send: Send,
) {
  if (req.headers.authorization !== `Bearer ${token}`)
    return send(401, { success: false, errors: [{ code: 10000, message: "Authentication error" }] });
  const rf = body.response_format as { type?: string } | undefined;
  if (rf?.type !== "json_schema")
    return send(400, { success: false, errors: [{ code: 5006, message: "bad input" }] });
  const tracks = linesOf(userText(body));
  ctx.server.tracksSent += tracks.length;
  const response =
    ctx.server.mode === "malformed" && tracks.length > 1 ? "oops" : fakeTags(tracks, ctx.server.mode);
  send(200, {
    result: {
      response,
      usage: { prompt_tokens: tokens(JSON.stringify(body)), completion_tokens: 50, total_tokens: 0 },
    },
    success: true,
    errors: [],
    messages: [],
  });
}

export async function startLlmServer(keys: {
  openai: string;
  anthropic: string;
  cloudflare: string;
}): Promise<LlmServer> {
  const ctx: Ctx = { server: null as unknown as LlmServer, files: new Map(), batches: new Map() };
  const script: CannedReply[] = [];
  const requests: LlmRequest[] = [];
  const http = createServer(async (req, res) => {
    const { path, raw, body } = await readJsonRequest(req);
    requests.push({ path, headers: req.headers, body });
    const send: Send = (status, payload, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const canned = script.shift();
    if (canned) return send(canned.status, canned.body, canned.headers);
    if (path.startsWith("/anthropic/")) {
      return path === "/anthropic/v1/messages"
        ? anthropicRoute(ctx, req, body, keys.anthropic, send)
        : send(404, { type: "error", error: { type: "not_found_error", message: "Not found" } });
    }
    if (/^\/client\/v4\/accounts\/[^/]+\/ai\/run\/.+$/.test(path))
      return workersRoute(ctx, req, body, keys.cloudflare, send);
    if (!path.startsWith("/openai/")) return send(404, { error: { message: "Not found" } });
    if (req.headers.authorization !== `Bearer ${keys.openai}`)
      return send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
    if (path === "/openai/v1/chat/completions") {
      const r = openaiCompletion(ctx, body);
      return send(r.status, r.payload);
    }
    return openaiBatchRoutes(ctx, req, raw, path, send);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  ctx.server = {
    openaiUrl: `${base}/openai/v1`,
    anthropicUrl: `${base}/anthropic/v1`,
    workersAiUrl: `${base}/client/v4`,
    requests,
    script,
    mode: "normal",
    holdBatches: false,
    tracksSent: 0,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
  return ctx.server;
}
