/**
 * How close results stay to a reference ("songs like Helena", the likes, a genre's measured sound). Hand-set for
 * this project when references were added: 0.15 on the 0..1 mood scales is about one description band (see the
 * README's description table), 12 BPM keeps the pace.
 */
import type { FieldName } from "../../domain/fields.js";

/** Mood (energy, valence) must stay close, hard for a single reference; the rest of the sound only ranks. */
export const REFERENCE_BANDS = [
  { field: "energy", band: 0.15, mood: true, octave: false },
  { field: "valence", band: 0.15, mood: true, octave: false },
  { field: "tempo", band: 12, mood: false, octave: true },
  { field: "danceability", band: 0.15, mood: false, octave: false },
  { field: "acousticness", band: 0.2, mood: false, octave: false },
] as const satisfies ReadonlyArray<{ field: FieldName; band: number; mood: boolean; octave: boolean }>;
