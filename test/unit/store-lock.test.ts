import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpotivecError } from "../../src/domain/errors.js";
import { acquireWriterLock, lockPathFor } from "../../src/store/store.js";
import { tempDir } from "../helpers.js";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function holderFile(db: string, pid: number, host = hostname()): void {
  writeFileSync(lockPathFor(db), JSON.stringify({ pid, host, since: "2020-01-01T00:00:00Z", token: "old" }));
}

describe("writer lock", () => {
  it("is held by one at a time: --no-wait fails with DB_BUSY naming the holder's pid", async () => {
    const db = join(tempDir(), "sub", "a.db");
    const lock = await acquireWriterLock(db);
    expect(JSON.parse(readFileSync(lockPathFor(db), "utf8"))).toMatchObject({ pid: process.pid });
    const e = await acquireWriterLock(db, { wait: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SpotivecError);
    expect(e).toMatchObject({ code: "DB_BUSY" });
    expect((e as SpotivecError).message).toContain(`pid ${process.pid}`);
    expect((e as SpotivecError).hint).toContain("--no-wait");
    lock.release();
    expect(existsSync(lockPathFor(db))).toBe(false);
    (await acquireWriterLock(db, { wait: false })).release();
  });

  it("waits for the holder, saying so once, then takes the lock", async () => {
    const db = join(tempDir(), "b.db");
    const first = await acquireWriterLock(db);
    const told: Array<number | undefined> = [];
    let got = false;
    const second = acquireWriterLock(db, { pollMs: 20, onWait: (h) => told.push(h?.pid) }).then((l) => {
      got = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toBe(false);
    expect(told).toEqual([process.pid]);
    first.release();
    const lock = await second;
    expect(told).toHaveLength(1);
    expect(JSON.parse(readFileSync(lockPathFor(db), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const db = join(tempDir(), "c.db");
    holderFile(db, deadPid());
    const lock = await acquireWriterLock(db, { wait: false });
    expect(JSON.parse(readFileSync(lockPathFor(db), "utf8")).token).not.toBe("old");
    lock.release();
  });

  it("takes over a lock of its own pid that it does not hold (a reused pid), not one it holds", async () => {
    const db = join(tempDir(), "d.db");
    holderFile(db, process.pid);
    const lock = await acquireWriterLock(db, { wait: false });
    await expect(acquireWriterLock(db, { wait: false })).rejects.toMatchObject({ code: "DB_BUSY" });
    lock.release();
  });

  it("waits for a live process, and for one on another host", async () => {
    const db = join(tempDir(), "e.db");
    holderFile(db, process.ppid);
    await expect(acquireWriterLock(db, { wait: false })).rejects.toMatchObject({ code: "DB_BUSY" });
    holderFile(db, deadPid(), "elsewhere.example");
    await expect(acquireWriterLock(db, { wait: false })).rejects.toThrow(/pid \d+ on elsewhere\.example/);
  });

  it("treats an unreadable lock as held while fresh and as stale once old", async () => {
    const db = join(tempDir(), "f.db");
    writeFileSync(lockPathFor(db), "");
    await expect(acquireWriterLock(db, { wait: false })).rejects.toMatchObject({ code: "DB_BUSY" });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(db), old, old);
    (await acquireWriterLock(db, { wait: false })).release();
  });

  it("release removes only its own lock", async () => {
    const db = join(tempDir(), "g.db");
    const lock = await acquireWriterLock(db);
    holderFile(db, process.ppid);
    lock.release();
    expect(JSON.parse(readFileSync(lockPathFor(db), "utf8")).pid).toBe(process.ppid);
  });
});
