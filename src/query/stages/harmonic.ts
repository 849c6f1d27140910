/**
 * "songs harmonic with Creep by Radiohead", "tracks that mix with Levels": keys a DJ can mix with the track's, its
 * Camelot neighbours (the same code, one step around the wheel either way, and the relative major or minor), as
 * one hard constraint; the track itself is left out.
 */
import { songKey } from "../../domain/text.js";
import { PRIORITY } from "../constraints.js";
import type { PlanState } from "../state.js";
import type { KeySetConstraint } from "../types.js";
import { CAMELOT, PITCH_NAMES } from "../vocabulary/keys.js";
import { findTrack } from "./reference.js";

const HARMONIC_RE =
  /\b(?:harmonic(?:ally)?\s+(?:compatible\s+)?(?:with|to)|(?:that\s+)?mix(?:es)?\s+(?:well\s+|harmonically\s+)?with|in\s+a\s+compatible\s+key\s+(?:with|to))\s+(.+?)(?=\s+but\b|\s+with\b|\s+and\b|$)/;

/** The Camelot code of a key and mode ("8A" for A minor), or null for "no key detected". */
export function camelotCode(key: number, mode: number): string | null {
  return Object.entries(CAMELOT).find(([, v]) => v.key === key && v.mode === mode)?.[0] ?? null;
}

/** The codes that mix with one: itself, one step either way with the same letter, and the other letter. */
export function camelotNeighbours(code: string): string[] {
  const n = Number.parseInt(code, 10);
  const letter = code.slice(-1);
  const step = (d: number) => `${((n - 1 + d + 12) % 12) + 1}${letter}`;
  return [code, step(-1), step(1), `${n}${letter === "A" ? "B" : "A"}`];
}

export function readHarmonic(s: PlanState): void {
  const m = HARMONIC_RE.exec(s.norm);
  if (!m) return;
  const track = findTrack(s.ctx, m[1] as string);
  const code = track ? camelotCode(track.key, track.mode) : null;
  if (!track || !code) return;
  s.claim(m.index, m.index + m[0].length);
  // The track's title says nothing about the sound wanted ("Creep" would find songs and artists called Creep).
  s.plan.semanticText = s
    .unclaimed()
    .map((t) => t.text)
    .join(" ");
  const codes = camelotNeighbours(code);
  const pairs = codes.map((c) => CAMELOT[c] as { key: number; mode: 0 | 1 });
  const name = (p: { key: number; mode: number }) =>
    `${PITCH_NAMES[p.key]} ${p.mode === 1 ? "major" : "minor"}`;
  const constraint: KeySetConstraint = {
    type: "keys",
    pairs: pairs.map((p) => ({ key: p.key, mode: p.mode })),
    label: `harmonic with ${track.name} (${code}: ${codes.join(", ")})`,
    hard: true,
    priority: PRIORITY.number,
    source: { kind: "reference", text: m[1] as string },
  };
  s.plan.constraints.push(constraint, {
    type: "not_song",
    key: songKey(track.artists, track.name),
    label: `not ${track.name} itself`,
    hard: true,
    priority: PRIORITY.option,
    source: { kind: "reference", text: m[1] as string },
  });
  s.plan.notes.push(
    `"harmonic with ${track.name}" (${track.artists.join(", ")}, ${name(track)}, Camelot ${code}): keys ${pairs.map(name).join(", ")} (reference, Camelot wheel)`,
  );
}
