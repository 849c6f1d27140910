import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TagRunSummary } from "../../src/enrich/tags/run.js";
import { openStore } from "../../src/store/store.js";
import { cli, ingestFixtures, tempDir, writeFixtures } from "../helpers.js";
import { type LlmServer, startLlmServer } from "../servers/llm-apis.js";

// Tested against a local server that implements the documented request and reply shapes only: no real LLM.
const KEYS = { openai: "sk-test", anthropic: "sk-ant-test", cloudflare: "cf-token" };
let server: LlmServer;
let template: string;
let tracks: number;
let env: NodeJS.ProcessEnv = {};

type Summary = TagRunSummary & { reembedded: number | null };
interface Failure {
  error: { code: string; message: string; got?: string; hint: string };
}

beforeAll(async () => {
  server = await startLlmServer(KEYS);
  template = join(tempDir(), "template.db");
  const r = await ingestFixtures(writeFixtures(tempDir()), template);
  expect(r.code, r.stderr).toBe(0);
  const store = openStore(template, { readonly: true });
  tracks = store.stats().tracks;
  store.close();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.mode = "normal";
  server.holdBatches = false;
  server.failBatchRequests.clear();
  env = {
    OPENAI_API_KEY: KEYS.openai,
    SPOTIVEC_OPENAI_BASE_URL: server.openaiUrl,
    ANTHROPIC_API_KEY: KEYS.anthropic,
    SPOTIVEC_ANTHROPIC_BASE_URL: server.anthropicUrl,
    CLOUDFLARE_ACCOUNT_ID: "acct",
    CLOUDFLARE_API_TOKEN: KEYS.cloudflare,
    SPOTIVEC_WORKERS_AI_BASE_URL: server.workersAiUrl,
  };
});

/** A fresh copy of the ingested fixture database. */
function freshDb(): string {
  const db = join(tempDir(), "tags.db");
  copyFileSync(template, db);
  return db;
}

async function tag(db: string, ...args: string[]) {
  return cli(["enrich", "tags", "--db", db, "--json", ...args], env);
}

const chatRequests = () =>
  server.requests.filter((r) => !r.path.includes("/files") && !r.path.includes("/batches"));

/** A run with --batch, polling without waiting, 4 tracks per request. */
async function tagBatch(db: string, provider: string) {
  return tag(db, "--provider", provider, "--batch", "--poll-interval", "0", "--batch-size", "4");
}

