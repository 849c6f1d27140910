import type { ModelInfo } from "../types.js";
import type { SyncPgClient } from "./sync-client.js";

/** The spotivec_meta table: the embedding model, the vector generation and count. */
export class PgMeta {
  constructor(private readonly pg: SyncPgClient) {}

  get(key: string): string | undefined {
    return this.pg.query<{ value: string }>("SELECT value FROM spotivec_meta WHERE key = $1", [key])[0]
      ?.value;
  }

  set(key: string, value: string): void {
    this.pg.query(
      "INSERT INTO spotivec_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [key, value],
    );
  }

  /** Adds n to a counter (kept as text, as every meta value). */
  add(key: string, n: number): void {
    this.pg.query(
      `INSERT INTO spotivec_meta(key, value) VALUES ($1, $2::text)
       ON CONFLICT (key) DO UPDATE SET value = (spotivec_meta.value::bigint + $2::bigint)::text`,
      [key, n],
    );
  }

  modelInfo(): ModelInfo | null {
    const rows = this.pg.query<{ key: string; value: string }>(
      "SELECT key, value FROM spotivec_meta WHERE key IN ('model', 'dims')",
    );
    const model = rows.find((r) => r.key === "model")?.value;
    const dims = rows.find((r) => r.key === "dims")?.value;
    return model && dims ? { model, dims: Number(dims) } : null;
  }

  setModel(info: ModelInfo): void {
    this.set("model", info.model);
    this.set("dims", String(info.dims));
  }
}
