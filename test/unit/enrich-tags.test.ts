import { describe, expect, it } from "vitest";
import type { Track } from "../../src/domain/track.js";
import { hasBatchApi } from "../../src/enrich/tags/batch-apis.js";
import { CONTRADICTIONS, contradiction } from "../../src/enrich/tags/contradictions.js";
import { costOf, estimateRun, OUTPUT_TOKENS_PER_TRACK } from "../../src/enrich/tags/cost.js";
import { PRICES, priceOf } from "../../src/enrich/tags/prices.js";
import { inputHash, readReply } from "../../src/enrich/tags/prompt.js";
import { TAG_PROVIDERS } from "../../src/enrich/tags/providers.js";
import { parseWhere } from "../../src/enrich/tags/scope.js";
import { checkTags, emptyCounts, validateReply } from "../../src/enrich/tags/validate.js";
import { TAG_BY_NAME, TAG_VOCABULARY } from "../../src/enrich/tags/vocabulary.js";
import { describeTrack } from "../../src/ingest/describe.js";
import { storeTrack, thrown } from "../helpers.js";

function track(overrides: Partial<Track> = {}): Track {
  return { ...storeTrack("1"), allGenres: ["rock"], ...overrides };
}

const noArtists = () => null;

describe("tag validation", () => {
  it("drops tags outside the vocabulary and tags the features contradict, counting each", () => {
    const counts = emptyCounts();
    const loud = track({ energy: 0.95 });
    expect(checkTags(loud, ["calm", "Dreamy", "bananacore", "dreamy"], [], noArtists, counts)).toEqual([
      "dreamy",
    ]);
    expect(counts).toMatchObject({ outOfVocabulary: 1, contradictions: 1 });
    expect(contradiction("calm", loud)).toBe("energy 0.95 is above 0.8");
    expect(contradiction("calm", track({ energy: 0.2 }))).toBeNull();
  });

  it("checks subgenre tags against the track's catalog labels", () => {
    const counts = emptyCounts();
    checkTags(track({ allGenres: ["alt-rock"] }), ["shoegaze", "trap"], [], noArtists, counts);
    expect(counts).toMatchObject({ genreChecked: 2, genreAgreed: 1 });
    const unlabelled = emptyCounts();
    checkTags(track({ allGenres: [] }), ["shoegaze"], [], noArtists, unlabelled);
    expect(unlabelled.genreChecked).toBe(0);
  });

  it("keeps similar artists the catalog knows, never the track's own", () => {
    const counts = emptyCounts();
    const known = (norm: string) => (norm === "slowdive" ? "Slowdive" : norm === "artist" ? "Artist" : null);
    expect(checkTags(track(), ["dreamy"], ["slowdive", "Artist", "Nobody"], known, counts)).toEqual([
      "dreamy",
      "like:Slowdive",
    ]);
    expect(counts.similarArtistsDropped).toBe(2);
  });

  it("accepts only ids that were sent, once, and returns those left out", () => {
    const sent = ["t1", "t2", "t3"].map((key, i) => ({
      key,
      rowid: i + 1,
      track: track(),
      inputHash: `h${i}`,
    }));
    const counts = emptyCounts();
    const reply = {
      tracks: [
        { id: "t1", tags: ["sad"], similar_artists: [] },
        { id: "t1", tags: ["happy"], similar_artists: [] },
        { id: "t9", tags: ["sad"], similar_artists: [] },
        { id: "t3", tags: [], similar_artists: [] },
      ],
    };
    const { accepted, missing } = validateReply(sent, reply, noArtists, counts);
    expect(accepted.map((a) => [a.rowid, a.tags])).toEqual([
      [1, ["sad"]],
      [3, []],
    ]);
    expect(missing.map((m) => m.key)).toEqual(["t2"]);
    expect(counts).toMatchObject({ unknownIds: 2, missingIds: 1 });
  });

  it("reads replies of the schema's shape and says what is wrong with others", () => {
    expect(readReply('{"tracks":[{"id":"t1","tags":["sad"]}]}').tracks[0]).toEqual({
      id: "t1",
      tags: ["sad"],
      similar_artists: [],
    });
    expect(() => readReply("not json")).toThrow("not JSON");
    expect(() => readReply({ tracks: [{ tags: [] }] })).toThrow('tracks[0] lacks a string "id"');
    expect(() => readReply({})).toThrow('no "tracks" array');
  });

  it("has contradiction rules only for vocabulary tags", () => {
    for (const rule of CONTRADICTIONS) expect(TAG_BY_NAME.has(rule.tag), rule.tag).toBe(true);
    expect(new Set(TAG_VOCABULARY.map((t) => t.tag)).size).toBe(TAG_VOCABULARY.length);
  });
});

