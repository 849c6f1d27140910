import { SpotivecError } from "../domain/errors.js";
import type { ModelInfo } from "./types.js";

export function mismatchError(path: string, stored: ModelInfo, asked: ModelInfo): SpotivecError {
  return new SpotivecError(
    "MODEL_MISMATCH",
    `The database at ${path} was built with another embedding model`,
    {
      expected: `${stored.model} (${stored.dims} dimensions), the model that built this database`,
      got: `${asked.model} (${asked.dims} dimensions)`,
      hint: `Search with --model ${stored.model}, or rebuild the vectors with \`spotivec ingest --model ${asked.model} --reembed\`.`,
    },
  );
}
