/**
 * Static embedding models in the model2vec layout (https://github.com/MinishLab/model2vec): a tokenizer.json, a
 * config.json and one `embeddings` matrix in model.safetensors (one row per token id). A text's vector is the mean
 * of its tokens' rows, L2-normalized: no network, no onnxruntime, tens of thousands of texts a second.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { SpotivecError } from "../domain/errors.js";
import { defaultModelDir } from "../domain/paths.js";
import { type Embedder, type EmbedderOptions, STATIC_PREFIX } from "./types.js";

/** The matrix and the settings a static model needs, read from its folder. */
export interface StaticModel {
  vocabSize: number;
  dims: number;
  /** Row-major [vocabSize, dims]. */
  embeddings: Float32Array;
  /** Token ids of a piece of text without whitespace (no [CLS]/[SEP], unknown tokens dropped, as model2vec does). */
  tokenIds: (word: string) => readonly number[];
  /** Tokens per text beyond which the rest is ignored (model2vec's max_length). */
  maxTokens: number;
  normalize: boolean;
}

/** `static:<name>` lives in `<modelDir>/static/<name>` (where scripts/provision-model.sh writes it). */
export function staticModelDir(name: string, modelDir: string = defaultModelDir()): string {
  return join(modelDir, "static", name.slice(STATIC_PREFIX.length));
}

/** IEEE 754 half precision to single (safetensors F16 is little-endian binary16). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * The `embeddings` tensor of a safetensors file (https://huggingface.co/docs/safetensors: an 8-byte little-endian
 * header length, a JSON header of name -> {dtype, shape, data_offsets}, then the raw data) as float32.
 */
export function readSafetensorsMatrix(
  bytes: Buffer,
  name = "embeddings",
): { rows: number; cols: number; data: Float32Array } {
  if (bytes.length < 8) throw new Error(`${bytes.length} bytes, too short for a safetensors file`);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (8 + headerLength > bytes.length)
    throw new Error(`a header of ${headerLength} bytes in a ${bytes.length}-byte file`);
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<
    string,
    { dtype?: string; shape?: number[]; data_offsets?: [number, number] }
  >;
  const tensor = header[name];
  const [rows, cols] = tensor?.shape ?? [];
  const [begin, end] = tensor?.data_offsets ?? [];
  if (!tensor || rows === undefined || cols === undefined || begin === undefined || end === undefined) {
    throw new Error(
      `no 2-D tensor "${name}" (tensors: ${Object.keys(header)
        .filter((k) => k !== "__metadata__")
        .join(", ")})`,
    );
  }
  const width = tensor.dtype === "F16" ? 2 : tensor.dtype === "F32" ? 4 : 0;
  if (width === 0) throw new Error(`tensor "${name}" has dtype ${tensor.dtype}; F16 or F32 expected`);
  if (end - begin !== rows * cols * width)
    throw new Error(`tensor "${name}" holds ${end - begin} bytes, not ${rows}x${cols}x${width}`);
  // A copy starts at offset 0, so typed arrays can view it (safetensors data is little-endian, as are our CPUs).
  const raw = Uint8Array.prototype.slice.call(bytes, 8 + headerLength + begin, 8 + headerLength + end);
  if (width === 4) return { rows, cols, data: new Float32Array(raw.buffer) };
  const halves = new Uint16Array(raw.buffer);
  const table = new Float32Array(0x10000);
  for (let h = 0; h < table.length; h++) table[h] = halfToFloat(h);
  const data = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) data[i] = table[halves[i] as number] as number;
  return { rows, cols, data };
}

interface TokenizerJson {
  model?: { unk_token?: string; vocab?: Record<string, number> };
}

