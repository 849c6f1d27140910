import { describe, expect, it } from "vitest";
import { parseKeyName, parseModeName } from "../../src/domain/pitch.js";

describe("key and mode names", () => {
  it.each([
    ["C", 0],
    ["F#", 6],
    ["f ♯", 6],
    ["Bb", 10],
    ["b flat", 10],
    ["c sharp", 1],
    ["Cb", 11],
    ["11", 11],
    ["0", 0],
  ])("%s is pitch class %i", (text, pitch) => expect(parseKeyName(text)).toBe(pitch));

  it.each(["H", "12", "C##", "c major", "a__proto__", "ctostring", ""])("%s is no key", (text) =>
    expect(parseKeyName(text)).toBeNull(),
  );

  it("reads modes by word or number and nothing else", () => {
    expect(["Major", "maj", "1", "minor", " min ", "0"].map(parseModeName)).toEqual([1, 1, 1, 0, 0, 0]);
    for (const text of ["dorian", "constructor", "__proto__", "2"]) expect(parseModeName(text)).toBeNull();
  });
});
