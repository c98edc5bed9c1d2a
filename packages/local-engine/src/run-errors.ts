import { isDomainError } from "@paycron/core";
import type { TaskRunError } from "@paycron/db";
import { isAbortTaskRunError } from "@paycron/runtime/catalog";

/** Errors as the runs log stores them: enough to debug (stack included), never the payload. */
export function serializeError(error: unknown): TaskRunError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { name: "NonError", message: String(error) };
}

/** Named and worded as Trigger.dev's, so a run log reads the same on both engines. */
export class MaxDurationExceededError extends Error {
  override readonly name = "MaxDurationExceededError";
  constructor(seconds: number) {
    super(`Run exceeded maximum compute time (maxDuration) of ${seconds} seconds`);
  }
}

/**
 * Errors a retry cannot fix, so the run fails at once whatever its retry policy: the SDK's
 * AbortTaskRunError, a run past its maxDuration (as on Trigger.dev), and a DomainError that says
 * it is not retryable. runTask turns the last into AbortTaskRunError for Trigger.dev; a task that
 * throws one without runTask must not be retried locally either.
 */
export function endsWithoutRetry(error: unknown): boolean {
  return isAbortTaskRunError(error) || error instanceof MaxDurationExceededError || (isDomainError(error) && !error.retryable);
}
