import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { createEmbedder, REMOTE_PREFIXES, STATIC_MODEL } from "../../src/embed/embedder.js";
import { REMOTE_PROVIDERS } from "../../src/embed/providers.js";
import { loadStaticModel, readSafetensorsMatrix, staticVectorizer } from "../../src/embed/static.js";
import { tempDir, writeStaticModel } from "../helpers.js";

// Rows chosen so means are easy to check by hand: "dark" and "techno" point along the first two axes.
const VOCAB = ["dark", "techno", "##s", "happy", ",", "pop"];
const ROWS = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 2],
  [-1, 0, 0],
  [0, 0, 0.5],
  [0, -1, 0],
];
const norm = (v: readonly number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe("static embedder (model2vec layout)", () => {
  it("embeds a text as the normalized mean of its WordPiece token rows, lowercased, unknown words dropped", async () => {
    const modelDir = tempDir();
    writeStaticModel(modelDir, "tiny", VOCAB, ROWS);
    const embedder = await createEmbedder("static:tiny", { modelDir });
    expect(embedder.model).toBe("static:tiny");
    expect(embedder.dims).toBe(3);
    const [dark, darkTechno, technos, unknown] = await embedder.embed(
      ["Dark", "dark   TECHNO zzz", "technos,", "zzz qqq"],
      "document",
    );
    expect(Array.from(dark ?? [])).toEqual([1, 0, 0]);
    expect(Array.from(darkTechno ?? []).map((x) => x.toFixed(5))).toEqual(
      norm([1, 1, 0]).map((x) => x.toFixed(5)),
    );
    // "technos," is techno + ##s + "," (punctuation is its own token).
    expect(Array.from(technos ?? []).map((x) => x.toFixed(5))).toEqual(
      norm([0, 1, 2.5]).map((x) => x.toFixed(5)),
    );
    expect(Array.from(unknown ?? [])).toEqual([0, 0, 0]);
    // Clauses (split after "," and ".") are cached as wholes: the same tokens count as without the cache.
    for (let round = 0; round < 2; round++) {
      const [clauses] = await embedder.embed(["Dark, techno. dark, techno."], "document");
      expect(Array.from(clauses ?? []).map((x) => x.toFixed(5))).toEqual(
        norm([2, 2, 1]).map((x) => x.toFixed(5)),
      );
    }
    // Queries are embedded like documents; the word cache does not change a repeated text's vector.
    const [again] = await embedder.embed(["dark   TECHNO zzz"], "query");
    expect(Array.from(again ?? [])).toEqual(Array.from(darkTechno ?? []));
  });

  it("reads F16 matrices like F32 ones", () => {
    const modelDir = tempDir();
    const f16 = readSafetensorsMatrix(
      readFileSync(`${writeStaticModel(modelDir, "half", VOCAB, ROWS, "F16")}/model.safetensors`),
    );
    const f32 = readSafetensorsMatrix(
      readFileSync(`${writeStaticModel(modelDir, "full", VOCAB, ROWS, "F32")}/model.safetensors`),
    );
    expect(f16.rows).toBe(VOCAB.length + 2);
    expect(f16.cols).toBe(3);
    expect(Array.from(f16.data)).toEqual(Array.from(f32.data));
    expect(f16.data[2 * 3]).toBe(1);
    expect(f16.data[7 * 3 + 1]).toBe(-1);
  });

  it("stops counting tokens at the model's max_length, as model2vec truncates", async () => {
    const modelDir = tempDir();
    const dir = writeStaticModel(modelDir, "short", VOCAB, ROWS);
    const model = { ...(await loadStaticModel(dir, "static:short")), maxTokens: 2, normalize: false };
    const vectorOf = staticVectorizer(model);
    // Two tokens at most: "happy" comes too late, and in "technos" the cut falls inside the word (techno, not ##s).
    expect(Array.from(vectorOf("dark techno happy"))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(vectorOf("dark technos"))).toEqual([0.5, 0.5, 0]);
  });

  it("fails with MODEL_UNAVAILABLE naming the folder and `npm run model` when the model is not built", async () => {
    const modelDir = tempDir();
    const error = await createEmbedder(STATIC_MODEL, { modelDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpotivecError);
    expect((error as SpotivecError).code).toBe("MODEL_UNAVAILABLE");
    expect((error as SpotivecError).expected).toContain(`${modelDir}/static/minilm-m2v`);
    expect((error as SpotivecError).hint).toContain("npm run model");
  });

  it("knows every remote provider's prefix without loading them", () => {
    expect([...REMOTE_PREFIXES].sort()).toEqual(REMOTE_PROVIDERS.map((p) => `${p.prefix}:`).sort());
  });
});
