import { beforeEach, describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { createEmbedder } from "../../src/embed/embedder.js";
import { OPENAI, VOYAGE, WORKERS_AI } from "../../src/embed/providers.js";
import {
  batchTexts,
  createRemoteEmbedder,
  type RemoteOptions,
  retryAfterMs,
} from "../../src/embed/remote.js";
import { dot } from "../../src/embed/vectors.js";
import { useEmbedServer } from "../servers/embed-apis.js";

const ctx = useEmbedServer();
let sleeps: number[];
let opts: RemoteOptions;

beforeEach(() => {
  sleeps = [];
  opts = { env: ctx.env, sleep: async (ms) => void sleeps.push(ms) };
});

async function rejection(p: Promise<unknown>): Promise<SpotivecError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SpotivecError);
  return e as SpotivecError;
}

describe("batching and Retry-After", () => {
  it("splits by count and by estimated tokens, keeping order", () => {
    const texts = Array.from({ length: 7 }, (_, i) => `t${i}`);
    expect(batchTexts(texts, 3, 1000).map((b) => b.length)).toEqual([3, 3, 1]);
    const long = ["x".repeat(30), "y".repeat(30), "z"];
    expect(batchTexts(long, 10, 15)).toEqual([[long[0]], [long[1], "z"]]);
    expect(batchTexts([], 3, 10)).toEqual([]);
  });

  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
  });
});

