import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Db } from "../src/index.ts";
import {
  createCustomer,
  createOrganization,
  createPaymentMethod,
  createPrice,
  createSubscription,
  useTestDb,
} from "../src/testing/index.ts";

const t = useTestDb();

/** Runs `insert` twice: the first must succeed, the second must hit exactly `constraint`. */
async function expectDuplicateRejected(insert: () => Promise<unknown>, sqlstate: string, constraint: string) {
  await insert();
  const error = await insert().then(
    () => undefined,
    (e: unknown) => e as { code?: string; constraint?: string },
  );
  expect(error, `second insert should violate ${constraint}`).toBeDefined();
  expect({ code: error?.code, constraint: error?.constraint }).toEqual({ code: sqlstate, constraint });
}

async function graph(db: Db) {
  const org = await createOrganization(db);
  const customer = await createCustomer(db, { organization_id: org.id });
  const subscription = await createSubscription(db, { organization_id: org.id, customer_id: customer.id });
  const period = await db
    .insertInto("billing_periods")
    .values({ subscription_id: subscription.id, starts_at: "2026-01-01T00:00:00Z", ends_at: "2026-02-01T00:00:00Z", status: "active" })
    .returningAll()
    .executeTakeFirstOrThrow();
  const run = await db
    .insertInto("billing_runs")
    .values({ billing_period_id: period.id, subscription_id: subscription.id, attempt: 1, scheduled_for: "2026-02-01T00:00:00Z", status: "succeeded" })
    .returningAll()
    .executeTakeFirstOrThrow();
  const invoice = await db
    .insertInto("invoices")
    .values({ organization_id: org.id, customer_id: customer.id, status: "draft", currency: "USD" })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { org, customer, subscription, period, run, invoice };
}

const UNIQUE = "23505";

