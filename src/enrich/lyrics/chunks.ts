/**
 * Lyrics cut into chunks the model reads whole, and the chunk vectors combined into one per song.
 *
 * all-MiniLM-L6-v2 reads at most 256 word pieces and truncates the rest; CHUNK_WORDS words of lyrics stay well under
 * that. Chunks follow the stanzas (blank lines) and, for a stanza longer than a chunk, its lines.
 */
import { createHash } from "node:crypto";
import { normalize } from "../../embed/vectors.js";

/** Words per chunk, at most (a line longer than this is a chunk of its own, cut by the model). */
export const CHUNK_WORDS = 120;
/** Chunks per song: the first MAX_CHUNKS (about 1,000 words) cover nearly every song. */
export const MAX_CHUNKS = 8;
/** Part of the content hash: changing the chunking makes every song's vector again. */
export const CHUNKING_VERSION = "1";

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** The stanzas of the text: groups of non-empty lines, trimmed, separated by blank lines. */
function stanzas(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line) current.push(line);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface Chunk {
  text: string;
  words: number;
}

/** Stanzas packed into chunks of at most CHUNK_WORDS words, in order; a long stanza is split between its lines. */
export function lyricsChunks(text: string, maxWords = CHUNK_WORDS, maxChunks = MAX_CHUNKS): Chunk[] {
  const chunks: Chunk[] = [];
  let lines: string[] = [];
  let words = 0;
  const flush = () => {
    if (lines.length > 0) chunks.push({ text: lines.join("\n"), words });
    lines = [];
    words = 0;
  };
  for (const stanza of stanzas(text)) {
    const size = stanza.reduce((n, l) => n + wordCount(l), 0);
    if (words + size > maxWords) flush();
    for (const line of stanza) {
      const n = wordCount(line);
      if (words + n > maxWords) flush();
      lines.push(line);
      words += n;
    }
  }
  flush();
  return chunks.slice(0, maxChunks);
}

/**
 * One vector for the song: the mean of its chunk vectors weighted by their words (a short closing chunk counts
 * less than a full verse), normalized to length 1. A repeated chorus counts each time it is sung.
 */
export function combineChunks(vectors: readonly Float32Array[], words: readonly number[]): Float32Array {
  const sum = new Float32Array(vectors[0]?.length ?? 0);
  vectors.forEach((v, i) => {
    const w = words[i] ?? 1;
    for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] ?? 0) + w * (v[j] ?? 0);
  });
  return normalize(sum);
}

/** What a song's record is made from: the text (line breaks and spacing aside), the model, chunking and themes. */
export function lyricsHash(text: string, model: string, vocabularyVersion: string): string {
  const canonical = stanzas(text)
    .map((s) => s.join("\n"))
    .join("\n\n");
  return createHash("sha256")
    .update(`${CHUNKING_VERSION}\u0000${vocabularyVersion}\u0000${model}\u0000${canonical}`)
    .digest("hex")
    .slice(0, 32);
}
