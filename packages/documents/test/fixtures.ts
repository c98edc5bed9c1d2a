import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger, TestClock } from "@paycron/core";
import type { Db, NewInvoice } from "@paycron/db";
import { createCustomer, createOrganization } from "@paycron/db/testing";
import { generateSigningSecret, LocalStorage, type Storage } from "@paycron/storage";
import type { DocumentDeps } from "../src/index.ts";

export const NOW = "2027-03-01T09:00:00.000Z";

export function localStorage(clock: TestClock): LocalStorage {
  return new LocalStorage({ dataDir: mkdtempSync(join(tmpdir(), "paycron-documents-")), signingSecret: generateSigningSecret(), publicBaseUrl: "http://127.0.0.1:9", clock });
}

export function documentDeps(db: Db, storage?: Storage): DocumentDeps & { clock: TestClock } {
  const clock = new TestClock(NOW);
  return { db, clock, logger: silentLogger(), storage: storage ?? localStorage(clock) };
}

let numbers = 0;

/** An issued invoice with one line, open unless `overrides` say otherwise. */
export async function issuedInvoice(db: Db, overrides: Partial<NewInvoice> = {}, organizationId?: string) {
  const organization = organizationId ?? (await createOrganization(db, { name: "Acme Ødegård", billing_email: "finance@acme.example" })).id;
  const customer = await createCustomer(db, { organization_id: organization, name: "Zoë Łukasz" });
  const issuedAt = new Date(NOW);
  const invoice = await db
    .insertInto("invoices")
    .values({
      organization_id: organization,
      customer_id: customer.id,
      number: `DOC-${String(++numbers).padStart(6, "0")}`,
      status: "open",
      currency: "USD",
      subtotal: 4900,
      total: 4900,
      amount_due: 4900,
      issued_at: issuedAt,
      due_at: issuedAt,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto("invoice_line_items")
    .values({ invoice_id: invoice.id, kind: "subscription", description: "Pro", quantity: 1, unit_amount: 4900, amount: 4900, period_start: issuedAt, period_end: new Date("2027-04-01T09:00:00Z") })
    .execute();
  return invoice;
}

/** What billing does when the invoice is paid: the amounts and the status, the version bumped. */
export async function pay(db: Db, invoiceId: string, at = new Date(NOW)) {
  await db.updateTable("invoices").set({ status: "paid", paid_at: at, amount_paid: 4900, amount_due: 0, updated_at: new Date(at.getTime() + 1) }).where("id", "=", invoiceId).execute();
}
