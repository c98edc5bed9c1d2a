import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "@paycron/core";
import { contentTypeFromKey } from "../content-type.ts";
import { assertObjectKey } from "../object-key.ts";
import { assertExpiry, assertPutOptions, sameBytes } from "../options.ts";
import { StorageError } from "../storage-error.ts";
import type { PutOptions, PutResult, SignedUrl, SignedUrlOptions, Storage, StoredObject } from "../storage.ts";
import { writeFileAtomically } from "./atomic-write.ts";
import { checkObjectUrl, MIN_SIGNING_SECRET_LENGTH, signObjectUrl, type SignatureCheck } from "./url-signature.ts";

export interface LocalStorageOptions {
  /** Objects live under `<dataDir>/storage/<key>` (PAYCRON_DATA_DIR, `.paycron` by default). */
  dataDir: string;
  /** STORAGE_SIGNING_SECRET, at least 32 characters; generateSigningSecret() makes one. */
  signingSecret: string;
  /**
   * The webhook app's address as a browser reaches it; signed URLs are `<base>/files/<key>?…`.
   * A function when the address is known only once the server listens (port 0).
   */
  publicBaseUrl: string | (() => string);
  /** Expiries are computed and checked on this clock. */
  clock: Clock;
}

interface ObjectMeta {
  contentType: string;
}

/**
 * Storage in files, for `pnpm dev` and tests. Metadata (the content type) sits in a parallel tree,
 * `<dataDir>/storage/.meta/<key>.json`: a dot name, which no key can reach. The object is written
 * before its metadata, so a crash between the two leaves an object whose content type is inferred
 * from its extension, and the next put of the same bytes writes the missing metadata.
 */
export class LocalStorage implements Storage {
  readonly root: string;
  readonly #metaRoot: string;
  readonly #secret: string;
  readonly #baseUrl: () => string;
  readonly #clock: Clock;

  constructor(options: LocalStorageOptions) {
    if (!options.signingSecret || options.signingSecret.length < MIN_SIGNING_SECRET_LENGTH) {
      throw new StorageError(
        "storage_invalid_argument",
        `STORAGE_SIGNING_SECRET must be at least ${MIN_SIGNING_SECRET_LENGTH} characters (generateSigningSecret() makes one)`,
      );
    }
    this.root = join(options.dataDir, "storage");
    this.#metaRoot = join(this.root, ".meta");
    this.#secret = options.signingSecret;
    const base = options.publicBaseUrl;
    this.#baseUrl = typeof base === "function" ? base : () => base;
    this.#clock = options.clock;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions): Promise<PutResult> {
    assertObjectKey(key);
    assertPutOptions(bytes, options);
    const path = this.#path(key);
    if (await writeFileAtomically(path, bytes, "create")) {
      await this.#writeMeta(key, { contentType: options.contentType });
      return { key, outcome: "created" };
    }
    const existing = await readFile(path);
    if (sameBytes(existing, bytes)) {
      if (!(await this.#readMeta(key))) await this.#writeMeta(key, { contentType: options.contentType });
      return { key, outcome: "unchanged" };
    }
    if (!options.upsert) {
      throw new StorageError("storage_object_conflict", `an object with different bytes is already stored under ${key}; pass upsert: true to replace it`);
    }
    await writeFileAtomically(path, bytes, "replace");
    await this.#writeMeta(key, { contentType: options.contentType });
    return { key, outcome: "replaced" };
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const meta = await this.#readMeta(key);
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: meta?.contentType ?? contentTypeFromKey(key) };
  }

  async exists(key: string): Promise<boolean> {
    assertObjectKey(key);
    try {
      return (await stat(this.#path(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    assertObjectKey(key);
    const seconds = assertExpiry(options);
    if (!(await this.exists(key))) throw new StorageError("storage_object_not_found", `no object is stored under ${key}`);
    const expires = Math.floor(this.#clock.now().getTime() / 1000) + seconds;
    const url = new URL(`files/${key}`, withTrailingSlash(this.#baseUrl()));
    url.searchParams.set("expires", String(expires));
    url.searchParams.set("signature", signObjectUrl(this.#secret, key, expires));
    return { url: url.toString(), expiresAt: new Date(expires * 1000) };
  }

  /** Whether a request for `key` carries a valid, unexpired signature for exactly that key (the webhook app's /files route). */
  checkSignedUrl(key: string, query: { expires?: string | undefined; signature?: string | undefined }): SignatureCheck {
    return checkObjectUrl(this.#secret, key, query, Math.floor(this.#clock.now().getTime() / 1000));
  }

  #path(key: string): string {
    return join(this.root, ...key.split("/"));
  }

  async #writeMeta(key: string, meta: ObjectMeta): Promise<void> {
    await writeFileAtomically(join(this.#metaRoot, ...key.split("/")) + ".json", Buffer.from(JSON.stringify(meta)), "replace");
  }

  async #readMeta(key: string): Promise<ObjectMeta | null> {
    try {
      const parsed = JSON.parse(await readFile(join(this.#metaRoot, ...key.split("/")) + ".json", "utf8")) as Partial<ObjectMeta>;
      return typeof parsed.contentType === "string" ? { contentType: parsed.contentType } : null;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return null;
      throw error;
    }
  }
}

const isMissing = (error: unknown) => ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");
const withTrailingSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);
