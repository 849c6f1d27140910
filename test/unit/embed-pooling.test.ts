import { describe, expect, it } from "vitest";
import { poolTokens } from "../../src/embed/pooling.js";

/** Two texts of up to 3 tokens, 2 dimensions; the second text's last token is padding. */
const HIDDEN = new Float32Array([3, 4, 1, 0, 0, 1, /* text 2 */ 0, 2, 2, 0, 100, 100]);
const SHAPE = [2, 3, 2];
const MASK = new BigInt64Array([1n, 1n, 1n, 1n, 1n, 0n]);

const close = (a: Float32Array, b: number[]) => {
  expect(a.length).toBe(b.length);
  for (const [i, x] of b.entries()) expect(a[i]).toBeCloseTo(x, 6);
};

describe("poolTokens", () => {
  it("averages the real tokens only, then scales to unit length", () => {
    const [first, second] = poolTokens(HIDDEN, SHAPE, MASK, "mean");
    // Text 1: mean (4/3, 5/3) -> direction (4, 5). Text 2: the padding (100, 100) is left out: mean (1, 1).
    close(first as Float32Array, [4 / Math.hypot(4, 5), 5 / Math.hypot(4, 5)]);
    close(second as Float32Array, [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it("takes the first token for cls pooling", () => {
    const [first, second] = poolTokens(HIDDEN, SHAPE, MASK, "cls");
    close(first as Float32Array, [0.6, 0.8]);
    close(second as Float32Array, [0, 1]);
  });

  it("accepts a plain number mask and leaves an all-zero vector at zero", () => {
    const [zero] = poolTokens(new Float32Array(4), [1, 2, 2], [1, 1], "mean");
    expect([...(zero as Float32Array)]).toEqual([0, 0]);
  });

  it("refuses token states that do not fill the shape", () => {
    expect(() => poolTokens(new Float32Array(5), SHAPE, MASK, "mean")).toThrow(
      /do not fill the shape \[2, 3, 2\]/,
    );
  });
});
