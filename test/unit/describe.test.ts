import { describe, expect, it } from "vitest";
import type { Track } from "../../src/domain/track.js";
import {
  band,
  decade,
  describeTrack,
  descriptionHash,
  ENERGY_BANDS,
  genreWords,
  keyName,
  LENGTH_BANDS,
  POPULARITY_BANDS,
  TEMPO_BANDS,
  VALENCE_BANDS,
} from "../../src/ingest/describe.js";
import { TRACK_DEFAULTS } from "../helpers.js";

/** A track whose features all sit in "silent" bands, so each test sees only the words it changes. */
function track(changes: Partial<Track> = {}): Track {
  return {
    id: "5SuOikwiRyPMVoIQDJUgSV",
    name: "Comedy",
    artists: ["Gen Hoshino"],
    artistIds: [],
    album: "Comedy Album",
    genres: [],
    allGenres: [],
    ...TRACK_DEFAULTS,
    durationMs: 240_000,
    speechiness: 0.1,
    acousticness: 0.4,
    instrumentalness: 0.1,
    valence: 0.55,
    tempo: 100,
    ...changes,
  };
}

describe("describeTrack", () => {
  it("is deterministic", () => {
    const t = track({ allGenres: ["rock"], year: 1994 });
    expect(describeTrack(t)).toBe(describeTrack({ ...t }));
  });

  it("describes the baseline track exactly", () => {
    expect(describeTrack(track())).toBe(
      "Comedy by Gen Hoshino, from Comedy Album. Moderate energy, warm, positive mood, mid-tempo (100 BPM), " +
        "somewhat danceable, with vocals, C major. 4 min.",
    );
  });

  it("mentions name, all artists, album and genres as words", () => {
    const text = describeTrack(
      track({
        name: "Helena",
        artists: ["My Chemical Romance", "Guest"],
        album: "Three Cheers",
        allGenres: ["drum-and-bass", "r-n-b", "hip-hop"],
      }),
    );
    expect(text).toMatch(/^Helena by My Chemical Romance, Guest, from Three Cheers\./);
    expect(text).toContain("Genre: drum and bass, r&b, hip hop.");
  });

  it("omits the album when absent or equal to the name", () => {
    expect(describeTrack(track({ album: null }))).toMatch(/^Comedy by Gen Hoshino\./);
    expect(describeTrack(track({ album: "Comedy" }))).toMatch(/^Comedy by Gen Hoshino\./);
  });

  it("lists at most six genres", () => {
    const text = describeTrack(track({ allGenres: ["g1", "g2", "g3", "g4", "g5", "g6", "g7"] }));
    expect(text).toContain("Genre: g1, g2, g3, g4, g5, g6.");
    expect(text).not.toContain("g7");
  });

  it("gives the tempo in BPM, rounded, and omits an unknown tempo of 0", () => {
    expect(describeTrack(track({ tempo: 174.4 }))).toContain("very fast tempo (174 BPM)");
    expect(describeTrack(track({ tempo: 0 }))).not.toContain("BPM");
  });

  it.each<[Partial<Track>, string]>([
    [{ energy: 0.85 }, "very energetic"],
    [{ energy: 0.1 }, "very calm"],
    [{ valence: 0.1 }, "very sad"],
    [{ valence: 0.9 }, "very happy, euphoric mood"],
    [{ acousticness: 0.9 }, "acoustic"],
    [{ acousticness: 0.1 }, "electric"],
    [{ instrumentalness: 0.9 }, "instrumental, no vocals"],
    [{ liveness: 0.9 }, "live recording"],
    [{ speechiness: 0.8 }, "spoken word"],
    [{ speechiness: 0.5 }, "rap or speech-heavy vocals"],
    [{ loudness: -3 }, "loud"],
    [{ loudness: -15 }, "quiet"],
    [{ key: 1, mode: 0 }, "C# minor"],
    [{ key: -1, mode: 1 }, "major key"],
    [{ year: 1994 }, "1990s (1994)"],
    [{ durationMs: 120_000 }, "very short"],
    [{ durationMs: 700_000 }, "extremely long"],
    [{ popularity: 80 }, "very popular hit"],
    [{ popularity: 10 }, "obscure"],
    [{ explicit: true }, "explicit lyrics"],
  ])("%j -> %j", (changes, words) => {
    // Compared in lower case: the first word of a sentence is capitalized.
    expect(describeTrack(track()).toLowerCase()).not.toContain(words.toLowerCase());
    expect(describeTrack(track(changes)).toLowerCase()).toContain(words.toLowerCase());
  });

  it("capitalizes the first word of each sentence", () => {
    const text = describeTrack(track({ energy: 0.9, year: 1994, popularity: 80 }));
    expect(text).toContain(" Very energetic, intense,");
    expect(text).toContain(" 1990s (1994), 4 min, very popular hit.");
  });
});

