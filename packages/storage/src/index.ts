export type { PutOptions, PutResult, SignedUrl, SignedUrlOptions, Storage, StoredObject } from "./storage.ts";
export { MAX_SIGNED_URL_SECONDS } from "./storage.ts";
export { isStorageError, StorageError, type StorageErrorCode } from "./storage-error.ts";
export { assertObjectKey, objectKeyProblem } from "./object-key.ts";
export { LocalStorage, type LocalStorageOptions } from "./local/local-storage.ts";
export { generateSigningSecret, MIN_SIGNING_SECRET_LENGTH, type SignatureCheck } from "./local/url-signature.ts";
export { createSupabaseStorage, type SupabaseStorageOptions } from "./supabase/supabase-storage.ts";
export {
  DEFAULT_SUPABASE_STORAGE_BUCKET,
  loadSupabaseStorageConfig,
  supabaseStorageEnvShape,
  type SupabaseStorageConfig,
} from "./supabase/supabase-config.ts";
