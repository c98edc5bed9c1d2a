import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import type { Storage } from "@paycron/storage";
import { extractText } from "unpdf";
import { storeInvoiceDocument, storeReceipt } from "../src/index.ts";
import { documentDeps, issuedInvoice, localStorage, pay } from "./fixtures.ts";

const t = useTestDb();

async function pdfText(storage: Storage, key: string): Promise<string> {
  const object = await storage.get(key);
  return (await extractText(new Uint8Array(object!.bytes), { mergePages: true })).text;
}

describe("storeInvoiceDocument", () => {
  it("stores an issued invoice's PDF once and records where: a retry of that version writes nothing", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);

    const first = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });
    const again = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });

    expect(first).toMatchObject({ outcome: "created", key: expect.stringMatching(new RegExp(`^invoices/${invoice.organization_id}/${invoice.id}/invoice-[0-9a-f]{16}\\.pdf$`)) });
    expect(again).toEqual({ ...first, outcome: "unchanged" });
    const row = await t.db.selectFrom("invoices").select(["pdf_object", "receipt_object"]).where("id", "=", invoice.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ pdf_object: first.key, receipt_object: null });

    // A run that died after the upload, before recording it, renders the same bytes to the same key.
    await t.db.updateTable("invoices").set({ pdf_object: null, pdf_version: null }).where("id", "=", invoice.id).execute();
    expect(await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" })).toEqual({ ...first, outcome: "unchanged" });
    const text = await pdfText(deps.storage, first.key);
    expect(text).toContain(invoice.number);
    expect(text).toContain("Zoë Łukasz");
    expect(text).toContain("$49.00");
  });

  it("a paid invoice is a new version under a new key; the issued one stays where a link may point at it", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);
    const issued = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });
    await pay(t.db, invoice.id);

    const paid = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });

    expect(paid.key).not.toBe(issued.key);
    expect(await deps.storage.exists(issued.key)).toBe(true);
    expect(await pdfText(deps.storage, paid.key)).toContain("PAID");
    expect(await pdfText(deps.storage, issued.key)).not.toContain("PAID");
    expect((await t.db.selectFrom("invoices").select("pdf_object").where("id", "=", invoice.id).executeTakeFirstOrThrow()).pdf_object).toBe(paid.key);
  });

  it("an invoice that changes while its PDF is rendered is rendered again: a late run never records an older version over a newer one", async () => {
    const inner = localStorage(documentDeps(t.db).clock);
    const invoice = await issuedInvoice(t.db);
    let puts = 0;
    // The payment lands between the render and the write of the first version.
    const racing: Storage = {
      ...inner,
      get: (key) => inner.get(key),
      exists: (key) => inner.exists(key),
      signedUrl: (key, options) => inner.signedUrl(key, options),
      put: async (key, bytes, options) => {
        if (puts++ === 0) await pay(t.db, invoice.id);
        return inner.put(key, bytes, options);
      },
    };
    const deps = documentDeps(t.db, racing);

    const stored = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "invoice" });

    expect(puts).toBe(2);
    expect(await pdfText(inner, stored.key)).toContain("PAID");
    expect((await t.db.selectFrom("invoices").select("pdf_object").where("id", "=", invoice.id).executeTakeFirstOrThrow()).pdf_object).toBe(stored.key);
  });

  it("refuses a receipt for an invoice that is not paid, for good (no retry can help)", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);
    const error = await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "receipt" }).catch((e: unknown) => e);
    expect(isDomainError(error, "receipt_without_payment")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
  });
});

describe("storeReceipt", () => {
  it("stores the receipt, then enqueues the customer's receipt email once, however often it runs", async () => {
    const deps = documentDeps(t.db);
    const invoice = await issuedInvoice(t.db);
    await pay(t.db, invoice.id);

    const first = await storeReceipt(deps, { invoiceId: invoice.id });
    const again = await storeReceipt(deps, { invoiceId: invoice.id });

    expect(first).toMatchObject({ kind: "receipt", outcome: "created", emailEnqueued: true });
    expect(again).toMatchObject({ key: first.key, outcome: "unchanged", emailEnqueued: true });
    const text = await pdfText(deps.storage, first.key);
    expect(text).toMatch(/Receipt/i);
    const emails = await t.db.selectFrom("task_outbox").select(["task_id", "payload"]).where("task_id", "=", "notifications-payment-receipt").where("payload", "@>", JSON.stringify({ invoiceId: invoice.id })).execute();
    expect(emails).toEqual([{ task_id: "notifications-payment-receipt", payload: { invoiceId: invoice.id } }]);
  });

  it("a paid invoice with nothing paid (a zero invoice) gets its receipt but no email", async () => {
    const deps = documentDeps(t.db);
    const now = new Date();
    const invoice = await issuedInvoice(t.db, { status: "paid", subtotal: 0, total: 0, amount_due: 0, paid_at: now });

    expect(await storeReceipt(deps, { invoiceId: invoice.id })).toMatchObject({ outcome: "created", emailEnqueued: false });
  });
});
