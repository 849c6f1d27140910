import { describe, expect, it } from "vitest";
import { detectLayout } from "../../src/ingest/layouts.js";
import { HEADERS, thrown } from "../helpers.js";

const { tracks114k: HEADER_114K, tracks600k: HEADER_600K, artists600k: HEADER_ARTISTS } = HEADERS;

describe("detectLayout", () => {
  it("detects the 114K dataset.csv and indexes its columns (unnamed index column skipped)", () => {
    const { layout, columns } = detectLayout(HEADER_114K, "dataset.csv");
    expect(layout.name).toBe("tracks-114k");
    expect(columns.get("track_id")).toBe(1);
    expect(columns.get("track_genre")).toBe(20);
    expect(columns.has("")).toBe(false);
  });

  it("detects the 600K tracks.csv", () => {
    const { layout, columns } = detectLayout(HEADER_600K, "tracks.csv");
    expect(layout.name).toBe("tracks-600k");
    expect(columns.get("id")).toBe(0);
    expect(columns.get("release_date")).toBe(7);
  });

  it("detects the 600K artists.csv", () => {
    const { layout, columns } = detectLayout(HEADER_ARTISTS, "artists.csv");
    expect(layout.name).toBe("artists-600k");
    expect([...columns.entries()]).toEqual([
      ["id", 0],
      ["followers", 1],
      ["genres", 2],
      ["name", 3],
      ["popularity", 4],
    ]);
  });

  it("matches column names case-insensitively and ignoring surrounding spaces", () => {
    const { layout, columns } = detectLayout([" ID", "Followers ", "GENRES", "name", "popularity"], "a.csv");
    expect(layout.name).toBe("artists-600k");
    expect(columns.get("id")).toBe(0);
  });

  it("keeps the first index of a duplicated column", () => {
    const { columns } = detectLayout([...HEADER_ARTISTS, "name"], "a.csv");
    expect(columns.get("name")).toBe(3);
  });

  it("throws UNKNOWN_LAYOUT listing the columns found and naming the known layouts", () => {
    const error = thrown(() => detectLayout(["title", "artist", "", "year"], "mine.csv"));
    expect(error.code).toBe("UNKNOWN_LAYOUT");
    expect(error.message).toContain("mine.csv");
    expect(error.got).toBe("columns title, artist, year");
    expect(error.expected).toContain("dataset.csv");
    expect(error.expected).toContain("tracks.csv");
    expect(error.expected).toContain("artists.csv");
    expect(error.hint).not.toBe("");
  });

  it("throws for a header that lacks one required column", () => {
    const error = thrown(() =>
      detectLayout(
        HEADER_ARTISTS.filter((c) => c !== "genres"),
        "a.csv",
      ),
    );
    expect(error.code).toBe("UNKNOWN_LAYOUT");
    expect(error.got).toBe("columns id, followers, name, popularity");
  });

  it("shortens a very long header in the error", () => {
    const header = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const error = thrown(() => detectLayout(header, "wide.csv"));
    expect(error.got).toContain("c24");
    expect(error.got).not.toContain("c25");
    expect(error.got).toMatch(/, \.\.\.$/);
  });
});
