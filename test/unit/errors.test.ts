import { describe, expect, it } from "vitest";
import {
  describeError,
  deserializeError,
  ERROR_CODES,
  oneLine,
  SpotivecError,
  serializeError,
} from "../../src/domain/errors.js";

describe("the error table", () => {
  it("keeps the CLI exit codes and HTTP statuses", () => {
    const pairs = Object.fromEntries(
      Object.entries(ERROR_CODES).map(([code, s]) => [code, [s.exit, s.status]]),
    );
    expect(pairs).toEqual({
      USAGE: [2, 400],
      BAD_REQUEST: [2, 400],
      NOT_FOUND: [1, 404],
      EMPTY_STORE: [1, 503],
      FILE_NOT_FOUND: [1, 500],
      FILE_UNREADABLE: [1, 500],
      FILE_UNWRITABLE: [1, 500],
      FILE_CORRUPT: [1, 500],
      DB_BUSY: [1, 503],
      DB_FOREIGN: [1, 500],
      PUSH_AUTH: [1, 502],
      PUSH_FAILED: [1, 502],
      SERVE_BIND: [1, 500],
      SERVE_PROCESS: [1, 500],
      UNKNOWN_LAYOUT: [1, 500],
      BAD_ROW: [1, 500],
      MODEL_MISMATCH: [1, 500],
      MODEL_UNAVAILABLE: [1, 500],
      DB_ERROR: [1, 500],
      DB_UNSUPPORTED: [1, 501],
      LIKES_FORMAT: [1, 500],
      LLM_FAILED: [1, 502],
      LYRICS_FORMAT: [1, 500],
      INTERNAL: [70, 500],
    });
    for (const spec of Object.values(ERROR_CODES)) expect(spec.hint).not.toBe("");
  });
});

describe("describeError", () => {
  it("turns a SpotivecError into its body, exit code and status", () => {
    const e = new SpotivecError("EMPTY_STORE", "No tracks", {
      expected: "a catalog",
      got: "nothing",
      hint: "Ingest.",
    });
    expect(describeError(e)).toEqual({
      body: {
        error: {
          code: "EMPTY_STORE",
          message: "No tracks",
          expected: "a catalog",
          got: "nothing",
          hint: "Ingest.",
        },
      },
      exitCode: 1,
      status: 503,
    });
  });

  it("gives the code's hint when the thrower gives none, and leaves out empty expected/got", () => {
    const { body } = describeError(new SpotivecError("NOT_FOUND", "no track x"));
    expect(body.error).toEqual({
      code: "NOT_FOUND",
      message: "no track x",
      hint: ERROR_CODES.NOT_FOUND.hint,
    });
  });

  it("calls anything else INTERNAL, keeping the stack for the report", () => {
    const r = describeError(new TypeError("boom"));
    expect(r).toMatchObject({
      exitCode: 70,
      status: 500,
      body: { error: { code: "INTERNAL", message: "boom" } },
    });
    expect(r.stack).toContain("TypeError: boom");
    expect(describeError("plain string").body.error.message).toBe("plain string");
  });
});

describe("errors across threads", () => {
  it("round-trips a SpotivecError through a structured clone", () => {
    const e = new SpotivecError("MODEL_MISMATCH", "other model", {
      expected: "m1",
      got: "m2",
      hint: "--reembed",
    });
    const back = deserializeError(structuredClone(serializeError(e)));
    expect(back).toBeInstanceOf(SpotivecError);
    expect(describeError(back)).toEqual(describeError(e));
  });

  it("rebuilds an internal error as INTERNAL with its message, and an unknown code as INTERNAL", () => {
    const back = deserializeError(serializeError(new Error("disk on fire")));
    expect(describeError(back)).toMatchObject({
      exitCode: 70,
      status: 500,
      body: { error: { message: "disk on fire" } },
    });
    expect(deserializeError({ code: "WHAT" as never, message: "m" }).code).toBe("INTERNAL");
  });
});

describe("oneLine", () => {
  it("folds expected and got into the message only when there are any", () => {
    expect(oneLine({ code: "USAGE", message: "Bad", expected: "a", got: "b", hint: "h" })).toBe(
      "Bad: expected a, got b",
    );
    expect(oneLine({ code: "NOT_FOUND", message: "no track x", hint: "h" })).toBe("no track x");
  });
});
