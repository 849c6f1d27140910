/** Sentence vectors from a transformer's token states: pooled over the attended tokens, then L2-normalized. */

export type Pooling = "mean" | "cls";

/**
 * `hidden` is [batch, tokens, dims] row-major; `mask` is [batch, tokens], 1 where a token is real and 0 where it pads.
 * Mean pooling averages the real tokens' states (as sentence-transformers does); cls takes the first token's.
 * Token-major loops: each real token adds one contiguous row, and padding is skipped, not multiplied by 0.
 */
export function poolTokens(
  hidden: Float32Array,
  shape: readonly number[],
  mask: ArrayLike<bigint | number>,
  pooling: Pooling,
): Float32Array[] {
  const [batch = 0, tokens = 0, dims = 0] = shape;
  if (hidden.length !== batch * tokens * dims) {
    throw new Error(`token states of ${hidden.length} values do not fill the shape [${shape.join(", ")}]`);
  }
  const vectors: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    // Sums in float64, as transformers.js's own pooling does.
    const sum = new Float64Array(dims);
    const first = b * tokens * dims;
    if (pooling === "cls") sum.set(hidden.subarray(first, first + dims));
    else {
      let count = 0;
      for (let t = 0; t < tokens; t++) {
        if (Number(mask[b * tokens + t]) === 0) continue;
        count++;
        const row = first + t * dims;
        for (let d = 0; d < dims; d++) sum[d] = (sum[d] as number) + (hidden[row + d] as number);
      }
      if (count > 0) for (let d = 0; d < dims; d++) sum[d] = (sum[d] as number) / count;
    }
    vectors.push(normalized(sum));
  }
  return vectors;
}

function normalized(sum: Float64Array): Float32Array {
  let squares = 0;
  for (const x of sum) squares += x * x;
  const norm = Math.sqrt(squares) || 1;
  return Float32Array.from(sum, (x) => x / norm);
}
