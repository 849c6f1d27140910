/**
 * @data Tags a track's own audio features rule out: a tag is dropped (and counted) when the feature is above
 * `above` or below `below`. Thresholds are deliberately loose (only clear contradictions, such as "calm" at energy
 * 0.95) because the features are estimates too. Fields come from the field table (src/domain/fields.ts).
 */
import { type FieldName, fieldValue, formatValue } from "../../domain/fields.js";
import type { Track } from "../../domain/track.js";

export interface ContradictionRule {
  tag: string;
  field: FieldName;
  above?: number;
  below?: number;
}

export const CONTRADICTIONS: readonly ContradictionRule[] = [
  { tag: "calm", field: "energy", above: 0.8 },
  { tag: "peaceful", field: "energy", above: 0.75 },
  { tag: "chill", field: "energy", above: 0.85 },
  { tag: "sleep", field: "energy", above: 0.6 },
  { tag: "energetic", field: "energy", below: 0.3 },
  { tag: "aggressive", field: "energy", below: 0.35 },
  { tag: "angry", field: "energy", below: 0.3 },
  { tag: "workout", field: "energy", below: 0.35 },
  { tag: "euphoric", field: "valence", below: 0.2 },
  { tag: "happy", field: "valence", below: 0.2 },
  { tag: "sad", field: "valence", above: 0.85 },
  { tag: "melancholic", field: "valence", above: 0.85 },
  { tag: "party", field: "danceability", below: 0.3 },
  { tag: "groovy", field: "danceability", below: 0.3 },
  { tag: "club night", field: "danceability", below: 0.35 },
  { tag: "acoustic guitar", field: "acousticness", below: 0.05 },
  { tag: "falsetto", field: "instrumentalness", above: 0.9 },
  { tag: "choir", field: "instrumentalness", above: 0.95 },
];

const BY_TAG: ReadonlyMap<string, ContradictionRule[]> = CONTRADICTIONS.reduce((m, r) => {
  m.set(r.tag, [...(m.get(r.tag) ?? []), r]);
  return m;
}, new Map<string, ContradictionRule[]>());

/** Why the track's features rule the tag out ("energy 0.95 is above 0.8"), or null when they do not. */
export function contradiction(tag: string, track: Track): string | null {
  for (const rule of BY_TAG.get(tag) ?? []) {
    const v = fieldValue(track, rule.field);
    if (rule.above !== undefined && v > rule.above)
      return `${rule.field} ${formatValue(rule.field, v)} is above ${rule.above}`;
    if (rule.below !== undefined && v < rule.below)
      return `${rule.field} ${formatValue(rule.field, v)} is below ${rule.below}`;
  }
  return null;
}
