import { invalidParam, StripeApiError } from "../errors.ts";
import type { Json } from "../objects.ts";
import type { Params } from "../params.ts";
import { clone } from "../state.ts";

// What PaymentIntents and SetupIntents share.

export const CONFIRMABLE = ["requires_payment_method", "requires_confirmation"];

/** `allowed_payment_method_types` (the pinned API version's name) or the older `payment_method_types`. */
export function paymentMethodTypes(p: Params): string[] | undefined {
  const types = p.strings("allowed_payment_method_types") ?? p.strings("payment_method_types");
  if (types && types.length === 0) throw invalidParam("allowed_payment_method_types", "allowed_payment_method_types cannot be empty.");
  return types;
}

export function unexpectedState(intent: Json, message: string, key = "payment_intent"): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", code: `${key}_unexpected_state`, message, [key]: clone(intent) });
}
