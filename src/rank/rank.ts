/** Scoring and shaping of candidates: constraint fit, fusion with similarity, version collapsing, artist cap. */
export { fieldScale, fieldValue } from "../domain/fields.js";
export { type CheckOutcome, type ConstraintCheck, check } from "./check.js";
export {
  genreStrength,
  type LyricsFit,
  rangeFit,
  rangeMet,
  THEME_FLOOR,
  THEME_FULL,
  themeFit,
} from "./fit.js";
export { FIT_WEIGHT, fitWeight, isRelaxable, OPTION_PRIORITY, STATED_PRIORITY } from "./priority.js";
export { type Candidate, type Scored, scoreCandidates, THEME_BOOST, WEIGHTS, type Why } from "./score.js";
export { shapeResults } from "./shape.js";
