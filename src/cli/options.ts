/** Option bundles shared by the commands, so each flag is declared and explained once. */
import type { Command } from "commander";
import { redactSecrets } from "../domain/db-url.js";
import { SpotivecError } from "../domain/errors.js";
import { CHOICE_FLAGS, type FilterField, filterRanges, RANGE_FLAGS } from "../domain/fields.js";
import { defaultDbPath } from "../domain/paths.js";
import { createEmbedder, DEFAULT_MODEL, type Embedder } from "../embed/embedder.js";
import { acquireWriterLock, openStore, type Range, type Store, type WriterLock } from "../store/store.js";
import type { Io, Ui } from "./ui.js";

export interface CommonOptions {
  db?: string;
  json?: boolean;
  model?: string;
  offline?: boolean;
  threads?: number;
}

/** --db: where the database lives. */
export function withDb(cmd: Command): Command {
  return cmd.option(
    "--db <path>",
    "database file, or a postgres:// URL (default: $SPOTIVEC_DB or ~/.local/share/spotivec/spotivec.db)",
  );
}

/** --json, saying what it prints. */
export function withJson(cmd: Command, what: string): Command {
  return cmd.option("--json", what);
}

/**
 * --model and --offline; a command that builds vectors ("build") may pick any model and set --threads, the others
 * must use the model that built the database.
 */
export function withModel(cmd: Command, use: "build" | "query" = "query"): Command {
  if (use === "build") {
    cmd
      .option("--model <id>", `embedding model (default: the database's, else ${DEFAULT_MODEL})`)
      .option(
        "--threads <n>",
        "CPU threads for the model (default: all cores)",
        numberOption("--threads", 1, 256, true),
      );
  } else cmd.option("--model <id>", "embedding model; must be the one that built the database");
  return cmd.option("--offline", "never download the model");
}

/** The option key commander gives `--<flag>`: "time-signature" -> "timeSignature". */
const choiceKey = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The option key commander gives `--<flag>-<end>`: "tempo-min" -> "tempoMin". */
const rangeKey = (flag: string, end: "min" | "max") => choiceKey(`${flag}-${end}`);

/** A one-value option's parser: the field table's, with a usage error naming what it accepts. */
function choiceOption(flag: string, help: string, parse: (text: string) => number | null) {
  return (value: string) => {
    const n = parse(value);
    if (n === null)
      throw new SpotivecError("USAGE", `Invalid value for --${flag}`, {
        expected: help,
        got: `"${value}"`,
        hint: `For example --${flag} ${flag === "key" ? "F#" : flag === "mode" ? "minor" : "3/4"}`,
      });
    return n;
  };
}

/**
 * --<flag>-min / --<flag>-max for every range flag of the field table, checked against the field's bounds, and
 * --<flag> <value> for its one-value options (--key, --mode, --time-signature).
 */
export function withRangeFilters(cmd: Command): Command {
  for (const f of CHOICE_FLAGS) {
    const { flag, help, parse } = f.choice;
    cmd.option(
      `--${flag} <value>`,
      `only this ${flag.replace("-", " ")} (${help})`,
      choiceOption(flag, help, parse),
    );
  }
  for (const f of RANGE_FLAGS) {
    const { flag, help } = f.flag;
    const integer = f.type === "integer";
    cmd.option(
      `--${flag}-min <n>`,
      `lowest ${flag} (${help})`,
      numberOption(`--${flag}-min`, f.min, f.max, integer),
    );
    cmd.option(
      `--${flag}-max <n>`,
      `highest ${flag} (${help})`,
      numberOption(`--${flag}-max`, f.min, f.max, integer),
    );
  }
  return cmd;
}

/** The range filters given by withRangeFilters' flags; a minimum above its maximum is a usage error. */
export function rangeFiltersFrom(flags: Record<string, unknown>): Partial<Record<FilterField, Range>> {
  return filterRanges(
    (f, end) => flags[rangeKey(f.flag.flag, end)] as number | undefined,
    (f) => flags[choiceKey(f.choice.flag)] as number | undefined,
    (inverted) => {
      const flag = RANGE_FLAGS.find((f) => f.name === inverted.field)?.flag.flag ?? inverted.field;
      return new SpotivecError("USAGE", `--${flag}-min is above --${flag}-max: no track could match`, {
        expected: `--${flag}-min <= --${flag}-max`,
        got: `--${flag}-min ${inverted.min} --${flag}-max ${inverted.max}`,
        hint: `Swap them (--${flag}-min ${inverted.max} --${flag}-max ${inverted.min}), or leave one out.`,
      });
    },
  );
}

export function resolveDbPath(options: CommonOptions, io: Io): string {
  return options.db ?? defaultDbPath(io.env);
}

/**
 * The command's store. "write" (ingest, enrich lyrics) may create the database and migrates it; "update"
 * (likes import/remove, enrich tags, playlist writes, search --save) writes into an existing one; "read" (search, similar, info, serve, likes list/profiles)
 * opens an existing spotivec database without changing it. A missing file is EMPTY_STORE for the last two, a
 * database that is not spotivec's DB_FOREIGN.
 */
export function openDb(options: CommonOptions, io: Io, access: "read" | "update" | "write" = "write"): Store {
  return openStore(resolveDbPath(options, io), {
    readonly: access === "read",
    mustExist: access === "update",
  });
}

/**
 * The database for an ingest, opened for writing under its writer lock, which closing the store releases: another
 * ingest on the same database waits for it (saying so on stderr) or, with `wait` false (--no-wait), fails at once
 * with DB_BUSY. A queued ingest then finds the work done (the ingest is resumable and content-hashed).
 */
export async function openDbLocked(
  options: CommonOptions,
  io: Io,
  ui: Ui,
  wait: boolean,
  access: "update" | "write" = "write",
): Promise<Store> {
  const path = resolveDbPath(options, io);
  const lock: WriterLock =
    path === ":memory:"
      ? { path, release: () => {} }
      : await acquireWriterLock(path, {
          wait,
          onWait: (holder) =>
            ui.err(`another ingest is running on this database (pid ${holder?.pid ?? "unknown"}); waiting`),
        });
  try {
    const store = openDb(options, io, access);
    return {
      ...store,
      close: () => {
        try {
          store.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** The model for a command: --model, else the one that built the database, else the default. */
export async function loadEmbedder(
  store: Store,
  options: CommonOptions,
  ui: Ui,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Embedder> {
  const stored = store.modelInfo()?.model;
  const name = options.model ?? stored ?? DEFAULT_MODEL;
  const embedder = await createEmbedder(name, {
    env,
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

/**
 * A command that writes to the database with the embedding model (ingest, enrich lyrics): the database locked for
 * one writer, the model loaded, `work` run, then its summary printed as JSON (with the database path) or by `print`.
 * The database is closed and progress stopped whatever happens.
 */
export async function runWithModel<S extends object>(
  flags: CommonOptions & { wait?: boolean },
  io: Io,
  ui: Ui,
  work: (store: Store, embedder: Embedder) => Promise<S>,
  print: (summary: S) => void,
): Promise<void> {
  const store = await openDbLocked(flags, io, ui, flags.wait !== false);
  try {
    const embedder = await loadEmbedder(store, flags, ui, io.env);
    const summary = await work(store, embedder);
    ui.stopProgress();
    await embedder.close();
    if (ui.json) ui.printJson({ db: redactSecrets(resolveDbPath(flags, io)), ...summary });
    else print(summary);
  } finally {
    ui.stopProgress();
    store.close();
  }
}
