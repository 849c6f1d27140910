import type Database from "better-sqlite3";
import type { ConceptCache } from "../types.js";
import { blobFromVector, vectorFromBlob } from "./statements.js";

/** Vectors of concept phrases per model, so each phrase is embedded once per database. */
export class SqliteConcepts implements ConceptCache {
  private readonly select: Database.Statement<[string], { text: string; vector: Buffer }>;
  private readonly upsert: Database.Statement<[string, string, Buffer]>;
  private readonly saveTx: (model: string, vectors: ReadonlyMap<string, Float32Array>) => void;

  constructor(db: Database.Database) {
    this.select = db.prepare("SELECT text, vector FROM concept_vectors WHERE model = ?");
    this.upsert = db.prepare("INSERT OR REPLACE INTO concept_vectors(model, text, vector) VALUES (?, ?, ?)");
    this.saveTx = db.transaction((model: string, vectors: ReadonlyMap<string, Float32Array>) => {
      for (const [text, v] of vectors) this.upsert.run(model, text, blobFromVector(v));
    });
  }

  conceptVectors(model: string): Map<string, Float32Array> {
    return new Map(this.select.all(model).map((r) => [r.text, vectorFromBlob(r.vector)]));
  }

  saveConceptVectors(model: string, vectors: ReadonlyMap<string, Float32Array>): void {
    this.saveTx(model, vectors);
  }
}
