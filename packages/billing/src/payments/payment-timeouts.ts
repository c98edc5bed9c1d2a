import type { PaymentMethodType, PaymentTimeoutHours } from "@paycron/db";

const HOUR_MS = 3_600_000;
/** When an organization's settings name no window for a type: a card's, and a card's is a day. */
const FALLBACK_HOURS = 24;

/** How long a payment by this type may stay pending; a payment without a method counts as a card. */
export function paymentTimeoutMs(hours: PaymentTimeoutHours, type: PaymentMethodType | null): number {
  return (hours[type ?? "card"] ?? hours.card ?? FALLBACK_HOURS) * HOUR_MS;
}
