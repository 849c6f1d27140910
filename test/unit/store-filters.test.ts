import { describe, expect, it } from "vitest";
import { filterSql, whereClause } from "../../src/store/sqlite/filters.js";

describe("filter SQL", () => {
  it("filters nothing without filters", () => {
    const f = filterSql({}, "rowid");
    expect(f).toEqual({ conditions: [], params: [] });
    expect(whereClause(f)).toBe("");
  });

  it("rounds integer bounds inward as BigInt and keeps real bounds as they are", () => {
    const f = filterSql({ ranges: { popularity: { min: 50.5, max: 60.5 }, energy: { min: 0.25 } } }, "rowid");
    expect(f.conditions).toEqual(["popularity >= ?", "popularity <= ?", "energy >= ?"]);
    expect(f.params).toEqual([51n, 60n, 0.25]);
  });

  it("never lets a year range match unknown years", () => {
    expect(filterSql({ ranges: { year: { max: 2000 } } }, "rowid").conditions).toEqual([
      "year <= ?",
      "year > 0",
    ]);
  });

  it("intersects genre, artist and rowid sets into one rowid condition after explicit", () => {
    const f = filterSql(
      { explicit: false, genres: ["techno"], artists: ["muse"], rowids: [3] },
      "track_rowid",
    );
    expect(f.conditions).toHaveLength(2);
    expect(f.conditions[0]).toBe("explicit = ?");
    expect(f.conditions[1]).toMatch(/^track_rowid IN \(SELECT .* INTERSECT SELECT .* INTERSECT SELECT value/);
    expect(f.params).toEqual([0n, '["techno"]', '["muse"]', "[3]"]);
    expect(whereClause(f)).toBe(`WHERE ${f.conditions.join(" AND ")}`);
  });
});