describe("providers against the local API server", () => {
  it("OpenAI: known width, vectors in input order, normalized, key sent", async () => {
    const e = await createRemoteEmbedder(OPENAI, "text-embedding-3-small", opts);
    expect(e.model).toBe("openai:text-embedding-3-small");
    expect(e.dims).toBe(1536);
    expect(ctx.server.requests).toHaveLength(0);
    const [a, b, a2] = await e.embed(["techno rave", "sad piano", "techno rave"], "document");
    expect(a?.length).toBe(1536);
    expect(dot(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
    expect(dot(a as Float32Array, a2 as Float32Array)).toBeCloseTo(1, 5);
    expect(dot(a as Float32Array, b as Float32Array)).toBeLessThan(0.5);
    expect(ctx.server.requests[0]?.authorization).toBe("Bearer sk-test");
    expect(ctx.server.requests[0]?.body).toMatchObject({
      model: "text-embedding-3-small",
      encoding_format: "float",
    });
  });

  it("Voyage: input_type follows query vs document", async () => {
    const e = await createRemoteEmbedder(VOYAGE, "voyage-3.5-lite", opts);
    expect(e.dims).toBe(1024);
    await e.embed(["a"], "query");
    await e.embed(["b"], "document");
    expect(ctx.server.requests.map((r) => r.body.input_type)).toEqual(["query", "document"]);
  });

  it("Workers AI: account in the path, at most 100 texts a request", async () => {
    const e = await createRemoteEmbedder(WORKERS_AI, "@cf/baai/bge-base-en-v1.5", opts);
    const texts = Array.from({ length: 250 }, (_, i) => `song ${i}`);
    const vectors = await e.embed(texts, "document");
    expect(vectors).toHaveLength(250);
    expect(vectors[0]?.length).toBe(768);
    expect(ctx.server.requests.map((r) => (r.body.text as string[]).length)).toEqual([100, 100, 50]);
    expect(ctx.server.requests[0]?.path).toBe("/client/v4/accounts/acc1/ai/run/@cf/baai/bge-base-en-v1.5");
  });

  it("learns the width of an unknown model from one probe", async () => {
    const e = await createRemoteEmbedder(OPENAI, "some-new-model", opts);
    expect(e.dims).toBe(24);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("the factory picks providers by prefix", async () => {
    const e = await createEmbedder("workers-ai:@cf/baai/bge-small-en-v1.5", { env: ctx.env });
    expect(e.model).toBe("workers-ai:@cf/baai/bge-small-en-v1.5");
    expect(e.dims).toBe(384);
    // The server answers 24 numbers for models it does not list: a known width is checked against every reply.
    expect((await rejection(e.embed(["x"], "query"))).got).toContain("24 numbers");
  }, 10_000);
});

describe("failures", () => {
  it("retries a 429 after Retry-After, and a 5xx with backoff", async () => {
    const e = await createRemoteEmbedder(OPENAI, "text-embedding-3-small", opts);
    ctx.server.script.push(
      { status: 429, headers: { "retry-after": "2" }, body: { error: { message: "Rate limit" } } },
      { status: 503, body: { error: { message: "overloaded" } } },
    );
    const [v] = await e.embed(["x"], "document");
    expect(v?.length).toBe(1536);
    expect(sleeps).toEqual([2000, 1000]);
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("caps the wait and gives up after the last try", async () => {
    const e = await createRemoteEmbedder(VOYAGE, "voyage-3.5-lite", { ...opts, maxAttempts: 3 });
    for (let i = 0; i < 3; i++)
      ctx.server.script.push({
        status: 429,
        headers: { "retry-after": "3600" },
        body: { detail: "slow down" },
      });
    const err = await rejection(e.embed(["x"], "query"));
    expect(err.code).toBe("MODEL_UNAVAILABLE");
    expect(err.message).toContain("after 3 tries");
    expect(err.got).toContain("slow down");
    expect(sleeps).toEqual([30_000, 30_000]);
  });

  it.each([
    ["not JSON", "<html>oops</html>", "no data list"],
    ["a missing index", { data: [{ index: 0, embedding: [1, 2] }] }, "1 embeddings for 2 inputs"],
    [
      "an extra index",
      {
        data: [
          { index: 0, embedding: [1, 2] },
          { index: 2, embedding: [1, 2] },
        ],
      },
      "index 2 outside",
    ],
    [
      "a repeated index",
      {
        data: [
          { index: 0, embedding: [1, 2] },
          { index: 0, embedding: [1, 2] },
        ],
      },
      "two embeddings with index 0",
    ],
    [
      "a non-number",
      {
        data: [
          { index: 0, embedding: [1, "2"] },
          { index: 1, embedding: [1, 2] },
        ],
      },
      "not a list of numbers",
    ],
  ])("refuses a reply with %s", async (_what, body, says) => {
    const e = await createRemoteEmbedder(OPENAI, "text-embedding-3-small", opts);
    ctx.server.script.push({ status: 200, body });
    const err = await rejection(e.embed(["a", "b"], "document"));
    expect(err.code).toBe("MODEL_UNAVAILABLE");
    expect(err.got).toContain(says);
  });

  it("refuses vectors of the wrong width", async () => {
    const e = await createRemoteEmbedder(OPENAI, "text-embedding-3-small", opts);
    ctx.server.script.push({ status: 200, body: { data: [{ index: 0, embedding: [1, 2, 3] }] } });
    const err = await rejection(e.embed(["a"], "document"));
    expect(err.message).toContain("wrong width");
  });

  it("a refused key says which variable to check, without retrying", async () => {
    const e = await createRemoteEmbedder(OPENAI, "text-embedding-3-small", {
      ...opts,
      env: { ...ctx.env, OPENAI_API_KEY: "wrong" },
    });
    const err = await rejection(e.embed(["a"], "document"));
    expect(err.message).toContain("refused the credentials");
    expect(err.got).toContain("Incorrect API key");
    expect(err.hint).toContain("OPENAI_API_KEY");
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("a Workers AI error reply is reported with its message", async () => {
    const e = await createRemoteEmbedder(WORKERS_AI, "@cf/baai/bge-base-en-v1.5", opts);
    ctx.server.script.push({ status: 200, body: { success: false, errors: [{ code: 1, message: "x" }] } });
    const err = await rejection(e.embed(["a"], "document"));
    expect(err.got).toContain("does not say success");
  });

  it.each([
    ["openai:text-embedding-3-small", "OPENAI_API_KEY"],
    ["voyage:voyage-3.5-lite", "VOYAGE_API_KEY"],
    ["workers-ai:@cf/baai/bge-base-en-v1.5", "CLOUDFLARE_API_TOKEN"],
  ])("a missing key for %s names %s", async (name, variable) => {
    const err = await rejection(createEmbedder(name, { env: { ...ctx.env, [variable]: "" } }));
    expect(err.code).toBe("MODEL_UNAVAILABLE");
    expect(err.message).toContain(variable);
    expect(err.hint).toContain(variable);
  });

  it("an empty model after the prefix is a usage error", async () => {
    expect((await rejection(createEmbedder("openai:", { env: ctx.env }))).code).toBe("USAGE");
  });
});
