/**
 * A local stand-in for the chat APIs `enrich tags` calls, following their documented shapes:
 * OpenAI chat completions (https://platform.openai.com/docs/api-reference/chat/create): POST /openai/v1/chat/completions
 *   { model, messages, response_format: { type: "json_schema", json_schema: { name, strict, schema } } } ->
 *   { object: "chat.completion", choices: [{ message: { role, content, refusal } }], usage }; errors { error: { message } }.
 * OpenAI Batch (https://platform.openai.com/docs/api-reference/batch): POST /files (multipart, purpose "batch"),
 *   POST /batches { input_file_id, endpoint, completion_window }, GET /batches/{id} (in_progress on the first poll,
 *   then completed with output_file_id and error_file_id), GET /files/{id}/content (JSONL of { custom_id, response:
 *   { status_code, body } }; failed requests in the error file).
 * Anthropic Messages (https://docs.anthropic.com/en/api/messages): POST /anthropic/v1/messages with x-api-key and
 *   anthropic-version; a forced tool -> { type: "message", content: [{ type: "tool_use", name, input }], usage:
 *   { input_tokens, output_tokens } }; errors { type: "error", error: { type, message } }.
 * Anthropic Message Batches (https://docs.anthropic.com/en/api/creating-message-batches, .../retrieving-message-batches,
 *   .../retrieving-message-batch-results): POST /anthropic/v1/messages/batches { requests: [{ custom_id, params }] } ->
 *   { id, type: "message_batch", processing_status: "in_progress" }; GET .../batches/{id} (in_progress on the first
 *   poll, then "ended" with an absolute results_url); GET results_url -> JSONL of { custom_id, result: { type:
 *   "succeeded", message } | { type: "errored", error } }, in any order (here: last request first).
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
  /** Batch requests (by custom id) whose result is a failure: OpenAI's error file, Anthropic's "errored". */
  failBatchRequests: Set<string>;
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
  /** Where the server listens (Anthropic's results_url is absolute). */
  base: string;
  files: Map<string, string>;
  batches: Map<string, { input: string; polls: number; output?: string; errors?: string | null }>;
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
      // Requests the test fails end up in the error file, as the docs describe for failed requests.
      const lines = b.input
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => {
          const line = JSON.parse(l) as { custom_id: string; body: Record<string, unknown> };
          const failed = ctx.server.failBatchRequests.has(line.custom_id);
          const r = failed
            ? { status: 500, payload: { error: { message: "The server had an error" } } }
            : openaiCompletion(ctx, line.body);
          const text = JSON.stringify({
            id: `req_${line.custom_id}`,
            custom_id: line.custom_id,
            response: { status_code: r.status, body: r.payload },
            error: null,
          });
          return { failed, text };
        });
      const fileOf = (texts: string[]) => {
        if (texts.length === 0) return null;
        const id = `file-${ctx.files.size + 1}`;
        ctx.files.set(id, `${texts.join("\n")}\n`);
        return id;
      };
      b.output = fileOf(lines.filter((l) => !l.failed).map((l) => l.text)) ?? undefined;
      b.errors = fileOf(lines.filter((l) => l.failed).map((l) => l.text));
    }
    return send(200, {
      id: poll[1],
      object: "batch",
      status: "completed",
      output_file_id: b.output ?? null,
      error_file_id: b.errors ?? null,
    });
  }
  const content = /^\/openai\/v1\/files\/([^/]+)\/content$/.exec(path);
  if (content && req.method === "GET") {
    const text = ctx.files.get(content[1] ?? "");
    return text === undefined ? send(404, { error: { message: "No such file" } }) : send(200, text);
  }
  send(404, { error: { message: "Not found" } });
}

