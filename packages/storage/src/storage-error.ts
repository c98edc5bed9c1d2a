import { DomainError } from "@paycron/core";

/**
 * Why a storage call failed. Only `storage_unavailable` is retryable: the others name a wrong key,
 * a wrong configuration or a conflicting document, which the same call would meet again.
 */
export type StorageErrorCode =
  /** The key is not a relative path of allowed segments (object-key.ts says which). */
  | "storage_invalid_key"
  /** A `put` of different bytes under an existing key without `upsert`. */
  | "storage_object_conflict"
  /** `signedUrl` for a key with no object. (`get` answers null instead.) */
  | "storage_object_not_found"
  /** Bad arguments other than the key (an expiry out of range, an empty content type). */
  | "storage_invalid_argument"
  /** The Supabase bucket does not exist (and was not to be created). */
  | "storage_bucket_missing"
  /** The Supabase bucket is public: every object would be readable without a signature. */
  | "storage_bucket_public"
  /** Supabase refused our credentials (a wrong or anon key instead of the service-role key). */
  | "storage_unauthorized"
  /** The backend could not answer now (network, 5xx, rate limit, local I/O busy): a retry can succeed. */
  | "storage_unavailable"
  /** Any other refusal by the backend; the message carries its code. */
  | "storage_failed";

export class StorageError extends DomainError<StorageErrorCode> {}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
