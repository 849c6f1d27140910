import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { MAX_RECORD_LINES } from "../../src/likes/csv.js";
import {
  isComment,
  type LikeItem,
  type LikesFormat,
  parseLikeItems,
  parseLikes,
} from "../../src/likes/likes.js";

// Property tests over the likes parsers: random text never raises anything but a SpotivecError, and no line that
// could hold a like disappears without a trace.

const RUNS = { numRuns: 300 };

/** Characters that matter to the parsers, plus anything else. */
const piece = fc.oneof(
  fc.constantFrom('"', ",", ";", "\t", "|", "#", "# ", "-", " - ", " by ", "\n", "\r\n", "[", "](", ")", "*"),
  fc.constantFrom(
    "spotify:track:5dTHtzHFPyi8TlTtzoz1J9",
    "https://open.spotify.com/track/5dTHtzHFPyi8TlTtzoz1J9",
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);
const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));

/** The parse, or the SpotivecError it threw; anything else fails the property. */
function attempt(t: string, format: LikesFormat): LikeItem[] | SpotivecError {
  try {
    return parseLikeItems(t, "fuzz", format);
  } catch (e) {
    if (e instanceof SpotivecError) return e;
    throw e;
  }
}

const physicalLines = (t: string) => t.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));

describe("likes parsers under random input", () => {
  it("never throw anything but a SpotivecError, in any format", () => {
    const formats: LikesFormat[] = ["lines", "csv", "markdown", "spotify-library"];
    fc.assert(
      fc.property(text, (t) => {
        for (const f of formats) {
          attempt(t, f);
          try {
            parseLikes(t, "fuzz", f);
          } catch (e) {
            expect(e).toBeInstanceOf(SpotivecError);
          }
        }
      }),
      RUNS,
    );
  });

  it("lines: every non-blank line is an entry, a reported invalid line or a comment, once", () => {
    fc.assert(
      fc.property(text, (t) => {
        const items = attempt(t, "lines");
        if (items instanceof SpotivecError) throw items;
        const expected = physicalLines(t).flatMap((l, i) => (l.trim() === "" ? [] : [i + 1]));
        expect(items.map((x) => x.line)).toEqual(expected);
        for (const x of items) {
          const line = physicalLines(t)[x.line - 1]?.trim() ?? "";
          expect(x.kind === "comment").toBe(isComment(line));
        }
      }),
      RUNS,
    );
  });

  it("csv: every non-blank row after the header is an entry, a reported broken row, or part of a quoted field", () => {
    const header = fc.constantFrom("artist,title", "Track URI,Track Name,Artist Name(s)", "Artist;Title");
    fc.assert(
      fc.property(header, fc.array(text, { maxLength: 12 }), (h, rows) => {
        const t = [h, ...rows].join("\n");
        const items = attempt(t, "csv");
        if (items instanceof SpotivecError) {
          // Only the header can make the whole file unreadable.
          expect(items.code).toBe("LIKES_FORMAT");
          return;
        }
        const lines = physicalLines(t);
        const starts = items.map((x) => x.line);
        expect(new Set(starts).size).toBe(starts.length);
        lines.forEach((l, i) => {
          const n = i + 1;
          // Rows of nothing but delimiters and quotes hold no like (all-blank rows are skipped).
          if (n === 1 || /^[\s,;|"]*$/.test(l) || starts.includes(n)) return;
          // A continuation line of a record that opened a quoted field a few lines up.
          const start = Math.max(...starts.filter((s) => s < n));
          expect(n - start, `line ${n} of ${JSON.stringify(t)}`).toBeLessThan(MAX_RECORD_LINES);
          expect(lines[start - 1]).toContain('"');
        });
      }),
      RUNS,
    );
  });

  it("markdown: every list item becomes an entry on its line", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("- ", "* ", "1. ", "## ", "", "| "), text)), (parts) => {
        const t = parts.map(([prefix, body]) => prefix + body.replace(/\r?\n/g, " ")).join("\n");
        const items = attempt(t, "markdown");
        if (items instanceof SpotivecError) throw items;
        const lines = new Set(items.map((x) => x.line));
        physicalLines(t).forEach((l, i) => {
          if (/^(?:[-*+]|\d+[.)])\s+\S/.test(l.trim()) && !/^\|.*\|$/.test(l.trim()))
            expect(lines.has(i + 1), JSON.stringify(l)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("Spotify JSON: every item of the tracks list is an entry or a reported invalid one, numbered in order", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 15 }), (tracks) => {
        const items = attempt(JSON.stringify({ tracks }), "spotify-library");
        if (items instanceof SpotivecError) throw items;
        expect(items.map((x) => x.line)).toEqual(tracks.map((_, i) => i + 1));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
        attempt(JSON.stringify(v) ?? "", "spotify-library");
      }),
      RUNS,
    );
  });
});
