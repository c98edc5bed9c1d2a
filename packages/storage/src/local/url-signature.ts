import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The shortest STORAGE_SIGNING_SECRET accepted: 32 characters (e.g. 24+ random bytes in base64). */
export const MIN_SIGNING_SECRET_LENGTH = 32;

/** A fresh signing secret (32 random bytes, base64url: 43 characters), as `pnpm dev` keeps under its data dir. */
export function generateSigningSecret(): string {
  return randomBytes(32).toString("base64url");
}

/*
 * The signed string names the scheme version, the key and the expiry, one per line. Keys cannot
 * hold a newline (object-key.ts) and the expiry is digits, so no two (key, expiry) pairs give the
 * same string. The method is left out on purpose: a URL is for GET (and HEAD), nothing else.
 */
const canonical = (key: string, expires: number) => `paycron-storage-v1\n${key}\n${expires}`;

/** Lowercase hex HMAC-SHA256: one spelling per signature, so a changed character is always a different one. */
export function signObjectUrl(secret: string, key: string, expires: number): string {
  return createHmac("sha256", secret).update(canonical(key, expires)).digest("hex");
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: "signature_missing" | "signature_invalid" | "url_expired" };

/**
 * Checks a served URL's query against the key it asks for. The signature is compared before the
 * expiry, so a URL whose expiry was pushed forward is "invalid", not "expired". `nowSeconds` comes
 * from the injected Clock; the URL works while now < expires.
 */
export function checkObjectUrl(
  secret: string,
  key: string,
  query: { expires?: string | undefined; signature?: string | undefined },
  nowSeconds: number,
): SignatureCheck {
  if (!query.expires || !query.signature) return { ok: false, reason: "signature_missing" };
  if (!/^\d{1,12}$/.test(query.expires) || !/^[0-9a-f]{64}$/.test(query.signature)) return { ok: false, reason: "signature_invalid" };
  const expires = Number(query.expires);
  const expected = Buffer.from(signObjectUrl(secret, key, expires), "ascii");
  if (!timingSafeEqual(expected, Buffer.from(query.signature, "ascii"))) return { ok: false, reason: "signature_invalid" };
  if (nowSeconds >= expires) return { ok: false, reason: "url_expired" };
  return { ok: true };
}
