import { describe, expect, it } from "vitest";
import { createEmbedder, STATIC_MODEL } from "../../src/embed/embedder.js";
import { dot } from "../../src/embed/vectors.js";
import { STATIC_MODEL_MISSING, staticModelAvailable } from "./model.js";

// model2vec's own Python `StaticModel.encode` on the model `npm run model` distils (model.safetensors sha256
// 3ad0f737..., deterministic): the first five values of each vector, float16 precision.
const PYTHON_REFERENCE: Array<[string, number[]]> = [
  ["Comedy by Gen Hoshino.", [0.1891, -0.142, -0.001193, -0.05386, 0.03827]],
  ["dark techno with high energy", [-0.1116, -0.2405, -0.0545, 0.0408, -0.003271]],
];

describe.skipIf(!staticModelAvailable())(`the real ${STATIC_MODEL}`, () => {
  it("embeds as model2vec does in Python, in 256 normalized dimensions", async () => {
    const embedder = await createEmbedder(STATIC_MODEL);
    const vectors = await embedder.embed(
      PYTHON_REFERENCE.map(([text]) => text),
      "query",
    );
    PYTHON_REFERENCE.forEach(([, expected], i) => {
      const v = vectors[i] as Float32Array;
      expect(v.length).toBe(256);
      expect(dot(v, v)).toBeCloseTo(1, 4);
      for (const [d, x] of expected.entries()) expect(v[d]).toBeCloseTo(x, 3);
    });
  });

  it("puts a description closer to a query about it than to an unrelated one", async () => {
    const embedder = await createEmbedder(STATIC_MODEL);
    const [techno, ballad, query] = await embedder.embed(
      [
        "Genre: techno, minimal-techno. Very high energy, dark mood, fast tempo (130 BPM), instrumental.",
        "Genre: acoustic, folk. Very calm, low energy, sad mood, slow tempo (70 BPM), with vocals.",
        "dark techno with high energy",
      ],
      "document",
    );
    expect(dot(query as Float32Array, techno as Float32Array)).toBeGreaterThan(
      dot(query as Float32Array, ballad as Float32Array),
    );
  });
});

if (!staticModelAvailable()) {
  describe("the real static model", () => {
    it.skip(`skipped: ${STATIC_MODEL_MISSING}`, () => {});
  });
}
