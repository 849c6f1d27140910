import type Database from "better-sqlite3";

/**
 * Prepared statements for SQL that depends on the filters (a handful of shapes recur), each prepared once.
 * Bounded: target expressions carry numbers, so shapes can be many.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly max = 64,
  ) {}

  get<Row>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql);
    if (statement) {
      // Most recently used last, so the oldest goes first.
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= this.max) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, statement);
    return statement as Database.Statement<unknown[], Row>;
  }
}

/** A float32 vector from a BLOB column (copied: the buffer may be reused). */
export function vectorFromBlob(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function blobFromVector(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
