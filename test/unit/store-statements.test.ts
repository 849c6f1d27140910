import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { blobFromVector, StatementCache, vectorFromBlob } from "../../src/store/sqlite/statements.js";

describe("statement cache", () => {
  it("prepares each SQL text once and forgets the least recently used past its bound", () => {
    const db = new Database(":memory:");
    const cache = new StatementCache(db, 2);
    const a = cache.get("SELECT 1 AS n");
    expect(cache.get("SELECT 1 AS n")).toBe(a);
    const b = cache.get("SELECT 2 AS n");
    cache.get("SELECT 1 AS n");
    cache.get("SELECT 3 AS n");
    expect(cache.get("SELECT 1 AS n")).toBe(a);
    expect(cache.get("SELECT 2 AS n")).not.toBe(b);
    expect(cache.get<{ n: number }>("SELECT 3 AS n").get()).toEqual({ n: 3 });
  });

  it("round-trips vectors through blobs, copying out of the blob's buffer", () => {
    const v = new Float32Array([1.5, -2, 0.25]);
    const blob = blobFromVector(v);
    const back = vectorFromBlob(blob);
    expect(back).toEqual(v);
    blob.fill(0);
    expect(back).toEqual(new Float32Array([1.5, -2, 0.25]));
  });
});
