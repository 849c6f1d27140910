/** The errors a push raises: PUSH_AUTH (only the user can fix it) and PUSH_FAILED (the service failed). */
import { type ErrorCode, type ErrorDetails, SpotivecError } from "../../domain/errors.js";

/** Credentials, consent or the service's own settings: something only the user can change. */
export const PUSH_AUTH: ErrorCode = "PUSH_AUTH";
/** The service failed, could not be reached, or answered something we cannot use. */
export const PUSH_FAILED: ErrorCode = "PUSH_FAILED";

export function authError(summary: string, details: ErrorDetails): SpotivecError {
  return new SpotivecError(PUSH_AUTH, summary, details);
}

export function serviceError(summary: string, details: ErrorDetails, cause?: unknown): SpotivecError {
  return new SpotivecError(PUSH_FAILED, summary, details, cause === undefined ? undefined : { cause });
}
