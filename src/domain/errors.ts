/**
 * Every failure the user can act on is a SpotivecError: a stable code, what was expected, what was found, and a hint.
 * The code decides the CLI exit code and the HTTP status; `describeError` is the one way any thrown value becomes
 * output, so the CLI, the HTTP API and the worker threads agree.
 */

interface CodeSpec {
  /** The CLI's exit code. */
  exit: number;
  /** The HTTP API's status. */
  status: number;
  /** Said when the thrower gives no hint of its own. */
  hint: string;
}

/** The one table of error codes. */
export const ERROR_CODES = {
  USAGE: { exit: 2, status: 400, hint: "See `spotivec --help`, or the command's --help, for its options." },
  BAD_REQUEST: { exit: 2, status: 400, hint: "See /api/openapi.json for the parameters and their ranges." },
  NOT_FOUND: { exit: 1, status: 404, hint: "Take ids from search results." },
  EMPTY_STORE: { exit: 1, status: 503, hint: "Ingest a dataset first with `spotivec ingest <files>`." },
  FILE_NOT_FOUND: { exit: 1, status: 500, hint: "Check the path." },
  FILE_UNREADABLE: {
    exit: 1,
    status: 500,
    hint: "Give a readable file (not a directory); check its permissions.",
  },
  FILE_UNWRITABLE: { exit: 1, status: 500, hint: "Choose a path in an existing directory you may write to." },
  FILE_CORRUPT: { exit: 1, status: 500, hint: "Download the file again, or unpack it and give the .csv." },
  DB_BUSY: {
    exit: 1,
    status: 503,
    hint: "Wait for the other ingest to finish, or leave out --no-wait to queue.",
  },
  DB_FOREIGN: {
    exit: 1,
    status: 500,
    hint: "Point --db (or SPOTIVEC_DB) at a spotivec database, or a new path.",
  },
  PUSH_AUTH: {
    exit: 1,
    status: 502,
    hint: "Sign in again, or change the service's settings as the message says.",
  },
  PUSH_FAILED: {
    exit: 1,
    status: 502,
    hint: "Try again later; the service failed or answered what we cannot use.",
  },
  SERVE_BIND: { exit: 1, status: 500, hint: "Choose another --port, or --host 127.0.0.1." },
  UNKNOWN_LAYOUT: { exit: 1, status: 500, hint: "Give a track or artist CSV of a supported dataset." },
  BAD_ROW: { exit: 1, status: 500, hint: "Fix the row, or leave out --strict to skip bad rows." },
  MODEL_MISMATCH: { exit: 1, status: 500, hint: "Use the model that built the database, or --reembed." },
  MODEL_UNAVAILABLE: { exit: 1, status: 500, hint: "Run `npm run model` to build the model locally." },
  DB_ERROR: { exit: 1, status: 500, hint: "Check the --db path and that the file is a spotivec database." },
  LIKES_FORMAT: { exit: 1, status: 500, hint: "See the README for the likes formats." },
  LLM_FAILED: {
    exit: 1,
    status: 502,
    hint: "Check --provider, --model, --base-url and the API key; try again later (tags done so far are kept).",
  },
  LYRICS_FORMAT: {
    exit: 1,
    status: 500,
    hint: "Give a lyrics CSV with columns artist, song and text (the Spotify Million Song Dataset layout).",
  },
  INTERNAL: { exit: 70, status: 500, hint: "Please report this." },
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
    super(summary, options);
    this.name = "SpotivecError";
    this.code = code;
    this.expected = details.expected ?? "";
    this.got = details.got ?? "";
    this.hint = details.hint ?? ERROR_CODES[code].hint;
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
