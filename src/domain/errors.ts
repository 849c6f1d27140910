/** Every failure the user can act on is a SpotivecError: a stable code, what was expected, what was found, and a hint. */
export type ErrorCode =
  | "USAGE"
  | "FILE_NOT_FOUND"
  | "UNKNOWN_LAYOUT"
  | "BAD_ROW"
  | "MODEL_MISMATCH"
  | "MODEL_UNAVAILABLE"
  | "EMPTY_STORE"
  | "DB_ERROR"
  | "LIKES_FORMAT";

export interface ErrorDetails {
  expected: string;
  got: string;
  hint: string;
}

export class SpotivecError extends Error {
  readonly code: ErrorCode;
  readonly expected: string;
  readonly got: string;
  readonly hint: string;

  constructor(code: ErrorCode, summary: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super(summary, options);
    this.name = "SpotivecError";
    this.code = code;
    this.expected = details.expected;
    this.got = details.got;
    this.hint = details.hint;
  }

  toJSON(): { code: ErrorCode; message: string; expected: string; got: string; hint: string } {
    return {
      code: this.code,
      message: this.message,
      expected: this.expected,
      got: this.got,
      hint: this.hint,
    };
  }
}

export function isSpotivecError(e: unknown): e is SpotivecError {
  return e instanceof SpotivecError;
}
