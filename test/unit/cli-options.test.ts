import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { rangeFiltersFrom, withDb, withJson, withModel, withRangeFilters } from "../../src/cli/options.js";
import { CHOICE_FLAGS, RANGE_FLAGS } from "../../src/domain/fields.js";

const flagsOf = (cmd: Command) => cmd.options.map((o) => o.long);
const parse = (cmd: Command, argv: string[]) => cmd.exitOverride().parse(argv, { from: "user" }).opts();

describe("option bundles", () => {
  it("declares --db, --json and the model options once each", () => {
    expect(flagsOf(withJson(withDb(new Command("x")), "print as JSON"))).toEqual(["--db", "--json"]);
    expect(flagsOf(withModel(new Command("x")))).toEqual(["--model", "--offline"]);
    expect(flagsOf(withModel(new Command("x"), "build"))).toEqual(["--model", "--threads", "--offline"]);
  });

  it("offers --<flag>-min/-max for every range flag and --<flag> for every one-value option of the field table", () => {
    const flags = flagsOf(withRangeFilters(new Command("x")));
    expect(flags).toEqual([
      ...CHOICE_FLAGS.map((f) => `--${f.choice.flag}`),
      ...RANGE_FLAGS.flatMap((f) => [`--${f.flag.flag}-min`, `--${f.flag.flag}-max`]),
    ]);
    expect(CHOICE_FLAGS.map((f) => f.choice.flag)).toEqual(["key", "mode", "time-signature"]);
    expect(flags).toEqual(
      expect.arrayContaining(["--tempo-min", "--energy-max", "--popularity-min", "--year-max"]),
    );
  });

  it("checks each flag against the field's bounds and integer-ness", () => {
    const cmd = () => withRangeFilters(new Command("x"));
    expect(() => parse(cmd(), ["--energy-min", "1.5"])).toThrowError(/--energy-min/);
    expect(() => parse(cmd(), ["--tempo-max", "301"])).toThrowError(/--tempo-max/);
    expect(() => parse(cmd(), ["--year-min", "1999.5"])).toThrowError(/--year-min/);
    expect(() => parse(cmd(), ["--popularity-max", "abc"])).toThrowError(/--popularity-max/);
    expect(parse(cmd(), ["--year-min", "1999", "--energy-min", "0.5"])).toEqual({
      yearMin: 1999,
      energyMin: 0.5,
    });
  });

  it("turns the parsed flags into range filters keyed by field", () => {
    const opts = parse(withRangeFilters(new Command("x")), [
      "--tempo-min",
      "120",
      "--tempo-max",
      "130",
      "--valence-max",
      "0.3",
    ]);
    expect(rangeFiltersFrom(opts)).toEqual({
      tempo: { min: 120, max: 130 },
      valence: { min: undefined, max: 0.3 },
    });
    expect(rangeFiltersFrom({})).toEqual({});
  });
});
