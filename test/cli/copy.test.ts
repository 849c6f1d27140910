import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe } from "vitest";
import { copySuite } from "../copy-suite.js";
import { tempDir } from "../helpers.js";

describe("spotivec copy into another SQLite file", () => {
  copySuite(async () => {
    const dir = tempDir();
    return { url: join(dir, "copy.db"), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});
