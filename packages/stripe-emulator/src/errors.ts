/** An error answered in Stripe's shape: `{ "error": { type, code?, decline_code?, message, param?, … } }`. */
export type StripeErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

export interface StripeErrorFields {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: Record<string, unknown>;
  payment_method?: Record<string, unknown>;
  setup_intent?: Record<string, unknown>;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly fields: StripeErrorFields,
    /** Extra response headers, e.g. `Stripe-Should-Retry`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(fields.message);
  }

  body(requestId: string): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { ...this.fields };
    if (this.fields.code) error.doc_url = `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, "-")}`;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export const notFound = (kind: string, id: string, param = "id") =>
  new StripeApiError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param });

export const missingParam = (param: string) =>
  new StripeApiError(400, { type: "invalid_request_error", code: "parameter_missing", message: `Missing required param: ${param}.`, param });

export const invalidParam = (param: string, message: string, code = "parameter_invalid_empty") =>
  new StripeApiError(400, { type: "invalid_request_error", code, message, param });