describe("cost and prices", () => {
  it("estimates requests and tokens per batch, and halves the price through a batch API", () => {
    const lines = Array.from({ length: 60 }, (_, i) => `{"id":"t${i}","title":"Song ${i}"}`);
    const e = estimateRun(lines, 25, "openai", "gpt-4o-mini", false);
    expect(e.requests).toBe(3);
    expect(e.outputTokens).toBe(3 * 10 + 60 * OUTPUT_TOKENS_PER_TRACK);
    const price = priceOf("openai", "gpt-4o-mini");
    expect(e.costUsd).toBeCloseTo(((e.inputTokens * 0.15 + e.outputTokens * 0.6) / 1e6) as number, 12);
    expect(estimateRun(lines, 25, "openai", "gpt-4o-mini", true).costUsd).toBeCloseTo(
      (e.costUsd ?? 0) / 2,
      12,
    );
    expect(costOf({ inputTokens: 1e6, outputTokens: 0 }, price, false)).toBeCloseTo(0.15, 12);
    expect(estimateRun(lines, 25, "openai", "unlisted", false).costUsd).toBeNull();
  });

  it("prices dated model ids as their alias, and every entry says where and when it was read", () => {
    expect(priceOf("anthropic", "claude-haiku-4-5-20251001")?.model).toBe("claude-haiku-4-5");
    expect(priceOf("ollama", "anything")?.inputPerM).toBe(0);
    for (const p of PRICES) {
      expect(p.checked).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(p.source).not.toBe("");
      // A provider with a batch API has its batch price, and says where it was read.
      if (hasBatchApi(p.provider))
        expect(p).toMatchObject({ batchFactor: 0.5, batchSource: expect.any(String) });
      else expect(p.batchFactor).toBeUndefined();
    }
  });
});

describe("scope and input", () => {
  it("reads --where comparisons into inclusive ranges", () => {
    expect(parseWhere("popularity>=50 and energy<0.3")).toEqual({
      popularity: { min: 50 },
      energy: { max: 0.3 },
    });
    expect(parseWhere("popularity>50, year=1999")).toEqual({
      popularity: { min: 51 },
      year: { min: 1999, max: 1999 },
    });
    expect(thrown(() => parseWhere("colour>=3")).code).toBe("USAGE");
    expect(thrown(() => parseWhere("energy>0.8 and energy<0.2")).code).toBe("USAGE");
  });

  it("hashes what is sent, so a changed feature asks again and an unchanged track does not", () => {
    const t = track();
    expect(inputHash(t)).toBe(inputHash({ ...t }));
    expect(inputHash({ ...t, energy: 0.1 })).not.toBe(inputHash(t));
  });

  it("puts the tags and similar artists into the description", () => {
    const t = track({ llmTags: { model: "m", tags: ["dreamy", "shoegaze", "like:Slowdive"] } });
    expect(describeTrack(t)).toContain("Tags: dreamy, shoegaze; sounds like Slowdive.");
    expect(describeTrack(track())).not.toContain("Tags:");
  });
});

describe("provider shapes", () => {
  it("asks each API for the reply schema in its own way", () => {
    const keys = {
      OPENAI_API_KEY: "k",
      ANTHROPIC_API_KEY: "a",
      CLOUDFLARE_ACCOUNT_ID: "acc",
      CLOUDFLARE_API_TOKEN: "t",
    };
    const openai = TAG_PROVIDERS.openai.request("gpt-4o-mini", ["{}"], keys, "https://x/v1");
    expect(openai.url).toBe("https://x/v1/chat/completions");
    expect(openai.body.response_format).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    const anthropic = TAG_PROVIDERS.anthropic.request("claude-haiku-4-5", ["{}"], keys, "https://y/v1");
    expect(anthropic.body.tool_choice).toEqual({ type: "tool", name: "save_tags" });
    expect(anthropic.headers["x-api-key"]).toBe("a");
    const workers = TAG_PROVIDERS["workers-ai"].request("@cf/m", ["{}"], keys, "https://z/client/v4");
    expect(workers.url).toBe("https://z/client/v4/accounts/acc/ai/run/@cf/m");
    const ollama = TAG_PROVIDERS.ollama.request("llama3.1:8b", ["{}"], {}, "http://localhost:11434/v1");
    expect(ollama.headers.authorization).toBeUndefined();
  });

  it("reads usage from each reply shape", () => {
    const openai = TAG_PROVIDERS.openai.parse({
      choices: [{ message: { content: "{}" } }],
      usage: { prompt_tokens: 3, completion_tokens: 4 },
    });
    expect(openai.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(() => TAG_PROVIDERS.openai.parse({ choices: [{ message: { refusal: "no" } }] })).toThrow(
      "refused",
    );
    const anthropic = TAG_PROVIDERS.anthropic.parse({
      content: [{ type: "tool_use", name: "save_tags", input: { tracks: [] } }],
      usage: { input_tokens: 5, output_tokens: 6 },
    });
    expect(anthropic).toEqual({ content: { tracks: [] }, usage: { inputTokens: 5, outputTokens: 6 } });
    expect(() => TAG_PROVIDERS["workers-ai"].parse({ success: false })).toThrow("result.response");
  });
});
