import { z } from "zod";

/*
 * The props every template is rendered from. They travel in task payloads as JSON, so nothing
 * here is a Date or a bigint: instants are ISO strings, amounts integer minor units. This folder
 * imports zod only, so a payload schema can reuse it without loading React (`@paycron/email/props`).
 */

/** An amount as billing stores it: integer minor units and an ISO 4217 code. */
export const moneySchema = z.object({
  amount: z.number().int().refine(Number.isSafeInteger, "amount must be a safe integer"),
  currency: z.string().regex(/^[A-Za-z]{3}$/, "an ISO 4217 currency code"),
});
export type Money = z.infer<typeof moneySchema>;

/** An instant as an ISO 8601 string with its offset ("2027-01-15T09:00:00Z"). */
export const instantSchema = z.iso.datetime({ offset: true });

/** A link the email points at; http(s) only, so a template never renders a javascript: URL. */
export const linkSchema = z.url({ protocol: /^https?$/ });

/** What every template's props start with: whose email it is, for the header and the footer. */
export const baseEmailSchema = z.object({
  organizationName: z.string().min(1),
});

/** A customer's email: the organization that bills them, and their name when it is known. */
export const customerEmailSchema = baseEmailSchema.extend({
  customerName: z.string().min(1).optional(),
});

/** A card or other method as the customer recognises it ("Visa •••• 4242"). */
export const paymentMethodSchema = z.object({ brand: z.string().min(1), last4: z.string().regex(/^\d{4}$/) });

/** Who an organization's email is about. */
export const customerRefSchema = z.object({ name: z.string().min(1), email: z.email() });

export const billingIntervalSchema = z.enum(["day", "week", "month", "year"]);
