import type { SignedUrl, Storage } from "@paycron/storage";

/** An hour: a link printed by the CLI or shown in the dashboard is opened now, not kept. */
export const DOCUMENT_LINK_SECONDS = 3600;

/** A signed, short-lived URL to a stored document: the only way one leaves the private bucket. */
export function documentLink(storage: Storage, key: string, expiresInSeconds = DOCUMENT_LINK_SECONDS): Promise<SignedUrl> {
  return storage.signedUrl(key, { expiresInSeconds });
}
