/** One physical line: its text without the line break, and the break that ended it ("" at the end of input). */
export interface PhysicalLine {
  text: string;
  eol: string;
  /**
   * Set only for a line longer than the bound: its full length in characters. `text` then holds just its first
   * RAW_PREVIEW_CHARS characters; the rest was counted and dropped as it streamed past.
   */
  length?: number;
}

/** The longest record spotivec reads: 1 MiB of text (1,048,576 characters). Real rows are under 2,000. */
export const MAX_RECORD_CHARS = 1 << 20;

/** How much of an over-long line is kept, to show in the rejects file. */
export const RAW_PREVIEW_CHARS = 200;

/** The text of one line as it streams in, holding at most `max` characters. */
class LineBuffer {
  private parts: string[] = [];
  private chars = 0;
  /** Full length once the line went over the bound; its start is in `preview`. */
  private overLength: number | null = null;
  private preview = "";

  constructor(private readonly max: number) {}

  get empty(): boolean {
    return this.chars === 0 && this.overLength === null;
  }

  append(s: string): void {
    if (s === "") return;
    if (this.overLength !== null) {
      this.overLength += s.length;
      if (this.preview.length < RAW_PREVIEW_CHARS)
        this.preview += s.slice(0, RAW_PREVIEW_CHARS - this.preview.length);
      return;
    }
    if (this.chars + s.length <= this.max) {
      this.parts.push(s);
      this.chars += s.length;
      return;
    }
    let head = "";
    for (const p of this.parts) {
      head += p.slice(0, RAW_PREVIEW_CHARS - head.length);
      if (head.length >= RAW_PREVIEW_CHARS) break;
    }
    this.preview = head + s.slice(0, RAW_PREVIEW_CHARS - head.length);
    this.overLength = this.chars + s.length;
    this.parts = [];
    this.chars = 0;
  }

  take(eol: string): PhysicalLine {
    const line: PhysicalLine =
      this.overLength === null
        ? { text: this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join(""), eol }
        : { text: this.preview, eol, length: this.overLength };
    this.parts = [];
    this.chars = 0;
    this.overLength = null;
    this.preview = "";
    return line;
  }
}

/**
 * Splits streamed text into physical lines at "\n", "\r\n" or a lone "\r" (as readline does), in chunks: memory
 * stays bounded by `max` plus one chunk, however long a line is. A line over `max` characters comes out with its
 * `length` and only its start, so a file with no line break at all is read in constant memory.
 */
export async function* splitLines(
  chunks: AsyncIterable<string> | Iterable<string>,
  max: number = MAX_RECORD_CHARS,
): AsyncGenerator<PhysicalLine> {
  const line = new LineBuffer(max);
  // A "\r" that ended the previous chunk: the line is complete, but its break may be "\r\n".
  let pendingCr = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let pos = 0;
    if (pendingCr) {
      pendingCr = false;
      const crlf = chunk.charCodeAt(0) === 10;
      pos = crlf ? 1 : 0;
      yield line.take(crlf ? "\r\n" : "\r");
    }
    // Positions of the next "\n" and "\r", searched again only once passed (never a rescan per line).
    let lf = chunk.indexOf("\n", pos);
    let cr = chunk.indexOf("\r", pos);
    while (pos < chunk.length) {
      if (lf !== -1 && lf < pos) lf = chunk.indexOf("\n", pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf("\r", pos);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        line.append(chunk.slice(pos));
        break;
      }
      line.append(chunk.slice(pos, end));
      if (end === lf) {
        pos = end + 1;
        yield line.take("\n");
      } else if (end + 1 === chunk.length) {
        pendingCr = true;
        pos = chunk.length;
      } else {
        const crlf = chunk.charCodeAt(end + 1) === 10;
        pos = end + (crlf ? 2 : 1);
        yield line.take(crlf ? "\r\n" : "\r");
      }
    }
  }
  if (pendingCr) yield line.take("\r");
  else if (!line.empty) yield line.take("");
}
