import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportVectors, trackMetadata } from "../../src/store/export/index.js";
import { openStore } from "../../src/store/store.js";
import { filledStore, storeTrack } from "../helpers.js";

describe("vector export", () => {
  it("pages through embedded tracks by rowid, each once, with their stored vectors", async () => {
    const store = await filledStore(
      ["1", "2", "3", "4", "5"].map((id) => storeTrack(id)),
      16,
      4,
    );
    const seen: string[] = [];
    let pages = 0;
    for (let after: number | null = 0; after !== null; pages++) {
      const page = store.vectorPage(after, 2);
      for (const { track: t, vector } of page.items) {
        seen.push(t.id);
        expect(vector).toEqual(store.vectorsOf([t.rowid]).get(t.rowid));
      }
      after = page.next;
    }
    expect(seen).toEqual(["1", "2", "3", "4", "5"].map((id) => id.padStart(22, "0")));
    expect(pages).toBe(3);
  });

  it("returns no page before any vector exists", () => {
    const store = openStore(":memory:");
    store.upsertTracks([storeTrack("1")]);
    expect(store.vectorPage(0, 10)).toEqual({ items: [], next: null });
    expect(() =>
      exportVectors(store, { format: "jsonl", outDir: tmpdir(), perFile: 10, indexName: "x" }),
    ).toThrow(/No vectors/);
  });

  it("splits files at perFile and keeps every track once", async () => {
    const store = await filledStore(
      ["1", "2", "3", "4", "5", "6", "7"].map((id) => storeTrack(id)),
      16,
      4,
    );
    const out = mkdtempSync(join(tmpdir(), "spotivec-export-"));
    const s = exportVectors(store, { format: "vectorize", outDir: out, perFile: 3, indexName: "t" });
    expect(s.files).toEqual(["vectors-0001.ndjson", "vectors-0002.ndjson", "vectors-0003.ndjson"]);
    const counts = s.files.map((f) => readFileSync(join(out, f), "utf8").trim().split("\n").length);
    expect(counts).toEqual([3, 3, 1]);
    expect(readdirSync(out).sort()).toEqual(["README.md", ...s.files]);
  });

  it("metadata carries every field, explicit as a boolean, an unknown year left out", () => {
    const m = trackMetadata({
      ...storeTrack("1", { explicit: true, year: null, genres: ["techno", "house"] }),
      allGenres: ["techno", "house"],
      rowid: 1,
      description: null,
    });
    expect(m.explicit).toBe(true);
    expect(m.genre).toBe("techno");
    expect(m.genres).toEqual(["techno", "house"]);
    expect("year" in m).toBe(false);
    expect(typeof m.tempo).toBe("number");
  });
});