/** A Messages reply for an Anthropic-shaped request, or a 400 reason. */
function anthropicMessage(ctx: Ctx, body: Record<string, unknown>): { status: number; payload: unknown } {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  if (choice?.type !== "tool" || typeof body.max_tokens !== "number")
    return {
      status: 400,
      payload: {
        type: "error",
        error: { type: "invalid_request_error", message: "tool_choice and max_tokens required" },
      },
    };
  const tracks = linesOf(userText(body));
  ctx.server.tracksSent += tracks.length;
  const input =
    ctx.server.mode === "malformed" && tracks.length > 1
      ? { nothing: true }
      : fakeTags(tracks, ctx.server.mode);
  return {
    status: 200,
    payload: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: body.model,
      content: [{ type: "tool_use", id: "toolu_1", name: choice.name, input }],
      stop_reason: "tool_use",
      usage: { input_tokens: tokens(JSON.stringify(body)), output_tokens: tokens(JSON.stringify(input)) },
    },
  };
}

/** The result line of one Message Batches request (errored when the test says so or the request is bad). */
function anthropicResult(ctx: Ctx, r: { custom_id: string; params: Record<string, unknown> }): string {
  const reply = ctx.server.failBatchRequests.has(r.custom_id)
    ? {
        status: 500,
        payload: { type: "error", error: { type: "api_error", message: "Internal server error" } },
      }
    : anthropicMessage(ctx, r.params);
  const result =
    reply.status === 200
      ? { type: "succeeded", message: reply.payload }
      : { type: "errored", error: reply.payload };
  return JSON.stringify({ custom_id: r.custom_id, result });
}

function anthropicBatchRoutes(
  ctx: Ctx,
  req: IncomingMessage,
  body: Record<string, unknown>,
  path: string,
  send: Send,
) {
  const notFound = () =>
    send(404, { type: "error", error: { type: "not_found_error", message: "Not found" } });
  if (path === "/anthropic/v1/messages/batches" && req.method === "POST") {
    const requests = (body.requests as Array<{ custom_id?: string; params?: unknown }> | undefined) ?? [];
    if (requests.length === 0 || requests.some((r) => typeof r.custom_id !== "string" || !r.params))
      return send(400, {
        type: "error",
        error: { type: "invalid_request_error", message: "requests: custom_id and params required" },
      });
    const id = `msgbatch_${ctx.batches.size + 1}`;
    ctx.batches.set(id, { input: requests.map((r) => JSON.stringify(r)).join("\n"), polls: 0 });
    return send(200, { id, type: "message_batch", processing_status: "in_progress", results_url: null });
  }
  const poll = /^\/anthropic\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
  const b = poll && req.method === "GET" ? ctx.batches.get(poll[1] ?? "") : undefined;
  if (!poll || !b) return notFound();
  if (poll[2]) return b.output === undefined ? notFound() : send(200, b.output);
  b.polls++;
  if (b.polls < 2 || ctx.server.holdBatches)
    return send(200, {
      id: poll[1],
      type: "message_batch",
      processing_status: "in_progress",
      results_url: null,
    });
  // The docs warn that results may come in any order: served last request first.
  b.output ??= `${b.input
    .split("\n")
    .map((l) => anthropicResult(ctx, JSON.parse(l)))
    .reverse()
    .join("\n")}\n`;
  send(200, {
    id: poll[1],
    type: "message_batch",
    processing_status: "ended",
    results_url: `${ctx.base}/anthropic/v1/messages/batches/${poll[1]}/results`,
  });
}

function anthropicRoutes(
  ctx: Ctx,
  req: IncomingMessage,
  body: Record<string, unknown>,
  path: string,
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
  if (path !== "/anthropic/v1/messages") return anthropicBatchRoutes(ctx, req, body, path, send);
  const r = anthropicMessage(ctx, body);
  send(r.status, r.payload);
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
  const ctx: Ctx = { server: null as unknown as LlmServer, base: "", files: new Map(), batches: new Map() };
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
    if (path.startsWith("/anthropic/")) return anthropicRoutes(ctx, req, body, path, keys.anthropic, send);
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
  ctx.base = base;
  ctx.server = {
    openaiUrl: `${base}/openai/v1`,
    anthropicUrl: `${base}/anthropic/v1`,
    workersAiUrl: `${base}/client/v4`,
    requests,
    script,
    mode: "normal",
    holdBatches: false,
    failBatchRequests: new Set(),
    tracksSent: 0,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
  return ctx.server;
}
