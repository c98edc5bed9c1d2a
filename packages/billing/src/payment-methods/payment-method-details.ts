import type { PaymentMethodType } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";

export interface PaymentMethodDetails {
  type: PaymentMethodType;
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
}

/** The columns payment_methods keeps of a Stripe PaymentMethod; null for a type we do not bill. */
export function paymentMethodDetails(pm: Stripe.PaymentMethod): PaymentMethodDetails | null {
  switch (pm.type) {
    case "card":
      return { type: "card", brand: pm.card?.brand ?? null, last4: pm.card?.last4 ?? null, exp_month: pm.card?.exp_month ?? null, exp_year: pm.card?.exp_year ?? null };
    case "us_bank_account":
      // A bank account does not expire; its bank stands in for a card's brand.
      return { type: "us_bank_account", brand: pm.us_bank_account?.bank_name ?? null, last4: pm.us_bank_account?.last4 ?? null, exp_month: null, exp_year: null };
    case "sepa_debit":
      return { type: "sepa_debit", brand: null, last4: pm.sepa_debit?.last4 ?? null, exp_month: null, exp_year: null };
    case "link":
      return { type: "link", brand: null, last4: null, exp_month: null, exp_year: null };
    default:
      return null;
  }
}
