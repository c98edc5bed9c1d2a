import { StorageError, type StorageErrorCode } from "../storage-error.ts";

/*
 * Supabase Storage answers most refusals with HTTP 400 and the real status in the body's
 * `statusCode` ("404", "409"), plus a `code` on newer servers (NoSuchKey, ResourceAlreadyExists,
 * InvalidJWT, …). storage-js keeps both: `status` (HTTP) and `statusCode`/`code` (body), so we
 * read the body's first and fall back to the HTTP status.
 */
interface ApiErrorShape {
  message: string;
  status?: number;
  statusCode?: string;
  code?: string;
  name?: string;
}

export function statusOf(error: ApiErrorShape): number {
  const fromBody = Number(error.statusCode);
  return Number.isInteger(fromBody) && fromBody >= 100 ? fromBody : (error.status ?? 0);
}

export const isDuplicate = (e: ApiErrorShape) =>
  statusOf(e) === 409 || ["ResourceAlreadyExists", "KeyAlreadyExists", "Duplicate"].includes(e.code ?? "");

export const isNotFound = (e: ApiErrorShape) => e.code === "NoSuchKey" || (statusOf(e) === 404 && e.code !== "NoSuchBucket");

export const isBucketMissing = (e: ApiErrorShape) => e.code === "NoSuchBucket" || (statusOf(e) === 404 && /bucket/i.test(e.message));

/** Turns a storage-js error into ours; `what` names the call for the message (never a URL or a token). */
export function toStorageError(what: string, error: unknown): StorageError {
  const e = error as ApiErrorShape;
  // StorageUnknownError: the request never got an HTTP answer (refused, reset, DNS, timeout).
  if (e?.name === "StorageUnknownError" || !(error instanceof Error) || (e.status === undefined && e.statusCode === undefined)) {
    return new StorageError("storage_unavailable", `${what}: Supabase Storage did not answer (${e?.message ?? String(error)})`, { retryable: true, cause: error });
  }
  const status = statusOf(e);
  const detail = `${e.code ?? "no code"}, status ${status}: ${e.message}`;
  let code: StorageErrorCode = "storage_failed";
  if (status === 429 || status >= 500 || e.code === "SlowDown" || e.code?.startsWith("Database")) code = "storage_unavailable";
  else if (status === 401 || status === 403 || e.code === "InvalidJWT" || e.code === "AccessDenied") code = "storage_unauthorized";
  else if (isBucketMissing(e)) code = "storage_bucket_missing";
  else if (isNotFound(e)) code = "storage_object_not_found";
  const hint = code === "storage_unauthorized" ? " (SUPABASE_SERVICE_ROLE_KEY must be the project's service-role key)" : "";
  return new StorageError(code, `${what}: Supabase Storage refused (${detail})${hint}`, { retryable: code === "storage_unavailable", cause: error });
}
