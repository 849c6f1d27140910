/**
 * A local stand-in for the three remote embedding APIs, following their documented shapes:
 * OpenAI (https://platform.openai.com/docs/api-reference/embeddings/create): POST /v1/embeddings
 *   { model, input: string[] } -> { object: "list", data: [{ object: "embedding", index, embedding }], usage }.
 * Voyage (https://docs.voyageai.com/reference/embeddings-api): POST /v1/embeddings { model, input, input_type } ->
 *   the same list shape; errors are { detail }.
 * Workers AI (https://developers.cloudflare.com/api/resources/ai/methods/run/): POST
 *   /client/v4/accounts/{id}/ai/run/{model} { text: string[] } -> { result: { shape, data }, success, errors, messages }.
 * Vectors are deterministic word hashes, deliberately not normalized. Bearer tokens are checked. Listens on 127.0.0.1,
 * port 0. `script` holds canned replies served (first in, first out) before normal ones.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { readJsonRequest } from "./http.js";

export interface CannedReply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as is when a string, else as JSON. */
  body: unknown;
}

export interface EmbedRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface EmbedServer {
  /** Base URLs to put in SPOTIVEC_<PROVIDER>_BASE_URL. */
  openaiUrl: string;
  voyageUrl: string;
  workersAiUrl: string;
  requests: EmbedRequest[];
  script: CannedReply[];
  close(): Promise<void>;
}

const WIDTHS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "voyage-3.5-lite": 1024,
  "@cf/baai/bge-base-en-v1.5": 768,
};

/** Width for models the server does not list: 24 (to exercise learning dims from a reply). */
export function widthOf(model: string): number {
  return WIDTHS[model] ?? 24;
}

/** Deterministic, unnormalized: each word adds 3 to a bucket chosen by its hash. */
export function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0.01);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const h = createHash("md5").update(w).digest().readUInt32LE(0);
    v[h % dims] = (v[h % dims] ?? 0) + 3;
  }
  return v;
}

export async function startEmbedServer(keys: {
  openai: string;
  voyage: string;
  cloudflare: string;
}): Promise<EmbedServer> {
  const requests: EmbedRequest[] = [];
  const script: CannedReply[] = [];
  const server = createServer(async (req, res) => {
    const { path, body } = await readJsonRequest(req);
    requests.push({ path, authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const canned = script.shift();
    if (canned) return send(canned.status, canned.body, canned.headers);

    const workers = /^\/client\/v4\/accounts\/([^/]+)\/ai\/run\/(.+)$/.exec(path);
    if (workers) {
      if (req.headers.authorization !== `Bearer ${keys.cloudflare}`)
        return send(401, { success: false, errors: [{ code: 10000, message: "Authentication error" }] });
      const texts = body.text as string[];
      if (!Array.isArray(texts) || texts.length > 100)
        return send(400, { success: false, errors: [{ code: 5006, message: "bad input" }] });
      const dims = widthOf(workers[2] ?? "");
      return send(200, {
        result: { shape: [texts.length, dims], data: texts.map((t) => fakeVector(t, dims)) },
        success: true,
        errors: [],
        messages: [],
      });
    }
    const provider = path.startsWith("/openai/") ? "openai" : path.startsWith("/voyage/") ? "voyage" : null;
    if (!provider || !path.endsWith("/v1/embeddings")) return send(404, { detail: "Not Found" });
    if (req.headers.authorization !== `Bearer ${keys[provider]}`) {
      return provider === "openai"
        ? send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } })
        : send(401, { detail: "Provided API key is invalid." });
    }
    const input = body.input as string[];
    const limit = provider === "openai" ? 2048 : 1000;
    if (!Array.isArray(input) || input.length > limit) return send(400, { detail: "bad input" });
    const model = String(body.model);
    const dims = widthOf(model);
    send(200, {
      object: "list",
      // Listed in reverse so the client must order by index.
      data: input
        .map((t, index) => ({ object: "embedding", index, embedding: fakeVector(t, dims) }))
        .reverse(),
      model,
      usage: { total_tokens: input.join(" ").split(" ").length },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openaiUrl: `${base}/openai/v1`,
    voyageUrl: `${base}/voyage/v1`,
    workersAiUrl: `${base}/client/v4`,
    requests,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The keys the test server accepts. */
export const TEST_KEYS = { openai: "sk-test", voyage: "pa-test", cloudflare: "cf-token" };

/**
 * A test file's server: started once, its request log and script cleared before each test, and `env` (fresh for each
 * test) pointing every provider's key and base URL at it, as the CLI and the embedders read them.
 */
export function useEmbedServer(): { server: EmbedServer; env: NodeJS.ProcessEnv } {
  const ctx = {} as { server: EmbedServer; env: NodeJS.ProcessEnv };
  beforeAll(async () => {
    ctx.server = await startEmbedServer(TEST_KEYS);
  });
  afterAll(() => ctx.server.close());
  beforeEach(() => {
    ctx.server.requests.length = 0;
    ctx.server.script.length = 0;
    ctx.env = {
      OPENAI_API_KEY: TEST_KEYS.openai,
      VOYAGE_API_KEY: TEST_KEYS.voyage,
      CLOUDFLARE_ACCOUNT_ID: "acc1",
      CLOUDFLARE_API_TOKEN: TEST_KEYS.cloudflare,
      SPOTIVEC_OPENAI_BASE_URL: ctx.server.openaiUrl,
      SPOTIVEC_VOYAGE_BASE_URL: ctx.server.voyageUrl,
      SPOTIVEC_WORKERS_AI_BASE_URL: ctx.server.workersAiUrl,
    };
  });
  return ctx;
}
