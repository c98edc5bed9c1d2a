import { z } from "zod";

/*
 * Everything an invoice or receipt PDF shows, as plain data: the renderers read nothing else (no
 * database, no clock, no environment), so the same data always gives the same bytes. Amounts are
 * integer minor units in `currency` (cents; yen for JPY, which has none smaller).
 */

const minor = z.number().int().refine(Number.isSafeInteger, "not a safe integer");
const text = z.string().trim().min(1);

/**
 * The answer for each value, kept: asking Intl builds a formatter or a list of every currency, a
 * noticeable part of a render, and the answer for a given value never changes in a process.
 */
function remembered(check: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      if (answers.size >= 256) answers.clear(); // a bound, should the data carry ever-new values
      answers.set(value, (answer = check(value)));
    }
    return answer;
  };
}

/** Intl refuses an unknown tag or zone at format time; checking here names the field instead. */
const locale = text.refine(
  remembered((tag) => Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0),
  "unknown locale",
);
const timeZone = text.refine(
  remembered((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }),
  "unknown time zone",
);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals")
  .refine(
    remembered((code) => Intl.supportedValuesOf("currency").includes(code)),
    "unknown currency",
  );

/** A PNG or JPEG as bytes (react-pdf embeds it; it is never fetched). */
export const logoSchema = z.object({ data: z.instanceof(Uint8Array), format: z.enum(["png", "jpg"]) });

export const lineItemSchema = z.object({
  description: text,
  /** The service period, [start, end): shown as a range, the end exclusive as the billing engine stores it. */
  periodStart: z.date().nullable(),
  periodEnd: z.date().nullable(),
  quantity: z.number().int().nonnegative(),
  unitAmount: minor,
  /** Negative for a credit. */
  amount: minor,
});

export const invoiceStatusSchema = z.enum(["open", "paid", "void", "uncollectible"]);

export const invoiceDocumentDataSchema = z.object({
  organization: z.object({
    name: text,
    /** As printed, one line each (often none). */
    addressLines: z.array(text),
    email: text.nullable(),
    logo: logoSchema.nullable(),
  }),
  invoiceNumber: text,
  status: invoiceStatusSchema,
  issuedAt: z.date(),
  dueAt: z.date().nullable(),
  paidAt: z.date().nullable(),
  voidedAt: z.date().nullable(),
  billTo: z.object({ name: text.nullable(), email: text, addressLines: z.array(text) }),
  lines: z.array(lineItemSchema),
  subtotal: minor,
  /** A positive amount taken off the subtotal. */
  discount: minor,
  tax: minor,
  total: minor,
  amountPaid: minor,
  amountRefunded: minor,
  amountDue: minor,
  paymentMethod: z.object({ brand: text, last4: z.string().regex(/^\d{4}$/) }).nullable(),
  footer: text.nullable(),
  currency,
  /** The customer's locale (BCP 47): number, currency and date formats, and the labels' language. */
  locale,
  /** The organization's IANA time zone: every date is the calendar date there. */
  timeZone,
});

export type InvoiceDocumentData = z.infer<typeof invoiceDocumentDataSchema>;
export type InvoiceLineItemData = z.infer<typeof lineItemSchema>;
export type InvoiceDocumentStatus = z.infer<typeof invoiceStatusSchema>;
export type InvoiceLogo = z.infer<typeof logoSchema>;
