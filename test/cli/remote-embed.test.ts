import { describe, expect, it } from "vitest";
import { cli, FIXTURE_IDS, tempDir, writeFixtures } from "../helpers.js";
import { useEmbedServer } from "../servers/embed-apis.js";

// Keys and base URLs reach the CLI through its environment (io.env), pointed at the local server.
const MODEL = "openai:text-embedding-3-small";
const ctx = useEmbedServer();

function ingest(db: string, model = MODEL) {
  const fx = writeFixtures(tempDir());
  return cli(["ingest", fx.dataset114k, "--db", db, "--model", model, "--json"], ctx.env);
}

interface Failure {
  error: { code: string; message: string; got?: string; hint: string };
}

describe("remote embedding models through the CLI", () => {
  it("ingests with openai:, records the model and width, and searches with it", async () => {
    const db = `${tempDir()}/remote.db`;
    const r = await ingest(db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ model: MODEL, embedded: 9 });
    expect(ctx.server.requests.every((q) => q.authorization === "Bearer sk-test")).toBe(true);

    const info = await cli(["info", "--db", db, "--json"], ctx.env);
    expect(JSON.stringify(info.json())).toContain("1536");

    const s = await cli(
      ["search", "nuvole bianche", "--db", db, "--json", "--limit", "3", "--plain"],
      ctx.env,
    );
    expect(s.code, s.stderr).toBe(0);
    const results = s.json<{ results: Array<{ id: string }> }>().results;
    expect(results[0]?.id).toBe(FIXTURE_IDS.sadPiano);
  });

  it("a database built with openai: refuses voyage: (another model and width)", async () => {
    const db = `${tempDir()}/mismatch.db`;
    expect((await ingest(db)).code).toBe(0);
    const s = await cli(
      ["search", "piano", "--db", db, "--json", "--model", "voyage:voyage-3.5-lite"],
      ctx.env,
    );
    expect(s.code).toBe(1);
    expect(s.json<Failure>().error.code).toBe("MODEL_MISMATCH");
  });

  it("waits out a 429 and finishes", async () => {
    ctx.server.script.push({
      status: 429,
      headers: { "retry-after": "0" },
      body: { error: { message: "Rate limit" } },
    });
    const r = await ingest(`${tempDir()}/retry.db`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ embedded: 9 });
    expect(ctx.server.requests.length).toBeGreaterThanOrEqual(2);
  });

  it("a malformed reply fails the ingest with MODEL_UNAVAILABLE", async () => {
    ctx.server.script.push({ status: 200, body: { data: [{ index: 0, embedding: [1] }] } });
    const r = await ingest(`${tempDir()}/malformed.db`);
    expect(r.code).toBe(1);
    const e = r.json<Failure>().error;
    expect(e.code).toBe("MODEL_UNAVAILABLE");
    expect(e.message).toContain("cannot use");
  });

  it("a missing key is an error naming the variable", async () => {
    ctx.env.OPENAI_API_KEY = undefined;
    const r = await ingest(`${tempDir()}/nokey.db`);
    expect(r.code).toBe(1);
    const e = r.json<Failure>().error;
    expect(e.code).toBe("MODEL_UNAVAILABLE");
    expect(e.message).toContain("OPENAI_API_KEY");
    expect(ctx.server.requests).toHaveLength(0);
  });
});