describe("uniqueness that idempotency rests on", () => {
  it("customers: (organization_id, external_id)", async () => {
    const org = await createOrganization(t.db);
    await expectDuplicateRejected(
      () => createCustomer(t.db, { organization_id: org.id, external_id: "acme-1", email: `${randomUUID()}@x.test` }),
      UNIQUE,
      "customers_organization_id_external_id_key",
    );
  });

  it("customers: stripe_customer_id", async () => {
    const org = await createOrganization(t.db);
    await expectDuplicateRejected(
      () => createCustomer(t.db, { organization_id: org.id, stripe_customer_id: "cus_dup" }),
      UNIQUE,
      "customers_stripe_customer_id_key",
    );
  });

  it("payment_methods: stripe_payment_method_id, and one default per customer", async () => {
    const customer = await createCustomer(t.db);
    await expectDuplicateRejected(
      () => createPaymentMethod(t.db, { customer_id: customer.id, stripe_payment_method_id: "pm_dup", is_default: false }),
      UNIQUE,
      "payment_methods_stripe_payment_method_id_key",
    );
    await expectDuplicateRejected(
      () => createPaymentMethod(t.db, { customer_id: customer.id, is_default: true }),
      UNIQUE,
      "payment_methods_one_default",
    );
  });

  it("usage_meters: (organization_id, slug); usage_events: (meter, customer, idempotency key)", async () => {
    const org = await createOrganization(t.db);
    const customer = await createCustomer(t.db, { organization_id: org.id });
    const meter = () =>
      t.db.insertInto("usage_meters").values({ organization_id: org.id, slug: "api_calls", name: "API calls", aggregation: "sum" }).returningAll().executeTakeFirstOrThrow();
    await expectDuplicateRejected(meter, UNIQUE, "usage_meters_organization_id_slug_key");
    const m = await t.db.selectFrom("usage_meters").select("id").where("organization_id", "=", org.id).executeTakeFirstOrThrow();
    await expectDuplicateRejected(
      () =>
        t.db
          .insertInto("usage_events")
          .values({ usage_meter_id: m.id, customer_id: customer.id, quantity: 5, occurred_at: "2026-01-05T00:00:00Z", idempotency_key: "evt-1" })
          .execute(),
      UNIQUE,
      "usage_events_usage_meter_id_customer_id_idempotency_key_key",
    );
  });

  it("billing_periods: (subscription_id, starts_at) and no overlap", async () => {
    const { subscription } = await graph(t.db);
    const insert = (starts: string, ends: string) => () =>
      t.db.insertInto("billing_periods").values({ subscription_id: subscription.id, starts_at: starts, ends_at: ends, status: "upcoming" }).execute();
    await expectDuplicateRejected(insert("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), UNIQUE, "billing_periods_subscription_id_starts_at_key");
    // Different start, overlapping range: the exclusion constraint (23P01) catches it.
    await expect(insert("2026-03-15T00:00:00Z", "2026-04-15T00:00:00Z")()).rejects.toMatchObject({ code: "23P01" });
    // Contiguous is fine: [Apr 1, May 1) touches [Mar 1, Apr 1) without overlapping.
    await insert("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z")();
  });

  it("billing_runs: (billing_period_id, attempt), one live run per period, payment intent id", async () => {
    const { subscription, period } = await graph(t.db);
    const run = (attempt: number, status: "scheduled" | "failed", pi?: string) => () =>
      t.db
        .insertInto("billing_runs")
        .values({ billing_period_id: period.id, subscription_id: subscription.id, attempt, scheduled_for: "2026-02-01T00:00:00Z", status, stripe_payment_intent_id: pi ?? null })
        .execute();
    // graph() already holds attempt 1 (succeeded).
    await expectDuplicateRejected(run(2, "failed"), UNIQUE, "billing_runs_billing_period_id_attempt_key");
    await run(3, "scheduled")();
    await expect(run(4, "scheduled")()).rejects.toMatchObject({ code: UNIQUE, constraint: "billing_runs_one_live_per_period" });
    await run(5, "failed", "pi_dup")();
    await expect(run(6, "failed", "pi_dup")()).rejects.toMatchObject({ code: UNIQUE, constraint: "billing_runs_stripe_payment_intent_id_key" });
  });

  it("invoices: (organization_id, number) and one invoice per billing period", async () => {
    const { org, customer, period } = await graph(t.db);
    await expectDuplicateRejected(
      () => t.db.insertInto("invoices").values({ organization_id: org.id, customer_id: customer.id, status: "open", currency: "USD", number: "INV-0001" }).execute(),
      UNIQUE,
      "invoices_organization_id_number_key",
    );
    await expectDuplicateRejected(
      () => t.db.insertInto("invoices").values({ organization_id: org.id, customer_id: customer.id, status: "draft", currency: "USD", billing_period_id: period.id }).execute(),
      UNIQUE,
      "invoices_billing_period_id_key",
    );
  });

  it("payments: payment intent, charge, and one payment per billing run", async () => {
    const { customer, run, invoice } = await graph(t.db);
    const pay = (fields: { stripe_payment_intent_id?: string; stripe_charge_id?: string; billing_run_id?: string }) => () =>
      t.db.insertInto("payments").values({ invoice_id: invoice.id, customer_id: customer.id, amount: 4900, currency: "USD", status: "succeeded", ...fields }).execute();
    await expectDuplicateRejected(pay({ stripe_payment_intent_id: "pi_1" }), UNIQUE, "payments_stripe_payment_intent_id_key");
    await expectDuplicateRejected(pay({ stripe_charge_id: "ch_1" }), UNIQUE, "payments_stripe_charge_id_key");
    await expectDuplicateRejected(pay({ billing_run_id: run.id }), UNIQUE, "payments_billing_run_id_key");
  });

  it("webhook_events: (provider, provider_event_id)", async () => {
    await expectDuplicateRejected(
      () => t.db.insertInto("webhook_events").values({ provider: "stripe", provider_event_id: "evt_dup", type: "x", payload: "{}", status: "received" }).execute(),
      UNIQUE,
      "webhook_events_provider_provider_event_id_key",
    );
    // The same id from another provider is another event.
    await t.db.insertInto("webhook_events").values({ provider: "supabase", provider_event_id: "evt_dup", type: "x", payload: "{}", status: "received" }).execute();
  });

  it("task_outbox: (task_id, idempotency_key)", async () => {
    await expectDuplicateRejected(
      () =>
        t.db
          .insertInto("task_outbox")
          .values({ task_id: "some-task", payload: "{}", idempotency_key: "k1", idempotency_expires_at: "2027-01-01T00:00:00Z" })
          .execute(),
      UNIQUE,
      "task_outbox_task_id_idempotency_key_key",
    );
  });

  it("email_deliveries: idempotency_key and provider message id", async () => {
    const email = (key: string, messageId: string | null) => () =>
      t.db.insertInto("email_deliveries").values({ template: "receipt", recipient: "a@x.test", subject: "s", idempotency_key: key, status: "sent", provider_message_id: messageId }).execute();
    await expectDuplicateRejected(email("receipt:pay_1", null), UNIQUE, "email_deliveries_idempotency_key_key");
    await email("a", "msg_1")();
    await expect(email("b", "msg_1")()).rejects.toMatchObject({ code: UNIQUE, constraint: "email_deliveries_provider_message_id_key" });
  });
});

describe("checks that keep money honest", () => {
  it("rejects negative and fractional amounts, bad currencies, and a paid invoice with amount due", async () => {
    const org = await createOrganization(t.db);
    await expect(createPrice(t.db, { organization_id: org.id, unit_amount: -1 })).rejects.toMatchObject({ code: "23514" });
    await expect(createPrice(t.db, { organization_id: org.id, unit_amount: 10.5 })).rejects.toMatchObject({ code: "22P02" });
    await expect(createPrice(t.db, { organization_id: org.id, currency: "usd" })).rejects.toMatchObject({ code: "23514" });
    const customer = await createCustomer(t.db, { organization_id: org.id });
    await expect(
      t.db
        .insertInto("invoices")
        .values({ organization_id: org.id, customer_id: customer.id, status: "paid", currency: "USD", number: "P-1", subtotal: 100, total: 100, amount_paid: 0, amount_due: 100, paid_at: "2026-01-01T00:00:00Z" })
        .execute(),
    ).rejects.toMatchObject({ code: "23514" });
  });

  it("reads bigint money back as exact integers", async () => {
    const org = await createOrganization(t.db);
    const price = await createPrice(t.db, { organization_id: org.id, unit_amount: 9_007_199_254_740_991 });
    expect(price.unit_amount).toBe(Number.MAX_SAFE_INTEGER);
    await t.db.updateTable("prices").set({ unit_amount: 9_007_199_254_740_991 }).where("id", "=", price.id).execute();
  });
});
