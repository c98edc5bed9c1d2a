import { createHash } from "node:crypto";

export type DocumentKind = "invoice" | "receipt";

/**
 * Where a version of an invoice's document lies: named by its bytes, so the same version always
 * lands on the same object (a retry finds it `unchanged`) and a new version (the invoice paid,
 * voided) is a new object, never an overwrite of a document a customer may already hold a link to.
 */
export function documentKey(input: { organizationId: string; invoiceId: string; kind: DocumentKind; bytes: Uint8Array }): string {
  const digest = createHash("sha256").update(input.bytes).digest("hex").slice(0, 16);
  return `invoices/${input.organizationId}/${input.invoiceId}/${input.kind}-${digest}.pdf`;
}
