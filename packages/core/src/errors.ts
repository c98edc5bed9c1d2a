/**
 * A failure the domain expects and names. `retryable` says whether running the same work again
 * can succeed (a lock, a network blip) or never will (bad input, a terminal state); task adapters
 * turn non-retryable errors into AbortTaskRunError and the HTTP edge maps codes to statuses.
 */
export class DomainError<Code extends string = string> extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: Code,
    message: string,
    readonly options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

export function isDomainError(error: unknown, code?: string): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
