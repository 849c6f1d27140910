import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder, type Embedder, MINILM_MODEL } from "../../src/embed/embedder.js";
import { MODEL_MISSING, modelAvailable } from "./model.js";

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe.skipIf(!modelAvailable())(`the real ${MINILM_MODEL}`, () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await createEmbedder(MINILM_MODEL, { offline: true });
  });
  afterAll(() => embedder?.close());

  it("gives 384-dimensional unit vectors", async () => {
    const [v] = await embedder.embed(["dark techno with high energy"], "query");
    expect(v?.length).toBe(384);
    expect(Math.sqrt(cosine(v as Float32Array, v as Float32Array))).toBeCloseTo(1, 4);
  });

  // Each row: an anchor, a phrase meaning the same, a phrase meaning something else.
  const triples: Array<[string, string, string]> = [
    // "sad songs" is as near "melancholic music" as "happy party anthems" (0.466 both): antonyms are this model's
    // weak spot, which is why the query planner reads mood words itself instead of trusting similarity.
    ["sad songs", "songs that make you cry", "happy party anthems"],
    ["a sad song about heartbreak", "a melancholic ballad about lost love", "a happy song about summer fun"],
    ["fast energetic techno", "high energy electronic dance music", "slow acoustic folk ballad"],
    ["calm music for sleeping", "soothing relaxing ambient sounds", "aggressive heavy metal"],
    ["upbeat happy pop", "cheerful feel-good song", "gloomy dark requiem"],
    ["instrumental piano", "solo piano without vocals", "rap vocals over beats"],
    ["songs for running", "workout music with a fast tempo", "lullaby for a baby"],
  ];
  it.each(triples)("puts %s nearer to its paraphrase than to its opposite", async (anchor, same, other) => {
    const [a, s, o] = (await embedder.embed([anchor, same, other], "document")) as Float32Array[];
    expect(cosine(a as Float32Array, s as Float32Array)).toBeGreaterThan(
      cosine(a as Float32Array, o as Float32Array) + 0.05,
    );
  });

  it("pools as transformers.js's own feature-extraction pipeline does", async () => {
    const { env, pipeline } = await import("@huggingface/transformers");
    env.allowRemoteModels = false;
    const extract = (await pipeline("feature-extraction", MINILM_MODEL, {
      dtype: "q8",
      device: "cpu",
    })) as unknown as (texts: string[], options: object) => Promise<{ data: Float32Array }>;
    const texts = ["short", "a much longer description of a track with many words in it", "dark techno"];
    const reference = await extract(texts, { pooling: "mean", normalize: true });
    const ours = await embedder.embed(texts, "document");
    const gap = Math.max(
      ...ours.flatMap((v, i) => [...v].map((x, d) => Math.abs(x - (reference.data[i * 384 + d] as number)))),
    );
    expect(gap).toBeLessThan(1e-6);
  });

  it("counts a text's length in the model's tokens, [CLS] and [SEP] included", () => {
    // "dark techno" is four tokens: [CLS] dark techno [SEP].
    expect(embedder.tokenLength?.("dark techno")).toBe(4);
    expect(embedder.tokenLength?.("")).toBe(2);
  });

  it("embeds a batch nearly the same as one at a time", async () => {
    const texts = ["short", "a much longer description of a track with many words in it"];
    const batch = await embedder.embed(texts, "document");
    const single = await embedder.embed([texts[0] as string], "document");
    // Dynamic int8 quantization scales activations per batch, so padding moves vectors a little (0.99 seen).
    expect(cosine(batch[0] as Float32Array, single[0] as Float32Array)).toBeGreaterThan(0.98);
  });
});

if (!modelAvailable()) {
  describe("the real model", () => {
    it.skip(`skipped: ${MODEL_MISSING}`, () => {});
  });
}
