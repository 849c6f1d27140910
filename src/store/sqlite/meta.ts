import type Database from "better-sqlite3";
import type { ModelInfo } from "../types.js";

/** The meta table: schema version and the embedding model. */
export class Meta {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare("SELECT value FROM meta WHERE key = ?");
    this.upsert = db.prepare(
      "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
  }

  get(key: string): string | undefined {
    return this.select.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.upsert.run(key, value);
  }

  modelInfo(): ModelInfo | null {
    const model = this.get("model");
    const dims = this.get("dims");
    return model && dims ? { model, dims: Number(dims) } : null;
  }

  setModel(info: ModelInfo): void {
    this.set("model", info.model);
    this.set("dims", String(info.dims));
  }
}
