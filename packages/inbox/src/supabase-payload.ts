import { createHash } from "node:crypto";
import { z } from "zod";

const row = z.record(z.string(), z.unknown());

/**
 * What a Supabase database webhook posts (supabase_functions.http_request / pg_net), columns in
 * snake_case as in the table. INSERT has no old_record, DELETE no record.
 */
export const supabaseWebhookPayload = z
  .object({
    type: z.enum(["INSERT", "UPDATE", "DELETE"]),
    table: z.string().min(1).max(63),
    schema: z.string().min(1).max(63),
    record: row.nullable(),
    old_record: row.nullable().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.type !== "DELETE" && p.record === null) {
      ctx.addIssue({ code: "custom", path: ["record"], message: `${p.type} must carry a record` });
    }
    if (p.type === "UPDATE" && !p.old_record) {
      ctx.addIssue({ code: "custom", path: ["old_record"], message: "UPDATE must carry old_record" });
    }
    if (p.type === "DELETE" && !p.old_record) {
      ctx.addIssue({ code: "custom", path: ["old_record"], message: "DELETE must carry old_record" });
    }
  });

export type SupabaseWebhookPayload = z.infer<typeof supabaseWebhookPayload>;

/** JSON with object keys sorted at every depth: the same change always serialises the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * Supabase sends no event id, so the dedupe key is a hash of the whole change. A redelivery of
 * the same change hashes the same whatever its key order. Two genuinely different changes that
 * look identical (a row set back and forth with no updated_at column) would collapse into one:
 * routed tables carry updated_at for that reason.
 */
export function supabaseEventKey(payload: SupabaseWebhookPayload): string {
  return createHash("sha256").update(canonicalJson(payload)).digest("hex");
}
