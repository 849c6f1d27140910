import { describe, expect, it } from "vitest";
import { embedInBatches } from "../../src/embed/batch.js";
import { createHashEmbedder, type Embedder } from "../../src/embed/embedder.js";

/** The hash embedder, recording each batch it is given and how many batches were running at once. */
function recordingEmbedder(): Embedder & { batches: string[][]; maxRunning: number } {
  const inner = createHashEmbedder(32);
  let running = 0;
  const recorder = {
    ...inner,
    batches: [] as string[][],
    maxRunning: 0,
    embed: async (texts: readonly string[]) => {
      recorder.batches.push([...texts]);
      running++;
      recorder.maxRunning = Math.max(recorder.maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      return inner.embed(texts, "document");
    },
  };
  return recorder;
}

const TEXTS = [
  "a much longer text than the others",
  "tiny",
  "mid sized text",
  "tiny",
  "ab",
  "mid sized text!",
];

describe("embedInBatches", () => {
  it("returns each text's own vector in input order, embedding identical texts once", async () => {
    const embedder = recordingEmbedder();
    const vectors = await embedInBatches(embedder, TEXTS, "document", { batchSize: 2 });
    const expected = await createHashEmbedder(32).embed(TEXTS, "document");
    expect(vectors.map((v) => Array.from(v))).toEqual(expected.map((v) => Array.from(v)));
    expect(embedder.batches.flat().sort()).toEqual([...new Set(TEXTS)].sort());
  });

  it("groups texts of similar length into the same batch", async () => {
    const embedder = recordingEmbedder();
    await embedInBatches(embedder, TEXTS, "document", { batchSize: 2, inFlight: 1 });
    expect(embedder.batches).toEqual([
      ["ab", "tiny"],
      ["mid sized text", "mid sized text!"],
      ["a much longer text than the others"],
    ]);
  });

  it("groups by the model's token length where the embedder tells it, not by characters", async () => {
    // Words stand in for tokens: "a b c d" is four, "abcdefghij" one. (The spread shares the recorder's batches.)
    const embedder = { ...recordingEmbedder(), tokenLength: (text: string) => text.split(" ").length };
    await embedInBatches(embedder, ["a b c d", "abcdefghij", "a b", "klmnopqrstuvw"], "document", {
      batchSize: 2,
      inFlight: 1,
    });
    expect(embedder.batches).toEqual([
      ["abcdefghij", "klmnopqrstuvw"],
      ["a b", "a b c d"],
    ]);
  });

  it("keeps at most inFlight batches with the model and reports progress over distinct texts", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `text number ${i}`);
    const progress: number[] = [];
    for (const inFlight of [1, 3]) {
      const embedder = recordingEmbedder();
      await embedInBatches(embedder, [...many, ...many], "document", {
        batchSize: 4,
        inFlight,
        onBatch: (done, distinct) => {
          expect(distinct).toBe(40);
          progress.push(done);
        },
      });
      expect(embedder.maxRunning).toBe(inFlight);
      expect(progress.at(-1)).toBe(40);
      progress.length = 0;
    }
  });
});
