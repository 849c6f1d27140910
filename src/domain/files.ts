/** Files written whole or not at all: a temporary file beside the target, renamed over it when complete. */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SpotivecError } from "./errors.js";

/** What the caller tells the user when the file cannot be written (the command's own wording). */
export interface UnwritableAdvice {
  expected: string;
  hint: string;
}

const DEFAULT_ADVICE: UnwritableAdvice = {
  expected: "a writable file in an existing directory",
  hint: "Choose a path in an existing directory you may write to.",
};

function unwritable(path: string, cause: unknown, advice: UnwritableAdvice): SpotivecError {
  return new SpotivecError(
    "FILE_UNWRITABLE",
    `Cannot write ${path}`,
    { ...advice, got: cause instanceof Error ? cause.message : String(cause) },
    { cause },
  );
}

/** One output file, written in pieces to a temporary name and renamed over the final one on commit. */
export class AtomicFile {
  private readonly tmp: string;
  private readonly fd: number;

  constructor(
    readonly path: string,
    private readonly advice: UnwritableAdvice = DEFAULT_ADVICE,
  ) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      this.fd = openSync(this.tmp, "w");
    } catch (cause) {
      throw unwritable(path, cause, advice);
    }
  }

  write(data: string | Uint8Array): void {
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    } catch (cause) {
      this.abort();
      throw unwritable(this.path, cause, this.advice);
    }
  }

  commit(): void {
    try {
      closeSync(this.fd);
      renameSync(this.tmp, this.path);
    } catch (cause) {
      rmSync(this.tmp, { force: true });
      throw unwritable(this.path, cause, this.advice);
    }
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}

/** Writes text to path whole or not at all. */
export function writeAtomically(path: string, text: string, advice: UnwritableAdvice = DEFAULT_ADVICE): void {
  const file = new AtomicFile(path, advice);
  file.write(text);
  file.commit();
}
