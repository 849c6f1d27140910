import { readFileSync } from "node:fs";
import { SpotivecError } from "./errors.js";

export interface LikeEntry {
  line: number;
  artist: string;
  title: string;
}

/** Parses a likes file: one "Artist - Title" per line; blank lines and lines starting with # are ignored. */
export function parseLikes(text: string, file = "likes"): LikeEntry[] {
  const entries: LikeEntry[] = [];
  const bad: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const sep = line.indexOf(" - ");
    const artist = sep > 0 ? line.slice(0, sep).trim() : "";
    const title = sep > 0 ? line.slice(sep + 3).trim() : "";
    if (!artist || !title) bad.push(`${file}:${i + 1}: "${line.slice(0, 60)}"`);
    else entries.push({ line: i + 1, artist, title });
  });
  if (bad.length > 0) {
    throw new SpotivecError("LIKES_FORMAT", `${file}: ${bad.length} line(s) are not "Artist - Title"`, {
      expected: 'one "Artist - Title" per line (blank lines and # comments allowed)',
      got: bad.slice(0, 5).join("; ") + (bad.length > 5 ? `; and ${bad.length - 5} more` : ""),
      hint: "Separate artist and title with a spaced dash, e.g. My Chemical Romance - Helena",
    });
  }
  return entries;
}

export function readLikesFile(path: string): LikeEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new SpotivecError("FILE_NOT_FOUND", `Cannot read the likes file ${path}`, {
      expected: 'a text file with one "Artist - Title" per line',
      got: `no readable file at ${path}`,
      hint: "Check the path given to --likes.",
    });
  }
  return parseLikes(text, path);
}
