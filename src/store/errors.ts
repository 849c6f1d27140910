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

/**
 * Whether the database already has a model: true when it is the asked one, false when it has none yet; a different
 * model (or size) throws MODEL_MISMATCH.
 */
export function hasSameModel(path: string, stored: ModelInfo | null, asked: ModelInfo): boolean {
  if (stored && (stored.model !== asked.model || stored.dims !== asked.dims)) {
    throw mismatchError(path, stored, asked);
  }
  return stored !== null;
}
