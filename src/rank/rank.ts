/** Scoring and shaping of candidates: constraint fit, fusion with similarity, version collapsing, artist cap. */
export { fieldScale, fieldValue } from "../domain/fields.js";
export { type CheckOutcome, type ConstraintCheck, check } from "./check.js";
export { genreStrength, rangeFit, rangeMet } from "./fit.js";
export { FIT_WEIGHT, fitWeight, isRelaxable, OPTION_PRIORITY, STATED_PRIORITY } from "./priority.js";
export { type Scored, scoreCandidates, WEIGHTS, type Why } from "./score.js";
export { shapeResults } from "./shape.js";
