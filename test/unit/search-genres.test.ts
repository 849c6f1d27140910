import { describe, expect, it } from "vitest";
import { resolveGenres, toResult } from "../../src/search/search.js";
import type { StoredTrack } from "../../src/store/store.js";
import { COMEDY_FIELDS, thrown } from "../helpers.js";

const LABELS = ["acoustic", "drum-and-bass", "hip-hop", "r-n-b", "techno", "detroit-techno", "trance"];

describe("resolveGenres", () => {
  it("maps what a user types onto the catalog's labels", () => {
    expect(resolveGenres(["Drum and Bass", "hip hop", "R&B", "techno"], LABELS)).toEqual([
      "drum-and-bass",
      "hip-hop",
      "r-n-b",
      "techno",
    ]);
  });

  it("accepts the labels themselves and other spellings", () => {
    expect(resolveGenres(["drum-and-bass", "HIP_HOP", "r n b", " Detroit Techno "], LABELS)).toEqual([
      "drum-and-bass",
      "hip-hop",
      "r-n-b",
      "detroit-techno",
    ]);
  });

  it("returns every label spelled the same way", () => {
    expect(resolveGenres(["hip hop"], ["hip-hop", "hip hop", "pop"])).toEqual(["hip-hop", "hip hop"]);
  });

  it("returns nothing for nothing wanted", () => {
    expect(resolveGenres([], LABELS)).toEqual([]);
  });

  it("throws USAGE for an unknown genre, listing close labels", () => {
    const error = thrown(() => resolveGenres(["techno", "tecno"], LABELS));
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain('"tecno"');
    expect(error.got).toMatch(/^"tecno"; closest labels: techno, /);
    // At most five suggestions.
    expect(error.got.split("closest labels: ")[1]?.split(", ")).toHaveLength(5);
  });

  it("says the catalog has no genres when there are no labels", () => {
    const error = thrown(() => resolveGenres(["rock"], []));
    expect(error.code).toBe("USAGE");
    expect(error.got).toBe('"rock"');
    expect(error.expected).toMatch(/ingested catalog/);
  });
});

describe("toResult", () => {
  it("maps a stored track to the public shape and rounds the score", () => {
    const stored: StoredTrack = {
      rowid: 7,
      description: "x",
      id: "5SuOikwiRyPMVoIQDJUgSV",
      name: "Comedy",
      artists: ["Gen Hoshino"],
      artistIds: [],
      album: "Comedy",
      genres: ["acoustic"],
      allGenres: ["acoustic", "j-pop"],
      ...COMEDY_FIELDS,
    };
    const result = toResult(stored, 0.123456);
    expect(result.score).toBe(0.1235);
    expect(result.genres).toEqual(["acoustic", "j-pop"]);
    expect(result.url).toBe("https://open.spotify.com/track/5SuOikwiRyPMVoIQDJUgSV");
    expect(result.features).toMatchObject({ duration_ms: 230666, time_signature: 4, popularity: 73 });
    expect(result).not.toHaveProperty("rowid");
  });
});