describe("spotivec enrich tags", () => {
  it("--dry-run prints requests, tokens and cost before any request, without a key", async () => {
    const db = freshDb();
    const r = await cli(
      ["enrich", "tags", "--db", db, "--json", "--provider", "openai", "--dry-run", "--batch-size", "4"],
      {},
    );
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<Summary>();
    expect(s.estimate.tracks).toBe(tracks);
    expect(s.estimate.requests).toBe(Math.ceil(tracks / 4));
    expect(s.estimate.inputTokens).toBeGreaterThan(s.estimate.requests * 400);
    expect(s.estimate.costUsd).toBeGreaterThan(0);
    expect(s.price?.checked).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(server.requests).toHaveLength(0);
  });

  it("tags every track with OpenAI, re-embeds only changed tracks, and a rerun costs nothing", async () => {
    const db = freshDb();
    const r = await tag(db, "--provider", "openai", "--batch-size", "4");
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<Summary>();
    expect(s.counts.tagged).toBe(tracks);
    expect(s.requests).toBe(Math.ceil(tracks / 4));
    expect(s.costUsd).toBeGreaterThan(0);
    expect(s.changed).toBe(tracks);
    expect(s.reembedded).toBe(tracks);
    // The fake model names "Nobody Band", whom the catalog lacks, for every track.
    expect(s.counts.similarArtistsDropped).toBeGreaterThanOrEqual(tracks);
    const body = server.requests[0]?.body as { response_format: { type: string } };
    expect(body.response_format.type).toBe("json_schema");

    const store = openStore(db, { readonly: true });
    const described = store.getTracks([1])[0];
    expect(described?.llmTags?.model).toBe("gpt-4o-mini");
    expect(described?.description).toContain("Tags: dreamy");
    expect(store.tagRuns(1)[0]).toMatchObject({ status: "done", requests: s.requests });
    store.close();
    const info = await cli(["info", "--db", db, "--json"]);
    expect(info.json()).toMatchObject({ llmTags: [{ model: "gpt-4o-mini", tracks }] });

    server.requests.length = 0;
    const again = (await tag(db, "--provider", "openai", "--batch-size", "4")).json<Summary>();
    expect(server.requests).toHaveLength(0);
    expect(again).toMatchObject({ requests: 0, cachedTracks: tracks, changed: 0, reembedded: null });
  });

  it("makes a tag word a soft preference from LLM tags, and marks results carrying it with the model's name", async () => {
    const db = freshDb();
    type Out = {
      plan: {
        llmTags?: string[];
        constraints: Array<{ id: string; type: string; hard: boolean; source: { kind: string } }>;
      };
      results: Array<{ why: { llmTags?: string[]; summary: string; meets: Array<{ label: string }> } }>;
    };
    const search = async (...more: string[]) => {
      const r = await cli(["search", "dreamy techno", "--db", db, "--limit", "3", ...more]);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const before = (await search("--json")).json<Out>();
    expect(before.plan.llmTags).toBeUndefined();
    expect(before.plan.constraints.some((c) => c.source.kind === "llm-tag")).toBe(false);
    expect((await tag(db, "--provider", "openai")).code).toBe(0);
    const out = (await search("--json")).json<Out>();
    expect(out.plan.llmTags).toEqual(["dreamy"]);
    expect(out.plan.constraints.filter((c) => c.source.kind === "llm-tag")).toMatchObject([
      { id: "llm-tag-dreamy", type: "llm_tag", hard: false },
    ]);
    // The rest of the plan is what it was before the catalog had tags.
    expect(out.plan.constraints.filter((c) => c.type !== "llm_tag")).toEqual(before.plan.constraints);
    expect(out.results[0]?.why.llmTags).toEqual(["LLM tag (gpt-4o-mini): dreamy"]);
    expect(out.results[0]?.why.meets.map((m) => m.label)).toContain("LLM tag dreamy");
    expect(out.results[0]?.why.summary).toContain("LLM tag (gpt-4o-mini): dreamy");
    const explained = (await search("--explain")).stdout;
    expect(explained).toMatch(/soft\s+LLM tag dreamy\s+from LLM tags "dreamy"/);
  });

  it("tags with Anthropic (forced tool use) and Workers AI (JSON mode)", async () => {
    for (const provider of ["anthropic", "workers-ai"]) {
      const db = freshDb();
      const r = await tag(db, "--provider", provider);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json<Summary>().counts.tagged).toBe(tracks);
    }
    const anthropic = server.requests.find((q) => q.path.startsWith("/anthropic/"));
    expect(anthropic?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(server.requests.some((q) => q.path.includes("/accounts/acct/ai/run/@cf/meta/"))).toBe(true);
  });

  it("honours 429 Retry-After and retries a 500", async () => {
    const db = freshDb();
    server.script.push(
      { status: 429, headers: { "retry-after": "0" }, body: { error: { message: "Rate limit reached" } } },
      { status: 500, body: { error: { message: "boom" } } },
    );
    const r = await tag(db, "--provider", "openai", "--concurrency", "1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<Summary>().counts.tagged).toBe(tracks);
    expect(chatRequests()).toHaveLength(3);
  });

  it("fails with LLM_FAILED on refused credentials, keeping the run in the log", async () => {
    const db = freshDb();
    const r = await cli(["enrich", "tags", "--db", db, "--json", "--provider", "openai"], {
      ...env,
      OPENAI_API_KEY: "wrong",
    });
    expect(r.code).toBe(1);
    const e = r.json<Failure>().error;
    expect(e.code).toBe("LLM_FAILED");
    expect(e.got).toContain("Incorrect API key");
    const store = openStore(db, { readonly: true });
    expect(store.tagRuns(1)[0]?.status).toBe("failed");
    store.close();
  });

  it("says which variable is missing", async () => {
    const r = await cli(["enrich", "tags", "--db", freshDb(), "--json", "--provider", "anthropic"], {});
    expect(r.json<Failure>().error).toMatchObject({
      code: "LLM_FAILED",
      got: "ANTHROPIC_API_KEY is not set",
    });
  });

  it("retries ids a reply left out alone, and ignores ids it never sent", async () => {
    server.mode = "missing-id";
    const missing = (await tag(freshDb(), "--provider", "openai", "--batch-size", "3")).json<Summary>();
    expect(missing.counts.missingIds).toBe(Math.ceil(tracks / 3));
    expect(missing.counts.tagged).toBe(tracks);
    server.mode = "extra-id";
    const extra = (await tag(freshDb(), "--provider", "openai", "--batch-size", "3")).json<Summary>();
    expect(extra.counts.unknownIds).toBe(Math.ceil(tracks / 3));
    expect(extra.counts.tagged).toBe(tracks);
  });

  it("retries the tracks of a malformed reply one by one", async () => {
    server.mode = "malformed";
    const s = (await tag(freshDb(), "--provider", "openai", "--batch-size", "5")).json<Summary>();
    expect(s.counts.tagged).toBe(tracks);
    expect(s.requests).toBe(Math.ceil(tracks / 5) + tracks);
  });

  it("drops tags outside the vocabulary and tags the features contradict, and counts them", async () => {
    server.mode = "out-of-vocabulary";
    const oov = (await tag(freshDb(), "--provider", "openai")).json<Summary>();
    expect(oov.counts.outOfVocabulary).toBe(tracks);
    server.mode = "contradict";
    const db = freshDb();
    const s = (await tag(db, "--provider", "openai")).json<Summary>();
    const store = openStore(db, { readonly: true });
    const all = store.getTracks(Array.from({ length: tracks }, (_, i) => i + 1));
    store.close();
    // "calm" is given to every track and contradicts energy above 0.8.
    const loud = all.filter((t) => t.energy > 0.8);
    expect(loud.length).toBeGreaterThan(0);
    expect(s.counts.contradictions).toBe(loud.length);
    for (const t of loud) expect(t.llmTags?.tags).not.toContain("calm");
  });

  it("stops before exceeding --budget, and needs a known price for it", async () => {
    const s = (await tag(freshDb(), "--provider", "openai", "--budget", "0.000001")).json<Summary>();
    expect(s).toMatchObject({ stoppedByBudget: true, requests: 0, status: "budget" });
    expect(server.requests).toHaveLength(0);
    const db = freshDb();
    const dry = (await tag(db, "--provider", "openai", "--batch-size", "2", "--dry-run")).json<Summary>();
    const budget = (dry.estimate.costUsd ?? 0) / 2;
    const half = (
      await tag(db, "--provider", "openai", "--batch-size", "2", "--budget", String(budget))
    ).json<Summary>();
    expect(half.stoppedByBudget).toBe(true);
    expect(half.requests).toBeGreaterThan(0);
    expect(half.requests).toBeLessThan(dry.estimate.requests);
    expect(half.costUsd).toBeLessThanOrEqual(budget);
    const unknown = await tag(freshDb(), "--provider", "openai", "--model", "my-model", "--budget", "1");
    expect(unknown.json<Failure>().error.code).toBe("USAGE");
  });

  it("limits the scope with --genre, --where and --limit", async () => {
    const s = (
      await tag(freshDb(), "--provider", "openai", "--genre", "techno", "--dry-run")
    ).json<Summary>();
    expect(s.selected).toBe(2);
    const where = (
      await tag(freshDb(), "--provider", "openai", "--where", "energy>=0.9", "--dry-run")
    ).json<Summary>();
    expect(where.selected).toBeGreaterThan(0);
    expect(where.selected).toBeLessThan(tracks);
    const limited = (
      await tag(freshDb(), "--provider", "openai", "--limit", "2", "--dry-run")
    ).json<Summary>();
    expect(limited.selected).toBe(2);
    const bad = await tag(freshDb(), "--provider", "openai", "--where", "loudness is big");
    expect(bad.json<Failure>().error.code).toBe("USAGE");
  });

  it("goes through the OpenAI Batch API with --batch at half price", async () => {
    const db = freshDb();
    const r = await tag(db, "--provider", "openai", "--batch", "--poll-interval", "0", "--batch-size", "4");
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<Summary>();
    expect(s).toMatchObject({ status: "done" });
    expect(s.counts.tagged).toBe(tracks);
    expect(s.estimate.batch).toBe(true);
    const paths = server.requests.map((q) => q.path);
    expect(paths).toContain("/openai/v1/files");
    expect(paths).toContain("/openai/v1/batches");
    expect(paths.filter((p) => p === "/openai/v1/chat/completions")).toHaveLength(0);
    const dry = (await tag(freshDb(), "--provider", "openai", "--dry-run")).json<Summary>();
    const dryBatch = (await tag(freshDb(), "--provider", "openai", "--dry-run", "--batch")).json<Summary>();
    expect(dryBatch.estimate.costUsd).toBeCloseTo((dry.estimate.costUsd ?? 0) / 2, 10);
  });

  it("leaves a batch still running for the next run, which collects it instead of submitting another", async () => {
    const db = freshDb();
    server.holdBatches = true;
    const first = (await tag(db, "--provider", "openai", "--batch", "--poll-interval", "0")).json<Summary>();
    expect(first).toMatchObject({ status: "batch-pending", requests: 0 });
    expect(first.batchId).toMatch(/^batch_/);
    server.holdBatches = false;
    const second = (await tag(db, "--provider", "openai", "--batch", "--poll-interval", "0")).json<Summary>();
    expect(second.status).toBe("done");
    expect(second.cachedTracks).toBe(tracks);
    expect(server.requests.filter((q) => q.path === "/openai/v1/batches")).toHaveLength(1);
    const store = openStore(db, { readonly: true });
    expect(store.tagRuns(5).map((r) => r.status)).toEqual(["done", "done"]);
    expect(store.taggedCounts()).toEqual([{ model: "gpt-4o-mini", tracks }]);
    store.close();
  });

  it("goes through Anthropic Message Batches with --batch at half price", async () => {
    const db = freshDb();
    const r = await tagBatch(db, "anthropic");
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<Summary>();
    expect(s).toMatchObject({ status: "done", requests: Math.ceil(tracks / 4) });
    expect(s.counts.tagged).toBe(tracks);
    const created = server.requests.find((q) => q.path === "/anthropic/v1/messages/batches");
    const sent = created?.body as {
      requests: Array<{ custom_id: string; params: { tool_choice: unknown } }>;
    };
    expect(sent.requests).toHaveLength(Math.ceil(tracks / 4));
    expect(sent.requests[0]?.params.tool_choice).toEqual({ type: "tool", name: "save_tags" });
    expect(created?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(server.requests.filter((q) => q.path === "/anthropic/v1/messages")).toHaveLength(0);
    expect(server.requests.some((q) => q.path.endsWith("/results"))).toBe(true);
    const store = openStore(db, { readonly: true });
    expect(store.taggedCounts()).toEqual([{ model: "claude-haiku-4-5", tracks }]);
    store.close();
    const dry = (await tag(freshDb(), "--provider", "anthropic", "--dry-run")).json<Summary>();
    const dryBatch = (
      await tag(freshDb(), "--provider", "anthropic", "--dry-run", "--batch")
    ).json<Summary>();
    expect(dryBatch.estimate.costUsd).toBeCloseTo((dry.estimate.costUsd ?? 0) / 2, 10);
    // Usage is booked at batch price: what the same tokens would cost through the ordinary API, halved.
    const sync = (await tag(freshDb(), "--provider", "anthropic", "--batch-size", "4")).json<Summary>();
    expect(s.inputTokens).toBe(sync.inputTokens);
    expect(s.costUsd).toBeCloseTo((sync.costUsd ?? 0) / 2, 10);
  });

  it("collects a Message Batch left running by the previous run instead of submitting another", async () => {
    const db = freshDb();
    server.holdBatches = true;
    const first = (await tagBatch(db, "anthropic")).json<Summary>();
    expect(first).toMatchObject({ status: "batch-pending", requests: 0 });
    expect(first.batchId).toMatch(/^msgbatch_/);
    // Another provider's batch pending in the same log is not this run's.
    expect((await tagBatch(db, "openai")).json<Summary>().batchId).toMatch(/^batch_/);
    const still = (await tagBatch(db, "anthropic")).json<Summary>();
    expect(still).toMatchObject({ status: "batch-pending", batchId: first.batchId });
    server.holdBatches = false;
    const second = (await tagBatch(db, "anthropic")).json<Summary>();
    expect(second.status).toBe("done");
    expect(second.cachedTracks).toBe(tracks);
    expect(server.requests.filter((q) => q.path === "/anthropic/v1/messages/batches")).toHaveLength(1);
    const store = openStore(db, { readonly: true });
    expect(store.tagRuns(5).find((r) => r.batchId === first.batchId)?.status).toBe("done");
    expect(store.taggedCounts()).toEqual([{ model: "claude-haiku-4-5", tracks }]);
    store.close();
  });

  it("retries alone the tracks of a failed batch request, for both batch APIs", async () => {
    for (const [provider, chatPath] of [
      ["anthropic", "/anthropic/v1/messages"],
      ["openai", "/openai/v1/chat/completions"],
    ] as const) {
      server.requests.length = 0;
      server.failBatchRequests = new Set(["r2"]);
      const s = (await tagBatch(freshDb(), provider)).json<Summary>();
      expect(s.status).toBe("done");
      expect(s.counts.tagged).toBe(tracks);
      // Request r2 carried 4 tracks: each is asked about alone, and nothing else is.
      const alone = server.requests.filter((q) => q.path === chatPath);
      expect(alone).toHaveLength(4);
      expect(s.requests).toBe(Math.ceil(tracks / 4) - 1 + 4);
    }
  });

  it("refuses --batch for providers without a batch API", async () => {
    const r = await tag(freshDb(), "--provider", "workers-ai", "--batch");
    expect(r.code).toBe(2);
    expect(r.json<Failure>().error).toMatchObject({ code: "USAGE", got: "--provider workers-ai" });
    expect(server.requests).toHaveLength(0);
  });
});
