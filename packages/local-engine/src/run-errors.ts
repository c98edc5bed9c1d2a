import type { TaskRunError } from "@paycron/db";

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

export class MaxDurationExceededError extends Error {
  override readonly name = "MaxDurationExceededError";
  constructor(seconds: number) {
    super(`the run exceeded its maxDuration of ${seconds}s`);
  }
}
