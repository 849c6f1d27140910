import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/core/errors.js";
import { parseLikes } from "../../src/core/likes.js";

function thrown(fn: () => unknown): SpotivecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpotivecError);
    return e as SpotivecError;
  }
  throw new Error("expected a SpotivecError, nothing was thrown");
}

describe("parseLikes", () => {
  it("reads Artist - Title lines with their line numbers, skipping comments and blank lines", () => {
    const text = [
      "# my likes",
      "",
      "My Chemical Romance - Helena",
      "   ",
      "  # indented comment",
      "Daft Punk - One More Time  ",
    ].join("\n");
    expect(parseLikes(text)).toEqual([
      { line: 3, artist: "My Chemical Romance", title: "Helena" },
      { line: 6, artist: "Daft Punk", title: "One More Time" },
    ]);
  });

  it('splits at the first " - " so titles may contain it', () => {
    expect(parseLikes("Queen - Bohemian Rhapsody - Remastered 2011")).toEqual([
      { line: 1, artist: "Queen", title: "Bohemian Rhapsody - Remastered 2011" },
    ]);
  });

  it("keeps hyphens without spaces inside names", () => {
    expect(parseLikes("Jay-Z - 99 Problems")).toEqual([{ line: 1, artist: "Jay-Z", title: "99 Problems" }]);
  });

  it("handles CRLF line endings", () => {
    expect(parseLikes("A - B\r\n# c\r\nC - D\r\n")).toEqual([
      { line: 1, artist: "A", title: "B" },
      { line: 3, artist: "C", title: "D" },
    ]);
  });

  it("returns nothing for an empty file", () => {
    expect(parseLikes("")).toEqual([]);
  });

  it("throws LIKES_FORMAT listing every malformed line as file:line", () => {
    const text = ["Good - Song", "no separator here", "Artist -", "- Title only", "Dash-NoSpaces"].join("\n");
    const error = thrown(() => parseLikes(text, "likes.txt"));
    expect(error.code).toBe("LIKES_FORMAT");
    expect(error.message).toContain("likes.txt: 4 line(s)");
    expect(error.got).toBe(
      'likes.txt:2: "no separator here"; likes.txt:3: "Artist -"; likes.txt:4: "- Title only"; likes.txt:5: "Dash-NoSpaces"',
    );
  });

  it("lists at most five malformed lines and counts the rest", () => {
    const text = Array.from({ length: 7 }, (_, i) => `bad${i}`).join("\n");
    const error = thrown(() => parseLikes(text));
    expect(error.got).toContain('likes:5: "bad4"');
    expect(error.got).not.toContain("bad5");
    expect(error.got).toMatch(/; and 2 more$/);
  });
});
