import { StorageError } from "./storage-error.ts";

/*
 * Keys are relative paths of plain segments. The rules keep a key from leaving its folder on disk
 * (no `..`, no leading `/`), keep it the same string in a URL path (no characters that need
 * escaping, so the local signature covers exactly what the browser sends), and reserve names that
 * start with a dot for the local implementation's temp and metadata files.
 */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

/** Returns the key when valid; otherwise throws `storage_invalid_key` saying what is wrong. */
export function assertObjectKey(key: string): string {
  const problem = objectKeyProblem(key);
  if (problem) throw new StorageError("storage_invalid_key", `invalid storage key ${JSON.stringify(key.slice(0, 80))}: ${problem}`);
  return key;
}

export function objectKeyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith("/")) return "it starts with '/' (keys are relative, e.g. invoices/<org>/<number>.pdf)";
  if (key.endsWith("/")) return "it ends with '/' (a key names an object, not a folder)";
  for (const segment of key.split("/")) {
    if (segment === "") return "it has an empty segment ('//')";
    if (segment === "." || segment === "..") return `it has a '${segment}' segment`;
    if (segment.startsWith(".")) return `segment '${segment}' starts with '.' (reserved)`;
    if (!SEGMENT.test(segment)) return `segment '${segment}' has a character other than A-Z a-z 0-9 . _ -`;
  }
  return null;
}
