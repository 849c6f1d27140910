import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtomicFile, writeAtomically } from "../../src/domain/files.js";
import { tempDir, thrown } from "../helpers.js";

describe("atomic files", () => {
  it("writes the whole text and leaves no temporary file", () => {
    const dir = tempDir();
    writeAtomically(join(dir, "out.txt"), "hello\n");
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("hello\n");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
  });

  it("an aborted file leaves neither the target nor the temporary file", () => {
    const dir = tempDir();
    const file = new AtomicFile(join(dir, "part.txt"));
    file.write("half");
    file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a path it cannot write is FILE_UNWRITABLE with the caller's advice", () => {
    const e = thrown(() =>
      writeAtomically(join(tempDir(), "no", "such", "dir.txt"), "x", {
        expected: "a path",
        hint: "Try another.",
      }),
    );
    expect(e.code).toBe("FILE_UNWRITABLE");
    expect(e.hint).toBe("Try another.");
    expect(e.expected).toBe("a path");
  });
});
