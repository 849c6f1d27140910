import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { RANGE_FLAGS } from "../../src/domain/fields.js";
import { badRequest, httpError, routeNotFound, trackNotFound } from "../../src/server/errors.js";
import { rangesFromQuery, SearchQuery } from "../../src/server/params.js";

describe("HTTP errors", () => {
  it("answers { error: { code, message, hint } } with expected and got in the message", () => {
    const e = new SpotivecError("USAGE", "Unknown genre", {
      expected: "a label",
      got: '"tecno"',
      hint: "List them.",
    });
    expect(httpError(e)).toEqual({
      status: 400,
      body: {
        error: { code: "USAGE", message: 'Unknown genre: expected a label, got "tecno"', hint: "List them." },
      },
    });
  });

  it.each([
    [
      badRequest([{ code: "unrecognized_keys", path: [], message: "", keys: ["bogus"] }]),
      400,
      "BAD_REQUEST",
      "unknown parameter(s): bogus",
    ],
    [
      badRequest([{ code: "too_big", path: ["energy_min"], message: "Too big" }]),
      400,
      "BAD_REQUEST",
      "energy_min: Too big",
    ],
    [trackNotFound("abc"), 404, "NOT_FOUND", "no track abc in the catalog"],
    [routeNotFound("GET", "http://localhost/api/nothing?x=1"), 404, "NOT_FOUND", "no route GET /api/nothing"],
    [new SpotivecError("EMPTY_STORE", "empty"), 503, "EMPTY_STORE", "empty"],
    [new RangeError("boom"), 500, "INTERNAL", "boom"],
  ])("maps %o to %i", (error, status, code, message) => {
    const r = httpError(error);
    expect(r.status).toBe(status);
    expect(r.body.error).toMatchObject({ code, message });
    expect(Object.keys(r.body.error).sort()).toEqual(["code", "hint", "message"]);
  });
});

describe("HTTP range parameters", () => {
  it("has <name>_min and <name>_max for every range flag, with the field's bounds", () => {
    for (const f of RANGE_FLAGS) {
      for (const end of ["min", "max"]) {
        const name = `${f.name}_${end}`;
        expect(SearchQuery.safeParse({ [name]: String(f.min) }).success).toBe(true);
        expect(SearchQuery.safeParse({ [name]: String(f.max) }).success).toBe(true);
        expect(SearchQuery.safeParse({ [name]: String(f.max + 1) }).success).toBe(false);
        expect(SearchQuery.safeParse({ [name]: String(f.min - 1) }).success).toBe(false);
      }
    }
    expect(SearchQuery.safeParse({ year_min: "1999.5" }).success).toBe(false);
    expect(SearchQuery.safeParse({ energy_min: "0.5" }).success).toBe(true);
  });

  it("turns validated parameters into range filters keyed by field", () => {
    const q = SearchQuery.parse({ tempo_min: "120", energy_max: "0.4" });
    expect(rangesFromQuery(q)).toEqual({
      tempo: { min: 120, max: undefined },
      energy: { min: undefined, max: 0.4 },
    });
  });
});
