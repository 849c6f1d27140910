import { describe, expect, it } from "vitest";
import { isPostgresUrl, redactSecrets } from "../../src/domain/db-url.js";
import { SpotivecError } from "../../src/domain/errors.js";
import { besideDb, rejectsPathFor } from "../../src/domain/paths.js";

describe("database URLs", () => {
  it("tells PostgreSQL URLs from SQLite paths", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://u:p@h:5432/db?sslmode=require")).toBe(true);
    expect(isPostgresUrl("/data/postgres.db")).toBe(false);
    expect(isPostgresUrl("postgres.db")).toBe(false);
  });

  it("never shows a password, in any part of an error", () => {
    const url = "postgresql://spotivec:s3cr%40t@db.example:5432/music";
    expect(redactSecrets(`at ${url} now`)).toBe("at postgresql://spotivec:***@db.example:5432/music now");
    expect(redactSecrets("postgres://user@host/db")).toBe("postgres://user@host/db");
    const e = new SpotivecError("DB_ERROR", `Cannot use ${url}`, { got: url, expected: url, hint: url });
    expect(JSON.stringify(e.toJSON())).not.toContain("s3cr");
  });

  it("writes reports for a PostgreSQL database in the working directory, named after it", () => {
    expect(rejectsPathFor("postgres://u:p@h:5432/music")).toBe(`${process.cwd()}/music.rejects.jsonl`);
    expect(besideDb("/data/tracks.db", "lyrics-unmatched.jsonl")).toBe("/data/tracks.lyrics-unmatched.jsonl");
  });
});
