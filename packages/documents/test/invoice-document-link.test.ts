import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { invoiceDocumentLink, storeInvoiceDocument } from "../src/index.ts";
import { documentDeps, issuedInvoice, pay } from "./fixtures.ts";

const t = useTestDb();

describe("invoiceDocumentLink (paycron invoice pdf)", () => {
  it("signs a short-lived link to the stored PDF, found by its number", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);
    const stored = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });

    const link = await invoiceDocumentLink(deps, { number: invoice.number!, kind: "invoice", expiresInSeconds: 600 });

    expect(link).toMatchObject({ invoiceId: invoice.id, key: stored.key, rendered: false, expiresAt: new Date(deps.clock.now().getTime() + 600_000) });
    expect(link.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:9/files/${stored.key}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
  });

  it("renders and stores a document whose task has not run yet, as the task would", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);
    await pay(t.db, invoice.id);

    const link = await invoiceDocumentLink(deps, { number: invoice.number!, kind: "receipt" });

    expect(link.rendered).toBe(true);
    expect(await deps.storage.exists(link.key)).toBe(true);
    expect((await t.db.selectFrom("invoices").select("receipt_object").where("id", "=", invoice.id).executeTakeFirstOrThrow()).receipt_object).toBe(link.key);
  });

  it("says precisely what is wrong: an unknown number, a number two organizations share, a receipt before payment", async () => {
    const deps = documentDeps(t.db);
    const open = await issuedInvoice(t.db);
    const shared = await issuedInvoice(t.db, { number: "SHARED-1" });
    await issuedInvoice(t.db, { number: "SHARED-1" });
    const code = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => (isDomainError(e) ? e.code : String(e)));

    expect(await code(invoiceDocumentLink(deps, { number: "NOPE-1", kind: "invoice" }))).toBe("invoice_number_not_found");
    expect(await code(invoiceDocumentLink(deps, { number: "SHARED-1", kind: "invoice" }))).toBe("invoice_number_ambiguous");
    expect(await code(invoiceDocumentLink(deps, { number: "SHARED-1", organizationId: shared.organization_id, kind: "invoice" }))).toBe("resolved");
    expect(await code(invoiceDocumentLink(deps, { number: open.number!, kind: "receipt" }))).toBe("invoice_not_paid");
  });
});
