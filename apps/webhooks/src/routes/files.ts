import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { errorResponse } from "../http-error.ts";

/**
 * What the /files route needs of a local storage: @paycron/storage's LocalStorage has both
 * methods. Typed here by shape, so the deployed app does not depend on the storage package.
 */
export interface SignedFiles {
  checkSignedUrl(
    key: string,
    query: { expires?: string | undefined; signature?: string | undefined },
  ): { ok: true } | { ok: false; reason: "signature_missing" | "signature_invalid" | "url_expired" };
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
}

const REFUSALS = {
  signature_missing: "this file URL has no expires and signature: ask for a new link",
  signature_invalid: "this file URL's signature does not match its path and expiry",
  url_expired: "this file URL has expired: ask for a new link",
} as const;

/**
 * GET /files/<key>?expires=…&signature=…: the local stand-in for Supabase's signed URLs
 * (`pnpm dev`). The signature is checked before the object is looked up, so a refusal is the
 * same whether or not anything is stored under the path; only a valid URL can get a 404. The
 * query, which holds the signature, is never logged (request-log.ts logs the path only).
 */
export function fileRoutes(files: SignedFiles) {
  return new Hono<AppEnv>().get("/*", async (c) => {
    const key = c.req.path.slice("/files/".length);
    const check = files.checkSignedUrl(key, { expires: c.req.query("expires"), signature: c.req.query("signature") });
    if (!check.ok) return errorResponse(c, 403, check.reason, REFUSALS[check.reason]);
    const object = await files.get(key);
    if (!object) return errorResponse(c, 404, "object_not_found", "nothing is stored at this URL any more");
    c.get("logFields").objectKey = key;
    return c.body(object.bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": object.contentType,
      // A signed document is for the one person holding the link: no shared or later cache keeps it.
      "cache-control": "private, no-store",
      // Keys are [A-Za-z0-9._-] segments (@paycron/storage), so the name needs no quoting rules.
      "content-disposition": `inline; filename="${key.slice(key.lastIndexOf("/") + 1)}"`,
      "x-content-type-options": "nosniff",
      // A link followed from inside the document must not carry this URL, signature included.
      "referrer-policy": "no-referrer",
    });
  });
}