/** Loads a model2vec folder, or fails with MODEL_UNAVAILABLE saying what was missing. */
export async function loadStaticModel(dir: string, name: string): Promise<StaticModel> {
  let config: { normalize?: boolean; max_length?: number | null };
  let tokenizerJson: TokenizerJson;
  let matrix: ReturnType<typeof readSafetensorsMatrix>;
  try {
    config = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    tokenizerJson = JSON.parse(await readFile(join(dir, "tokenizer.json"), "utf8"));
    matrix = readSafetensorsMatrix(await readFile(join(dir, "model.safetensors")));
  } catch (cause) {
    throw new SpotivecError(
      "MODEL_UNAVAILABLE",
      `Could not load the static embedding model ${name}`,
      {
        expected: `config.json, tokenizer.json and model.safetensors (model2vec layout) in ${dir}`,
        got: cause instanceof Error ? (cause.message.split("\n")[0] ?? String(cause)) : String(cause),
        hint: "Build it locally with `npm run model` (it distils the static model from all-MiniLM-L6-v2).",
      },
      { cause },
    );
  }
  const tokenizer = new Tokenizer(tokenizerJson as object, {});
  const unk = tokenizerJson.model?.unk_token;
  const unkId = unk === undefined ? undefined : tokenizerJson.model?.vocab?.[unk];
  return {
    vocabSize: matrix.rows,
    dims: matrix.cols,
    embeddings: matrix.data,
    tokenIds: (word) => {
      const ids = tokenizer.encode(word, { add_special_tokens: false }).ids;
      return unkId === undefined ? ids : ids.filter((id: number) => id !== unkId);
    },
    maxTokens: config.max_length ?? Number.POSITIVE_INFINITY,
    normalize: config.normalize ?? true,
  };
}

// BERT-style tokenizers normalize and split each whitespace-separated piece on its own, so the ids of a run of
// words, and the sum of their rows, can be cached and reused. Two bounded caches (dims * 4 bytes an entry; a full
// one simply restarts): clauses (split at the whitespace after "," or ".", so a description's feature phrases such
// as "slow tempo (88 BPM)," repeat across tracks) and single words, from which clauses are built.
const CLAUSE_BREAK = /(?<=[,.])\s+/;
const WHITESPACE = /\s+/;
const CLAUSE_CACHE = 20_000;
const WORD_CACHE = 50_000;

interface CachedRows {
  ids: readonly number[];
  sum: Float32Array;
}

/** The mean of the text's token rows (normalized when the model says so); a text without tokens gives zeros. */
export function staticVectorizer(model: StaticModel): (text: string) => Float32Array {
  const { dims, embeddings } = model;
  const words = new Map<string, CachedRows>();
  const clauses = new Map<string, CachedRows>();
  const wordRows = (word: string): CachedRows => {
    let rows = words.get(word);
    if (rows === undefined) {
      if (words.size >= WORD_CACHE) words.clear();
      const ids = model.tokenIds(word);
      const sum = new Float32Array(dims);
      for (const id of ids) addRow(sum, embeddings, id * dims, dims);
      rows = { ids, sum };
      words.set(word, rows);
    }
    return rows;
  };
  const clauseRows = (clause: string): CachedRows => {
    let rows = clauses.get(clause);
    if (rows === undefined) {
      if (clauses.size >= CLAUSE_CACHE) clauses.clear();
      const ids: number[] = [];
      const sum = new Float32Array(dims);
      for (const word of clause.split(WHITESPACE)) {
        if (word === "") continue;
        const w = wordRows(word);
        for (const id of w.ids) ids.push(id);
        addRow(sum, w.sum, 0, dims);
      }
      rows = { ids, sum };
      clauses.set(clause, rows);
    }
    return rows;
  };
  return (text) => {
    const sum = new Float32Array(dims);
    let count = 0;
    for (const clause of text.trim().split(CLAUSE_BREAK)) {
      if (count >= model.maxTokens) break;
      const rows = clauseRows(clause);
      if (count + rows.ids.length <= model.maxTokens) {
        addRow(sum, rows.sum, 0, dims);
        count += rows.ids.length;
      } else {
        // The text is cut inside this clause: only its first tokens count.
        for (const id of rows.ids.slice(0, model.maxTokens - count)) addRow(sum, embeddings, id * dims, dims);
        count = model.maxTokens;
      }
    }
    let scale = count > 0 ? 1 / count : 0;
    if (model.normalize && count > 0) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += (sum[d] as number) ** 2;
      scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    }
    for (let d = 0; d < dims; d++) sum[d] = (sum[d] as number) * scale;
    return sum;
  };
}

function addRow(into: Float32Array, from: Float32Array, offset: number, dims: number): void {
  for (let d = 0; d < dims; d++) into[d] = (into[d] as number) + (from[offset + d] as number);
}

/** A `static:<name>` embedder: queries and documents are embedded alike. */
export async function createStaticEmbedder(name: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const model = await loadStaticModel(staticModelDir(name, options.modelDir), name);
  const vectorOf = staticVectorizer(model);
  return {
    model: name,
    dims: model.dims,
    embed: async (texts) => texts.map(vectorOf),
    close: async () => {},
  };
}
