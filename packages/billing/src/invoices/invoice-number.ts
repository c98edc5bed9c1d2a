import { sql } from "kysely";
import type { Tx } from "@paycron/db";
import { BillingError } from "../errors.ts";

/** `INV-000123`: at least six digits, more once past 999999 (never wraps or truncates). */
export function formatInvoiceNumber(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`invoice number must be a positive integer, got ${n}`);
  return `${prefix}-${String(n).padStart(6, "0")}`;
}

/**
 * Takes the organization's next invoice number, in the caller's transaction. The UPDATE locks the
 * organization's row until that transaction ends, so concurrent issuers queue and each reads the
 * counter its predecessor committed: numbers are unique and sequential. A transaction that rolls
 * back undoes its increment, so the next issuer gets the same number and no gap is left. Call it
 * as late as possible in the transaction: every other invoice of the organization waits for it.
 * (count(*) + 1 would hand two concurrent issuers the same number.)
 */
export async function takeInvoiceNumber(tx: Tx, organizationId: string): Promise<string> {
  const [number] = await takeInvoiceNumbers(tx, organizationId, 1);
  return number!;
}

/** takeInvoiceNumber for `count` invoices at once: the next `count` numbers, in one update. */
export async function takeInvoiceNumbers(tx: Tx, organizationId: string, count: number): Promise<string[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const row = await tx
    .updateTable("organizations")
    .set({ next_invoice_number: sql`next_invoice_number + ${count}` })
    .where("id", "=", organizationId)
    .returning(["invoice_prefix", sql<number>`next_invoice_number - ${count}`.as("first")])
    .executeTakeFirst();
  if (!row) {
    throw new BillingError("organization_not_found", `no organization with id ${JSON.stringify(organizationId)}`, {
      details: { organizationId },
    });
  }
  return Array.from({ length: count }, (_, i) => formatInvoiceNumber(row.invoice_prefix, row.first + i));
}
