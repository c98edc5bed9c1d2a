/**
 * Where Paycron keeps documents (invoice and receipt PDFs): private objects under keys such as
 * `invoices/<org>/<invoice-number>.pdf`, handed out only as short-lived signed URLs. Two
 * implementations: Supabase Storage (production) and files under the data dir (local).
 *
 * Writes are idempotent so that a task retry can call `put` again without thinking: the same
 * bytes under the same key are "unchanged" and never a second object. Different bytes under an
 * existing key are refused (`storage_object_conflict`) unless the caller passes `upsert: true`,
 * because a document that silently changes under a URL already sent to a customer is a bug.
 * The identity of an object is its bytes: a re-put with the same bytes and another content type
 * keeps the stored content type.
 */
export interface Storage {
  put(key: string, bytes: Uint8Array, options: PutOptions): Promise<PutResult>;
  /** The object, or null when nothing is stored under the key. */
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** A URL that serves the object without credentials until it expires; refuses a missing object. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl>;
}

export interface PutOptions {
  /** e.g. `application/pdf`; stored with the object and sent when it is served. */
  contentType: string;
  /** Replace an existing object whose bytes differ instead of refusing. Default false. */
  upsert?: boolean;
}

export interface PutResult {
  key: string;
  /** created: a new object; unchanged: the same bytes were already there; replaced: upsert overwrote different bytes. */
  outcome: "created" | "unchanged" | "replaced";
}

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
}

export interface SignedUrlOptions {
  /** Whole seconds, 1 to MAX_SIGNED_URL_SECONDS. */
  expiresInSeconds: number;
}

export interface SignedUrl {
  url: string;
  /** When the URL stops working, by the clock that made it (Supabase's own clock decides there). */
  expiresAt: Date;
}

/** Signed URLs are for handing a document out now, not for archiving a link: a week at most. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;
