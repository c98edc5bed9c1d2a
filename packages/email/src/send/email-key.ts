import { EmailError } from "../errors.ts";
import type { TemplateName } from "../registry.ts";

/** Resend keeps keys of at most 256 characters. */
const MAX_KEY_LENGTH = 256;

/**
 * The key of one business occurrence of an email: `email:<template>:<entity>:<occurrence>`, e.g.
 * `emailKey("payment-receipt", invoiceId, paymentId)` or `emailKey("trial-ending", subscriptionId, "3d")`.
 * The same occurrence always gives the same key, so redelivered webhooks, duplicate enqueues and
 * retries collapse into one `email_deliveries` row and one provider send. Each part is
 * percent-encoded, so ("a:b", "c") and ("a", "b:c") cannot collide. An email to several people is
 * several occurrences: put the recipient in `occurrence`.
 */
export function emailKey(template: TemplateName, entityId: string, occurrence: string | number): string {
  const parts = [template, entityId, String(occurrence)];
  if (parts.some((part) => part.length === 0)) throw new EmailError("invalid_email_key", "emailKey: every part must be non-empty", { details: { parts } });
  const key = `email:${parts.map(encodeURIComponent).join(":")}`;
  if (key.length > MAX_KEY_LENGTH) {
    throw new EmailError("invalid_email_key", `emailKey: ${key.length} characters, more than the ${MAX_KEY_LENGTH} Resend keeps`, { details: { template } });
  }
  return key;
}
