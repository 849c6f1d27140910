import { describe, expect, it } from "vitest";
import { tagTracks } from "../../src/enrich/tags/run.js";
import { filledStore, storeTrack } from "../helpers.js";
import { fakeTags } from "../servers/llm-apis.js";

/** A fetch answering OpenAI chat completions with the test server's fake model, counting the tracks sent. */
function fakeOpenAi(usage = { prompt_tokens: 1000, completion_tokens: 100 }) {
  const sent: string[][] = [];
  const fetchImpl = (async (_url: string, init: { body: string }) => {
    const body = JSON.parse(init.body) as { messages: Array<{ role: string; content: string }> };
    const lines = (body.messages.find((m) => m.role === "user")?.content ?? "")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    sent.push(lines.map((l) => l.title));
    const content = JSON.stringify(fakeTags(lines, "normal"));
    return new Response(JSON.stringify({ choices: [{ message: { content } }], usage }), { status: 200 });
  }) as unknown as typeof fetch;
  return { fetch: fetchImpl, sent };
}

const env = { OPENAI_API_KEY: "k" };

/** Tags every track of the store with gpt-4o-mini through the fake API, with whatever else the test sets. */
function tagWith(
  store: Parameters<typeof tagTracks>[0]["store"],
  api: ReturnType<typeof fakeOpenAi>,
  more: Partial<Parameters<typeof tagTracks>[0]> = {},
) {
  return tagTracks({
    store,
    provider: "openai",
    model: "gpt-4o-mini",
    env,
    scope: {},
    http: { fetch: api.fetch },
    ...more,
  });
}

describe("tagTracks", () => {
  it("asks once about tracks with the same input and gives them the same tags", async () => {
    const twin = { name: "Same", album: "Same", energy: 0.9 };
    const store = await filledStore([storeTrack("1", twin), storeTrack("2", twin), storeTrack("3")]);
    const api = fakeOpenAi();
    const s = await tagWith(store, api);
    expect(api.sent.flat().sort()).toEqual(["Same", "Song 3"]);
    expect(s.counts.tagged).toBe(3);
    const [a, b] = store.getTracks([1, 2]);
    expect(a?.llmTags?.tags).toContain("energetic");
    expect(b?.llmTags).toEqual(a?.llmTags);
    store.close();
  });

  it("books the usage the API reports, and stops when the next request would pass the budget", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => storeTrack(String(i + 1)));
    const store = await filledStore(rows);
    // Each reply reports 1M input tokens: $0.15 at gpt-4o-mini's price, far above the estimate.
    const api = fakeOpenAi({ prompt_tokens: 1_000_000, completion_tokens: 0 });
    const s = await tagWith(store, api, { batchSize: 2, concurrency: 1, budgetUsd: 0.2 });
    expect(s.requests).toBe(1);
    expect(s.costUsd).toBeCloseTo(0.15, 10);
    expect(s).toMatchObject({ stoppedByBudget: true, status: "budget" });
    expect(store.tagRuns(1)[0]).toMatchObject({ status: "budget", inputTokens: 1_000_000 });
    store.close();
  });
});
