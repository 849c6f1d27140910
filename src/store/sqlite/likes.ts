import type Database from "better-sqlite3";
import type { LikesStore } from "../types.js";

/** Liked tracks per profile, in the order they were added. */
export class SqliteLikes implements LikesStore {
  private readonly selectLikes: Database.Statement<[string], { track_rowid: number }>;
  private readonly insertLike: Database.Statement<[string, bigint, string]>;
  private readonly deleteLike: Database.Statement<[string, bigint]>;
  private readonly selectProfiles: Database.Statement<[], { profile: string; tracks: number }>;
  private readonly addTx: (profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>) => number;
  private readonly removeTx: (profile: string, rowids: readonly number[]) => number;

  constructor(db: Database.Database) {
    this.selectLikes = db.prepare(
      "SELECT track_rowid FROM likes WHERE profile = ? ORDER BY added_at, track_rowid",
    );
    this.insertLike = db.prepare("INSERT OR IGNORE INTO likes(profile, track_rowid, entry) VALUES (?, ?, ?)");
    this.deleteLike = db.prepare("DELETE FROM likes WHERE profile = ? AND track_rowid = ?");
    this.selectProfiles = db.prepare(
      "SELECT profile, count(*) AS tracks FROM likes GROUP BY profile ORDER BY profile",
    );
    this.addTx = db.transaction((profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>) =>
      items.reduce((n, i) => n + this.insertLike.run(profile, BigInt(i.rowid), i.entry).changes, 0),
    );
    this.removeTx = db.transaction((profile: string, rowids: readonly number[]) =>
      rowids.reduce((n, r) => n + this.deleteLike.run(profile, BigInt(r)).changes, 0),
    );
  }

  likes(profile: string): number[] {
    return this.selectLikes.all(profile).map((r) => r.track_rowid);
  }

  addLikes(profile: string, items: ReadonlyArray<{ rowid: number; entry: string }>): number {
    return this.addTx(profile, items);
  }

  removeLikes(profile: string, rowids: readonly number[]): number {
    return this.removeTx(profile, rowids);
  }

  likeProfiles(): Array<{ profile: string; tracks: number }> {
    return this.selectProfiles.all();
  }
}
