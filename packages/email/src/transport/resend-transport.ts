import { Resend } from "resend";
import type { EmailTransport } from "./transport.ts";
import { resendErrorToEmailError } from "./resend-error.ts";

export interface ResendTransportOptions {
  apiKey: string;
  /** The sender, e.g. `"Acme billing <billing@acme.example>"`, on a domain verified in Resend. */
  from: string;
  /** Another address for Resend's API (a test's capture server); Resend's own by default. */
  baseUrl?: string | undefined;
  /** A request with no answer by then counts as an outage and is retried with the same key (default 15 s). */
  timeoutMs?: number;
}

/**
 * Emails through the resend SDK. The SDK does not throw: every answer is a `{ data, error }`, and
 * an error is turned into an EmailError that says whether a retry can help. The idempotency key
 * goes out as Resend's Idempotency-Key, so a retry after an accepted send is not a second email.
 */
export function createResendTransport(options: ResendTransportOptions): EmailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    kind: "resend",
    async send(email, { idempotencyKey }) {
      const { data, error, headers } = await resend.emails.send(
        {
          from: options.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          tags: [{ name: "template", value: email.template.replace(/[^A-Za-z0-9_-]/g, "_") }],
        },
        { idempotencyKey, signal: AbortSignal.timeout(timeoutMs) },
      );
      if (error) throw resendErrorToEmailError(error, headers);
      return { providerMessageId: data.id };
    },
  };
}
