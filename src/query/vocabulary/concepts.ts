/**
 * The feature concepts in the order the phrase table reads them: an earlier concept wins a word two of them list.
 * The words themselves are in moods.ts and sound.ts.
 */
import { MOOD_CONCEPTS } from "./moods.js";
import { SOUND_CONCEPTS } from "./sound.js";
import type { FeatureConcept } from "./types.js";

export const FEATURE_CONCEPTS: readonly FeatureConcept[] = [...MOOD_CONCEPTS, ...SOUND_CONCEPTS];