describe("band", () => {
  it("applies a band when value < below, so a boundary value falls in the next band", () => {
    expect(band(ENERGY_BANDS, 0)).toBe("very calm, very low energy");
    expect(band(ENERGY_BANDS, 0.1999)).toBe("very calm, very low energy");
    expect(band(ENERGY_BANDS, 0.2)).toBe("calm, low energy");
    expect(band(ENERGY_BANDS, 0.7999)).toBe("energetic, high energy");
    expect(band(ENERGY_BANDS, 0.8)).toBe("very energetic, intense");
    expect(band(ENERGY_BANDS, 1)).toBe("very energetic, intense");
    expect(band(VALENCE_BANDS, 0.35)).toBe("bittersweet mood");
    expect(band(TEMPO_BANDS, 0.5)).toBe("");
    expect(band(TEMPO_BANDS, 1)).toBe("very slow tempo");
    expect(band(LENGTH_BANDS, 149.9)).toBe("very short");
    expect(band(LENGTH_BANDS, 150)).toBe("short");
    expect(band(POPULARITY_BANDS, 25)).toBe("obscure");
    expect(band(POPULARITY_BANDS, 26)).toBe("");
    expect(band(POPULARITY_BANDS, 75)).toBe("very popular hit");
  });

  it("falls back to the last band and handles an empty list", () => {
    expect(
      band(
        [
          { below: 1, words: "low" },
          { below: 2, words: "high" },
        ],
        5,
      ),
    ).toBe("high");
    expect(band([], 5)).toBe("");
  });
});

describe("helpers", () => {
  it("decade", () => {
    expect(decade(1994)).toBe("1990s");
    expect(decade(2000)).toBe("2000s");
    expect(decade(null)).toBeNull();
  });

  it("keyName", () => {
    expect(keyName(0, 1)).toBe("C major");
    expect(keyName(11, 0)).toBe("B minor");
    expect(keyName(-1, 0)).toBe("minor key");
  });

  it("genreWords", () => {
    expect(genreWords("drum-and-bass")).toBe("drum and bass");
    expect(genreWords("r-n-b")).toBe("r&b");
    expect(genreWords("rock-n-roll")).toBe("rock n roll");
    expect(genreWords("pop")).toBe("pop");
  });
});

describe("descriptionHash", () => {
  it("is stable, 16 hex characters, and differs for different text", () => {
    const a = descriptionHash("Helena by My Chemical Romance.");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(descriptionHash("Helena by My Chemical Romance.")).toBe(a);
    expect(descriptionHash("Helena by My Chemical Romance!")).not.toBe(a);
    expect(descriptionHash("")).not.toBe(a);
  });
});

describe("the README's description table", () => {
  it("is the one the code uses", async () => {
    const { readFileSync } = await import("node:fs");
    const { descriptionTable } = await import("../../src/ingest/describe.js");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(descriptionTable());
  });
});
