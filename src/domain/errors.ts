/**
 * Every failure the user can act on is a SpotivecError: a stable code, what was expected, what was found, and a hint.
 * The code decides the CLI exit code and the HTTP status; `describeError` is the one way any thrown value becomes
 * output, so the CLI, the HTTP API and the worker threads agree.
 */
import { redactSecrets } from "./db-url.js";

interface CodeSpec {
  /** The CLI's exit code. */
  exit: number;
  /** The HTTP API's status. */
  status: number;
  /** Said when the thrower gives no hint of its own. */
  hint: string;
}

/** One row of the table: exit code, HTTP status, default hint. */
const code = <E extends number, S extends number>(exit: E, status: S, hint: string) => ({
  exit,
  status,
  hint,
});

/** The one table of error codes. */
export const ERROR_CODES = {
  USAGE: code(2, 400, "See `spotivec --help`, or the command's --help, for its options."),
  BAD_REQUEST: code(2, 400, "See /api/openapi.json for the parameters and their ranges."),
  NOT_FOUND: code(1, 404, "Take ids from search results."),
  EMPTY_STORE: code(1, 503, "Ingest a dataset first with `spotivec ingest <files>`."),
  FILE_NOT_FOUND: code(1, 500, "Check the path."),
  FILE_UNREADABLE: code(1, 500, "Give a readable file (not a directory); check its permissions."),
  FILE_UNWRITABLE: code(1, 500, "Choose a path in an existing directory you may write to."),
  FILE_CORRUPT: code(1, 500, "Download the file again, or unpack it and give the .csv."),
  DB_BUSY: code(1, 503, "Wait for the other ingest to finish, or leave out --no-wait to queue."),
  DB_FOREIGN: code(1, 500, "Point --db (or SPOTIVEC_DB) at a spotivec database, or a new path."),
  PUSH_AUTH: code(1, 502, "Sign in again, or change the service's settings as the message says."),
  PUSH_FAILED: code(1, 502, "Try again later; the service failed or answered what we cannot use."),
  SERVE_BIND: code(1, 500, "Choose another --port, or --host 127.0.0.1."),
  SERVE_PROCESS: code(1, 500, "Read the server process's error above, fix it, and start serve again."),
  UNKNOWN_LAYOUT: code(1, 500, "Give a track or artist CSV of a supported dataset."),
  BAD_ROW: code(1, 500, "Fix the row, or leave out --strict to skip bad rows."),
  MODEL_MISMATCH: code(1, 500, "Use the model that built the database, or --reembed."),
  MODEL_UNAVAILABLE: code(1, 500, "Run `npm run model` to build the model locally."),
  DB_ERROR: code(1, 500, "Check the --db path and that the file is a spotivec database."),
  DB_UNSUPPORTED: code(
    1,
    501,
    "Use a SQLite database (--db FILE) for this; the PostgreSQL store lacks it so far.",
  ),
  LIKES_FORMAT: code(1, 500, "See the README for the likes formats."),
  LLM_FAILED: code(
    1,
    502,
    "Check --provider, --model, --base-url and the API key; try again later (tags done so far are kept).",
  ),
  LYRICS_FORMAT: code(
    1,
    500,
    "Give a lyrics CSV with columns artist, song and text (the Spotify Million Song Dataset layout).",
  ),
  INTERNAL: code(70, 500, "Please report this."),
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

export interface ErrorDetails {
  expected?: string;
  got?: string;
  /** Defaults to the code's hint. */
  hint?: string;
}

/** What every surface prints for an error (the HTTP API folds expected and got into the message). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  expected?: string;
  got?: string;
  hint: string;
}

export class SpotivecError extends Error {
  readonly code: ErrorCode;
  /** "" when the message says it all (as for HTTP 404s); output then leaves it out. */
  readonly expected: string;
  readonly got: string;
  readonly hint: string;

  constructor(code: ErrorCode, summary: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    // A database URL in any part of a message never shows its password.
    super(redactSecrets(summary), options);
    this.name = "SpotivecError";
    this.code = code;
    this.expected = redactSecrets(details.expected ?? "");
    this.got = redactSecrets(details.got ?? "");
    this.hint = redactSecrets(details.hint ?? ERROR_CODES[code].hint);
  }

  toJSON(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.expected !== "" ? { expected: this.expected } : {}),
      ...(this.got !== "" ? { got: this.got } : {}),
      hint: this.hint,
    };
  }
}

export function isSpotivecError(e: unknown): e is SpotivecError {
  return e instanceof SpotivecError;
}

export interface ErrorReport {
  body: { error: ErrorBody };
  exitCode: number;
  status: number;
  /** Set for internal errors only: the trace to show whoever reports them. */
  stack?: string;
}

/** Any thrown value as the error body, with its exit code and HTTP status; anything unforeseen is INTERNAL. */
export function describeError(error: unknown): ErrorReport {
  const known = isSpotivecError(error);
  const e = known
    ? error
    : new SpotivecError("INTERNAL", error instanceof Error ? error.message : String(error));
  const spec = ERROR_CODES[e.code];
  return {
    body: { error: e.toJSON() },
    exitCode: spec.exit,
    status: spec.status,
    ...(known ? {} : { stack: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  };
}

/** An error as a plain object that survives postMessage between threads. */
export function serializeError(error: unknown): ErrorBody {
  return describeError(error).body.error;
}

/** The error a thread threw, rebuilt on this side; an unknown code counts as INTERNAL. */
export function deserializeError(body: Partial<ErrorBody> & { message: string }): SpotivecError {
  const code = isErrorCode(body.code) ? body.code : "INTERNAL";
  return new SpotivecError(code, body.message, { expected: body.expected, got: body.got, hint: body.hint });
}

/** The message with what was expected and what was found, for surfaces that show one line. */
export function oneLine(body: ErrorBody): string {
  if (body.expected === undefined && body.got === undefined) return body.message;
  return `${body.message}: expected ${body.expected ?? "?"}, got ${body.got ?? "?"}`;
}
