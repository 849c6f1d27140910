import { SpotivecError } from "../domain/errors.js";
import { defaultDbPath } from "../domain/paths.js";
import { createEmbedder, DEFAULT_MODEL, type Embedder } from "../embed/embedder.js";
import { openStore, type Store } from "../store/store.js";
import type { Io, Ui } from "./ui.js";

export interface CommonOptions {
  db?: string;
  json?: boolean;
  model?: string;
  offline?: boolean;
  threads?: number;
}

export function resolveDbPath(options: CommonOptions, io: Io): string {
  return options.db ?? defaultDbPath(io.env);
}

export function openDb(options: CommonOptions, io: Io): Store {
  return openStore(resolveDbPath(options, io));
}

/** The model for a command: --model, else the one that built the database, else the default. */
export async function loadEmbedder(store: Store, options: CommonOptions, ui: Ui): Promise<Embedder> {
  const stored = store.modelInfo()?.model;
  const name = options.model ?? stored ?? DEFAULT_MODEL;
  const embedder = await createEmbedder(name, {
    offline: options.offline,
    threads: options.threads,
    progress: ui.progress,
  });
  ui.stopProgress();
  return embedder;
}

/** A commander argument parser for numbers within bounds, with a message that says what was expected. */
export function numberOption(
  flag: string,
  min: number,
  max: number,
  integer = false,
): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (
      value.trim() === "" ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      throw new SpotivecError("USAGE", `Invalid value for ${flag}`, {
        expected: `${integer ? "an integer" : "a number"} from ${min} to ${max}`,
        got: `"${value}"`,
        hint: `For example ${flag} ${integer ? Math.round((min + max) / 2) : (min + max) / 2}`,
      });
    }
    return n;
  };
}
