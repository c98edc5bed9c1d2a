/** One rendered email for one recipient, as a provider takes it. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The template's name, for the provider's tags and the local outbox's file names. */
  template: string;
}

export interface SendOptions {
  /**
   * The business occurrence's key (emailKey). A provider that saw it already must not send again;
   * Resend honours it as its Idempotency-Key for 24 hours.
   */
  idempotencyKey: string;
}

/**
 * Where emails leave Paycron. `send` resolves with the provider's message id once the provider
 * has accepted the email, and throws an EmailError otherwise: `retryable` when another attempt with
 * the same key can succeed (rate limit, outage), not when the provider refused the email for good.
 */
export interface EmailTransport {
  readonly kind: "resend" | "local-outbox";
  send(email: OutgoingEmail, options: SendOptions): Promise<{ providerMessageId: string }>;
}
