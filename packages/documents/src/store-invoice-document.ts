import { sql } from "kysely";
import { assertNotInTransaction } from "@paycron/db";
import { loadInvoiceDocument, PdfError, renderInvoicePdf, renderReceiptPdf } from "@paycron/pdf";
import type { DocumentDeps } from "./deps.ts";
import { documentKey, type DocumentKind } from "./document-key.ts";

export interface StoredDocument {
  invoiceId: string;
  kind: DocumentKind;
  key: string;
  /** created: a new object; unchanged: this version was stored before (a retry, a duplicate run). */
  outcome: "created" | "unchanged";
}

/** A concurrent change to the invoice between reading it and recording its document: read it again. */
const MAX_ROUNDS = 5;

/**
 * Renders an issued invoice's PDF (or a paid one's receipt), stores it under a key named by its
 * bytes and records the key on the invoice (`pdf_object` / `receipt_object`). Idempotent: the
 * same version of the invoice renders the same bytes (the renderer is deterministic), so a
 * retry writes nothing new, and a version recorded already (`pdf_version`) is not rendered again. The key is recorded only if the invoice has not changed since it
 * was read (its `updated_at`), so a late run never puts an older version over a newer one; when
 * it has changed, the new version is rendered instead.
 */
export async function storeInvoiceDocument(deps: DocumentDeps, input: { invoiceId: string; kind: DocumentKind }): Promise<StoredDocument> {
  assertNotInTransaction(deps.db, "storing a document");
  const [object, version] = input.kind === "invoice" ? (["pdf_object", "pdf_version"] as const) : (["receipt_object", "receipt_version"] as const);
  for (let round = 1; ; round++) {
    // As text: Postgres keeps microseconds, which a Date would round away and never match again.
    const current = await deps.db
      .selectFrom("invoices")
      .select(["organization_id", sql<string>`updated_at::text`.as("version"), `${object} as key`, `${version} as stored_version`])
      .where("id", "=", input.invoiceId)
      .executeTakeFirst();
    if (!current) throw new PdfError("invoice_not_found", `no invoice has the id ${input.invoiceId}`, { details: { invoiceId: input.invoiceId } });
    // This version is stored already (a duplicate or late run, the issue-time run after the payment's).
    if (current.key && current.stored_version === current.version) {
      return { invoiceId: input.invoiceId, kind: input.kind, key: current.key, outcome: "unchanged" };
    }
    const data = await loadInvoiceDocument(deps.db, input.invoiceId);
    const bytes = input.kind === "invoice" ? await renderInvoicePdf(data) : await renderReceiptPdf(data);
    const key = documentKey({ organizationId: current.organization_id, invoiceId: input.invoiceId, kind: input.kind, bytes });
    const { outcome } = await deps.storage.put(key, bytes, { contentType: "application/pdf" });
    const recorded = await deps.db
      .updateTable("invoices")
      .set({ [object]: key, [version]: current.version })
      .where("id", "=", input.invoiceId)
      .where(sql<string>`updated_at::text`, "=", current.version)
      .executeTakeFirst();
    if (recorded.numUpdatedRows > 0n) {
      deps.logger.info({ invoiceId: input.invoiceId, kind: input.kind, key, outcome, bytes: bytes.length }, outcome === "created" ? "document stored" : "document already stored");
      return { invoiceId: input.invoiceId, kind: input.kind, key, outcome: outcome === "unchanged" ? "unchanged" : "created" };
    }
    if (round >= MAX_ROUNDS) {
      throw new Error(`invoice ${input.invoiceId} changed ${round} times while its ${input.kind} was rendered; the retry renders it again`);
    }
  }
}
