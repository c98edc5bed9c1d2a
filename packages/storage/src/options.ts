import { StorageError } from "./storage-error.ts";
import { MAX_SIGNED_URL_SECONDS, type PutOptions, type SignedUrlOptions } from "./storage.ts";

export function assertExpiry(options: SignedUrlOptions): number {
  const s = options.expiresInSeconds;
  if (!Number.isInteger(s) || s < 1 || s > MAX_SIGNED_URL_SECONDS) {
    throw new StorageError("storage_invalid_argument", `expiresInSeconds must be a whole number from 1 to ${MAX_SIGNED_URL_SECONDS}, got ${String(s)}`);
  }
  return s;
}

export function assertPutOptions(bytes: Uint8Array, options: PutOptions): void {
  if (!(bytes instanceof Uint8Array)) throw new StorageError("storage_invalid_argument", "put: bytes must be a Uint8Array (a Buffer is one)");
  if (!options.contentType || /[\r\n]/.test(options.contentType)) {
    throw new StorageError("storage_invalid_argument", "put: contentType is required (e.g. application/pdf) and must be one line");
  }
}

/** Equal bytes, compared whole: used only to decide whether a re-put is the same object. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
