import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@paycron/db";
import { createCustomer, createOrganization, createPaymentMethod, createSubscription, useTestDb } from "@paycron/db/testing";
import { checkInvariants, invariantsHold, INVARIANTS, type InvariantName, type InvariantReport } from "../src/index.ts";

const t = useTestDb();
const NOW = new Date("2027-03-15T12:00:00Z");
const at = (iso: string) => new Date(iso);
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

interface World {
  organizationId: string;
  customerId: string;
  cardId: string;
  bankId: string;
  subscriptionId: string;
  periods: string[];
  invoices: string[];
  runs: string[];
}
let w: World;

/**
 * A small, consistent billing history: one subscription with three contiguous monthly periods;
 * period 1 paid (INV-000001), period 2 paid by a charge partly refunded since (INV-000002), period
 * 3 just opened with its run scheduled. Plus a processed webhook event, a sent email, a dispatched
 * outbox row and a bank payment still processing inside its window.
 */
beforeAll(async () => {
  const db = t.db;
  const organization = await createOrganization(db, { invoice_prefix: "INV", next_invoice_number: 3 });
  const customer = await createCustomer(db, { organization_id: organization.id });
  const card = await createPaymentMethod(db, { customer_id: customer.id });
  const bank = await createPaymentMethod(db, { customer_id: customer.id, type: "us_bank_account", is_default: false, brand: null });
  const sub = await createSubscription(db, {
    organization_id: organization.id,
    customer_id: customer.id,
    billing_cycle_anchor: at("2027-01-01T00:00:00Z"),
    current_period_start: at("2027-03-01T00:00:00Z"),
    current_period_end: at("2027-04-01T00:00:00Z"),
    default_payment_method_id: card.id,
  });
  const bounds = [
    ["2027-01-01", "2027-02-01", "completed"],
    ["2027-02-01", "2027-03-01", "completed"],
    ["2027-03-01", "2027-04-01", "active"],
  ] as const;
  const periods: string[] = [];
  const runs: string[] = [];
  for (const [index, [start, end, status]] of bounds.entries()) {
    const period = await db
      .insertInto("billing_periods")
      .values({ subscription_id: sub.id, starts_at: at(`${start}T00:00:00Z`), ends_at: at(`${end}T00:00:00Z`), status })
      .returning("id")
      .executeTakeFirstOrThrow();
    periods.push(period.id);
    const run = await db
      .insertInto("billing_runs")
      .values({
        billing_period_id: period.id,
        subscription_id: sub.id,
        attempt: 1,
        scheduled_for: at(`${start}T00:00:00Z`),
        status: index < 2 ? "succeeded" : "scheduled",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    runs.push(run.id);
  }
  const invoices: string[] = [];
  for (const [index, refunded] of [0, 1000].entries()) {
    const invoice = await db
      .insertInto("invoices")
      .values({
        organization_id: organization.id,
        customer_id: customer.id,
        subscription_id: sub.id,
        billing_period_id: periods[index]!,
        number: `INV-00000${index + 1}`,
        status: "paid",
        currency: "USD",
        subtotal: 4900,
        total: 4900,
        amount_paid: 4900 - refunded,
        amount_refunded: refunded,
        amount_due: 0,
        paid_at: at(bounds[index]![0]),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    invoices.push(invoice.id);
    await db
      .insertInto("invoice_line_items")
      .values({ invoice_id: invoice.id, kind: "subscription", description: "Pro", quantity: 1, unit_amount: 4900, amount: 4900 })
      .execute();
    await db
      .insertInto("payments")
      .values({
        invoice_id: invoice.id,
        billing_run_id: runs[index]!,
        customer_id: customer.id,
        payment_method_id: card.id,
        amount: 4900,
        amount_refunded: refunded,
        currency: "USD",
        status: refunded ? "refunded" : "succeeded",
        stripe_payment_intent_id: `pi_clean_${index}`,
      })
      .execute();
  }
  // A bank debit 100 hours in: inside the 168 hours organizations allow us_bank_account by default.
  const pending = await db
    .insertInto("invoices")
    .values({ organization_id: organization.id, customer_id: customer.id, status: "draft", currency: "USD" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("payments")
    .values({ invoice_id: pending.id, customer_id: customer.id, payment_method_id: bank.id, amount: 100, currency: "USD", status: "processing", created_at: hoursBefore(100) })
    .execute();
  await db
    .insertInto("webhook_events")
    .values({ provider: "stripe", provider_event_id: "evt_clean", type: "payment_intent.succeeded", payload: "{}", status: "processed", processed_at: NOW })
    .execute();
  await db
    .insertInto("email_deliveries")
    .values({ template: "receipt", recipient: "a@example.test", subject: "Receipt INV-000001", idempotency_key: "receipt:INV-000001", status: "sent" })
    .execute();
  await db
    .insertInto("task_outbox")
    .values([
      { task_id: "billing-run", payload: "{}", idempotency_key: "done", idempotency_expires_at: NOW, available_at: hoursBefore(2), dispatched_at: hoursBefore(2) },
      { task_id: "billing-run", payload: "{}", idempotency_key: "later", idempotency_expires_at: NOW, available_at: at("2027-04-01T00:00:00Z") },
    ])
    .execute();
  w = { organizationId: organization.id, customerId: customer.id, cardId: card.id, bankId: bank.id, subscriptionId: sub.id, periods, invoices, runs };
});

class Rollback extends Error {}

/** Plants a violation inside a transaction, checks the invariants there, and rolls everything back. */
async function checkWith(plant: (tx: Tx) => Promise<void>): Promise<InvariantReport> {
  let report: InvariantReport | undefined;
  await t.db
    .transaction()
    .execute(async (tx) => {
      await plant(tx);
      report = await checkInvariants(tx, { now: NOW });
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return report!;
}

/** Only `name` fails, with `violations` rows. */
function expectOnly(report: InvariantReport, name: InvariantName, violations: number) {
  const failing = Object.entries(report).filter(([, r]) => !r.ok).map(([n, r]) => [n, r.violations]);
  expect(failing).toEqual([[name, violations]]);
  expect(report[name].examples).toHaveLength(Math.min(violations, 5));
}

describe("checkInvariants", () => {
  it("reports every invariant of DESIGN.md as holding on a consistent history", async () => {
    const report = await checkInvariants(t.db, { now: NOW });

    expect(Object.keys(report)).toEqual(Object.keys(INVARIANTS));
    expect(Object.keys(report)).toEqual([
      "one_success_per_run",
      "amount_paid_matches_payments",
      "invoice_total_matches_lines",
      "periods_contiguous",
      "invoice_numbers_gap_free",
      "webhook_events_final",
      "emails_once",
      "nothing_left_behind",
      "canceled_not_billed",
      "past_due_not_rolled",
    ]);
    for (const result of Object.values(report)) expect(result).toEqual({ ok: true, violations: 0, examples: [] });
    expect(invariantsHold(report)).toBe(true);
  });

  it("one_success_per_run: a period charged twice through a second attempt", async () => {
    const report = await checkWith(async (tx) => {
      const retry = await tx
        .insertInto("billing_runs")
        .values({ billing_period_id: w.periods[0]!, subscription_id: w.subscriptionId, attempt: 2, scheduled_for: NOW, status: "succeeded" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("payments")
        .values({ invoice_id: w.invoices[0]!, billing_run_id: retry.id, customer_id: w.customerId, amount: 4900, currency: "USD", status: "succeeded" })
        .execute();
      // The invoice records both, so only the double charge is wrong.
      await tx.updateTable("invoices").set({ total: 9800, subtotal: 9800, amount_paid: 9800 }).where("id", "=", w.invoices[0]!).execute();
      await tx.insertInto("invoice_line_items").values({ invoice_id: w.invoices[0]!, kind: "subscription", description: "Pro", quantity: 1, unit_amount: 4900, amount: 4900 }).execute();
    });
    expectOnly(report, "one_success_per_run", 1);
    expect(report.one_success_per_run.examples[0]).toBe(`period ${w.periods[0]}: 2 charges`);
    expect(invariantsHold(report)).toBe(false);
  });

  it("one_success_per_run: a charge without a run still counts against its invoice's period", async () => {
    const report = await checkWith(async (tx) => {
      // Invoice 2 (1000 of 4900 refunded) records both charges, so only the double charge is wrong.
      await tx.updateTable("invoices").set({ total: 9800, subtotal: 9800, amount_paid: 8800 }).where("id", "=", w.invoices[1]!).execute();
      await tx.insertInto("invoice_line_items").values({ invoice_id: w.invoices[1]!, kind: "subscription", description: "Pro", quantity: 1, unit_amount: 4900, amount: 4900 }).execute();
      await tx
        .insertInto("payments")
        .values({ invoice_id: w.invoices[1]!, customer_id: w.customerId, amount: 4900, currency: "USD", status: "succeeded" })
        .execute();
    });
    expectOnly(report, "one_success_per_run", 1);
  });

  it("amount_paid_matches_payments: amount_paid that its payments do not add up to, refunds deducted", async () => {
    const report = await checkWith(async (tx) => {
      // Invoice 2 forgets its refund; invoice 1 claims 100 more than was paid.
      await tx.updateTable("invoices").set({ amount_paid: 4900, amount_refunded: 0 }).where("id", "=", w.invoices[1]!).execute();
      await tx.updateTable("invoices").set({ total: 5000, subtotal: 5000, amount_paid: 5000 }).where("id", "=", w.invoices[0]!).execute();
      await tx.updateTable("invoice_line_items").set({ quantity: 1, unit_amount: 5000, amount: 5000 }).where("invoice_id", "=", w.invoices[0]!).execute();
    });
    expectOnly(report, "amount_paid_matches_payments", 2);
  });

  it("amount_paid_matches_payments: a failed or processing payment is not money received", async () => {
    const report = await checkWith(async (tx) => {
      await tx.updateTable("payments").set({ status: "failed" }).where("invoice_id", "=", w.invoices[0]!).execute();
    });
    expectOnly(report, "amount_paid_matches_payments", 1);
  });

  it("invoice_total_matches_lines: a total without its line, and a line whose amount is not quantity × unit_amount", async () => {
    const report = await checkWith(async (tx) => {
      await tx.insertInto("invoice_line_items").values({ invoice_id: w.invoices[0]!, kind: "usage", description: "API calls", quantity: 3, unit_amount: 7, amount: 0 }).execute();
      await tx.updateTable("invoice_line_items").set({ amount: 4899 }).where("invoice_id", "=", w.invoices[1]!).execute();
    });
    // Invoice 1: lines add to 4900 = total but its usage line is wrong; invoice 2: lines 4899 ≠ 4900 and its line is wrong.
    expectOnly(report, "invoice_total_matches_lines", 3);
  });

  it("periods_contiguous: a gap between two periods", async () => {
    const report = await checkWith(async (tx) => {
      await tx
        .insertInto("billing_periods")
        .values({ subscription_id: w.subscriptionId, starts_at: at("2027-04-02T00:00:00Z"), ends_at: at("2027-05-01T00:00:00Z"), status: "upcoming" })
        .execute();
    });
    expectOnly(report, "periods_contiguous", 1);
    expect(report.periods_contiguous.examples[0]).toContain("2027-04-01T00:00:00Z followed by one starting 2027-04-02T00:00:00Z");
  });

  it("invoice_numbers_gap_free: numbers handed out but never used, and one number used twice under two spellings", async () => {
    const report = await checkWith(async (tx) => {
      await tx.updateTable("organizations").set({ next_invoice_number: 5 }).where("id", "=", w.organizationId).execute();
      await tx
        .insertInto("invoices")
        .values({ organization_id: w.organizationId, customer_id: w.customerId, number: "INV-2", status: "void", currency: "USD", voided_at: NOW })
        .execute();
    });
    // 3 and 4 missing, 2 used twice.
    expectOnly(report, "invoice_numbers_gap_free", 3);
  });

  it("invoice_numbers_gap_free: a number beyond the organization's counter", async () => {
    const report = await checkWith(async (tx) => {
      await tx
        .insertInto("invoices")
        .values({ organization_id: w.organizationId, customer_id: w.customerId, number: "INV-000003", status: "void", currency: "USD", voided_at: NOW })
        .execute();
    });
    expectOnly(report, "invoice_numbers_gap_free", 1);
  });

  it("webhook_events_final: events never processed or given up on", async () => {
    const report = await checkWith(async (tx) => {
      await tx
        .insertInto("webhook_events")
        .values([
          { provider: "stripe", provider_event_id: "evt_open", type: "charge.refunded", payload: "{}", status: "received" },
          { provider: "supabase", provider_event_id: "evt_failed", type: "INSERT", payload: "{}", status: "failed", error: "boom" },
          { provider: "stripe", provider_event_id: "evt_ignored", type: "customer.created", payload: "{}", status: "ignored", processed_at: NOW },
        ])
        .execute();
    });
    expectOnly(report, "webhook_events_final", 2);
  });

  it("emails_once: the same occurrence sent twice once the unique index is gone", async () => {
    const report = await checkWith(async (tx) => {
      await sql`alter table email_deliveries drop constraint email_deliveries_idempotency_key_key`.execute(tx);
      await tx
        .insertInto("email_deliveries")
        .values([
          { template: "receipt", recipient: "a@example.test", subject: "Receipt INV-000001", idempotency_key: "receipt:INV-000001", status: "sent" },
          { template: "receipt", recipient: "a@example.test", subject: "Receipt INV-000001", idempotency_key: "receipt:INV-000001", status: "sent" },
          { template: "receipt", recipient: "a@example.test", subject: "Receipt INV-000002", idempotency_key: "receipt:INV-000002", status: "failed" },
        ])
        .execute();
    });
    expectOnly(report, "emails_once", 2);
  });

  it("nothing_left_behind: a due outbox row, a run past its lease and a card payment past its window", async () => {
    const report = await checkWith(async (tx) => {
      await tx
        .insertInto("task_outbox")
        .values({ task_id: "billing-run", payload: "{}", idempotency_key: "stuck", idempotency_expires_at: NOW, available_at: hoursBefore(1) })
        .execute();
      await tx.updateTable("billing_runs").set({ status: "in_progress", lease_until: hoursBefore(1) }).where("id", "=", w.runs[2]!).execute();
      const draft = await tx
        .insertInto("invoices")
        .values({ organization_id: w.organizationId, customer_id: w.customerId, status: "draft", currency: "USD" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("payments")
        .values([
          // Past the card's 24 hours.
          { invoice_id: draft.id, customer_id: w.customerId, payment_method_id: w.cardId, amount: 100, currency: "USD", status: "requires_action", created_at: hoursBefore(25) },
          // Inside the bank account's 168 hours.
          { invoice_id: draft.id, customer_id: w.customerId, payment_method_id: w.bankId, amount: 100, currency: "USD", status: "processing", created_at: hoursBefore(167) },
        ])
        .execute();
    });
    expectOnly(report, "nothing_left_behind", 3);
  });

  it("nothing_left_behind: the window is the organization's, per payment method type", async () => {
    const report = await checkWith(async (tx) => {
      await tx
        .updateTable("organizations")
        .set({ payment_timeout_hours: { card: 24, us_bank_account: 72 } })
        .where("id", "=", w.organizationId)
        .execute();
    });
    // The bank payment, 100 hours in, is now past its 72.
    expectOnly(report, "nothing_left_behind", 1);
  });

  it("canceled_not_billed: a canceled subscription with its next run still scheduled", async () => {
    const report = await checkWith(async (tx) => {
      await tx.updateTable("subscriptions").set({ status: "canceled", canceled_at: NOW, cancellation_reason: "non_payment" }).where("id", "=", w.subscriptionId).execute();
    });
    expectOnly(report, "canceled_not_billed", 1);
  });

  it("past_due_not_rolled: a later period charged while an earlier one is unpaid", async () => {
    const report = await checkWith(async (tx) => {
      await tx.updateTable("subscriptions").set({ status: "past_due" }).where("id", "=", w.subscriptionId).execute();
      // Period 2 is unpaid (past_due); period 3's run went ahead anyway.
      await tx.updateTable("billing_periods").set({ status: "past_due" }).where("id", "=", w.periods[1]!).execute();
      await tx.updateTable("billing_runs").set({ status: "failed" }).where("id", "=", w.runs[2]!).execute();
    });
    expectOnly(report, "past_due_not_rolled", 1);
  });

  it("past_due_not_rolled: a run merely scheduled for the later period, or the unpaid period's own retries, are fine", async () => {
    const report = await checkWith(async (tx) => {
      await tx.updateTable("subscriptions").set({ status: "past_due" }).where("id", "=", w.subscriptionId).execute();
      await tx.updateTable("billing_periods").set({ status: "past_due" }).where("id", "=", w.periods[1]!).execute();
      await tx
        .insertInto("billing_runs")
        .values({ billing_period_id: w.periods[1]!, subscription_id: w.subscriptionId, attempt: 2, scheduled_for: NOW, status: "failed" })
        .execute();
    });
    expect(invariantsHold(report)).toBe(true);
  });
});
