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

/**
 * JSON with object keys sorted at every depth: the same change always serialises the same way.
 * Iterative, with its own stack of pending work, so that no input depth can overflow the call
 * stack. Its output must never change: stored Supabase events are deduplicated on its hash.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Last in, first out: a container pushes its closing bracket, then its members in reverse.
  const work: Array<{ value: unknown } | string> = [{ value }];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    const v = item.value;
    if (v === null || typeof v !== "object") {
      out.push(JSON.stringify(v) ?? "null");
    } else if (Array.isArray(v)) {
      out.push("[");
      work.push("]");
      for (let i = v.length - 1; i >= 0; i--) {
        work.push({ value: v[i] });
        if (i > 0) work.push(",");
      }
    } else {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push("{");
      work.push("}");
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i]!;
        work.push({ value: member }, `${JSON.stringify(key)}:`);
        if (i > 0) work.push(",");
      }
    }
  }
  return out.join("");
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
