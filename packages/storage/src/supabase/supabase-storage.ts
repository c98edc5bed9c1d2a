import { createClient } from "@supabase/supabase-js";
import type { Clock } from "@paycron/core";
import { contentTypeFromKey } from "../content-type.ts";
import { assertObjectKey } from "../object-key.ts";
import { assertExpiry, assertPutOptions, sameBytes } from "../options.ts";
import { StorageError } from "../storage-error.ts";
import type { PutOptions, PutResult, SignedUrl, SignedUrlOptions, Storage, StoredObject } from "../storage.ts";
import type { SupabaseStorageConfig } from "./supabase-config.ts";
import { isBucketMissing, isDuplicate, isNotFound, toStorageError } from "./supabase-errors.ts";

export interface SupabaseStorageOptions extends SupabaseStorageConfig {
  clock: Clock;
  /**
   * Create the bucket, private, when it does not exist. Default false: a production bucket is
   * made on purpose, and a typo in SUPABASE_STORAGE_BUCKET should fail, not make a new one.
   */
  createBucketIfMissing?: boolean;
}

/**
 * Production storage: one private Supabase Storage bucket, reached with the service-role key
 * through supabase-js. Before its first call it reads the bucket and refuses to work with a
 * public one (every object would be readable by URL without a signature) or a missing one.
 *
 * supabase-js needs a native WebSocket for its realtime client even when only storage is used:
 * Node 22 has one (engines: >=22.12); Node 20 would need `realtime: { transport: ws }`.
 */
export function createSupabaseStorage(options: SupabaseStorageOptions): Storage {
  return new SupabaseStorage(options);
}

type Client = ReturnType<typeof createClient>;

class SupabaseStorage implements Storage {
  readonly #client: Client;
  readonly #bucket: string;
  readonly #clock: Clock;
  readonly #createBucket: boolean;
  #ready: Promise<void> | undefined;

  constructor(options: SupabaseStorageOptions) {
    if (!options.serviceRoleKey) throw new StorageError("storage_invalid_argument", "createSupabaseStorage: serviceRoleKey is required (SUPABASE_SERVICE_ROLE_KEY)");
    // A server process with a fixed key: no session to keep, refresh or read from a URL.
    this.#client = createClient(options.url, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    this.#bucket = options.bucket;
    this.#clock = options.clock;
    this.#createBucket = options.createBucketIfMissing ?? false;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions): Promise<PutResult> {
    assertObjectKey(key);
    assertPutOptions(bytes, options);
    await this.#checkBucket();
    // upsert false: Supabase refuses an existing key, so a retry can never replace a document unseen.
    const { error } = await this.#files().upload(key, bytes, { contentType: options.contentType, upsert: false });
    if (!error) return { key, outcome: "created" };
    if (!isDuplicate(error)) throw toStorageError(`put ${key}`, error);

    const existing = await this.get(key);
    if (existing && sameBytes(existing.bytes, bytes)) return { key, outcome: "unchanged" };
    if (existing && !options.upsert) {
      throw new StorageError("storage_object_conflict", `an object with different bytes is already stored under ${key}; pass upsert: true to replace it`);
    }
    // Different bytes with upsert, or the object vanished between the two calls: write it over.
    const replaced = await this.#files().upload(key, bytes, { contentType: options.contentType, upsert: true });
    if (replaced.error) throw toStorageError(`put ${key}`, replaced.error);
    return { key, outcome: existing ? "replaced" : "created" };
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    await this.#checkBucket();
    const { data, error } = await this.#files().download(key);
    if (error) {
      if (isNotFound(error)) return null;
      throw toStorageError(`get ${key}`, error);
    }
    return { bytes: new Uint8Array(await data.arrayBuffer()), contentType: data.type || contentTypeFromKey(key) };
  }

  async exists(key: string): Promise<boolean> {
    assertObjectKey(key);
    await this.#checkBucket();
    try {
      // storage-js answers false only for a missing object and throws for anything else.
      return (await this.#files().exists(key)).data;
    } catch (error) {
      throw toStorageError(`exists ${key}`, error);
    }
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    assertObjectKey(key);
    const seconds = assertExpiry(options);
    await this.#checkBucket();
    const madeAt = this.#clock.now().getTime();
    const { data, error } = await this.#files().createSignedUrl(key, seconds);
    if (error) throw toStorageError(`signedUrl ${key}`, error);
    return { url: data.signedUrl, expiresAt: new Date(madeAt + seconds * 1000) };
  }

  #files() {
    return this.#client.storage.from(this.#bucket);
  }

  /** Once per instance; a failure is not cached, so a fixed bucket or a network blip is seen on the next call. */
  #checkBucket(): Promise<void> {
    this.#ready ??= this.#inspectBucket().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #inspectBucket(): Promise<void> {
    const storage = this.#client.storage;
    let { data, error } = await storage.getBucket(this.#bucket);
    if (error && isBucketMissing(error) && this.#createBucket) {
      const created = await storage.createBucket(this.#bucket, { public: false });
      if (created.error && !isDuplicate(created.error)) throw toStorageError(`create bucket ${this.#bucket}`, created.error);
      ({ data, error } = await storage.getBucket(this.#bucket));
    }
    if (error) {
      if (isBucketMissing(error)) {
        throw new StorageError(
          "storage_bucket_missing",
          `Supabase Storage bucket "${this.#bucket}" does not exist: create it as a private bucket, or set SUPABASE_STORAGE_BUCKET to one`,
          { cause: error },
        );
      }
      throw toStorageError(`read bucket ${this.#bucket}`, error);
    }
    if (!data || data.public) {
      throw new StorageError(
        "storage_bucket_public",
        `Supabase Storage bucket "${this.#bucket}" is public: anyone could read its documents without a signed URL. Make it private (dashboard: Storage → bucket → Edit → Public off) or use another bucket`,
      );
    }
  }
}
