import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { createCustomer, createOrganization, createPrice, useTestDb, waitFor } from "@paycron/db/testing";
import { createSubscription, sweepHourly } from "@paycron/billing";
import { clearTaskDeps, createTaskDeps, dispatchDue, installTaskDeps, triggerEngine } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { executeAsDeployedWorker, type DeployedAttemptResult } from "@paycron/runtime/testing";
import { createLocalStripeClient } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";
import { startTriggerApiStandIn, type TriggerApiStandIn } from "../support/trigger-api-stand-in.ts";

/*
 * Billing on the production path, offline: the outbox dispatches to a loopback stand-in of the
 * Trigger.dev API, which executes each run with Trigger.dev's own TaskExecutor as a deployed worker
 * would, with the worker's Stripe provider pointed at the emulator.
 */
const t = useTestDb();
let api: TriggerApiStandIn;
let emulator: StripeEmulator;
const executed = new Map<string, Promise<DeployedAttemptResult>>();

beforeAll(async () => {
  emulator = await startStripeEmulator({ clock: systemClock });
  api = await startTriggerApiStandIn({ onTrigger: (tr) => executed.set(tr.runId, executeAsDeployedWorker(tr.taskId, tr.payload, { runId: tr.runId })) });
  await loadTaskCatalog();
});
afterAll(async () => {
  await api.close();
  await emulator.stop();
});
afterEach(() => clearTaskDeps());

const engine = () => triggerEngine({ secretKey: "tr_prod_standin", baseURL: api.url });

async function customerWithCard(organizationId: string, card: string) {
  const stripe = createLocalStripeClient(emulator.url);
  const stripeCustomer = await stripe.customers.create({ email: "ada@example.test" });
  const pm = await stripe.paymentMethods.attach(card, { customer: stripeCustomer.id });
  const customer = await createCustomer(t.db, { organization_id: organizationId, stripe_customer_id: stripeCustomer.id });
  await t.db.insertInto("payment_methods").values({ customer_id: customer.id, stripe_payment_method_id: pm.id, type: "card", is_default: true }).execute();
  return customer.id;
}

describe("billing on Trigger.dev (loopback stand-in of its API)", () => {
  it("a sign-up's billing run is dispatched to Trigger.dev and charged by the deployed task; a decline's follow-up goes to the API delayed 23 hours", async () => {
    installTaskDeps(createTaskDeps({ db: t.db, clock: systemClock, logger: silentLogger(), engine: engine() }, { stripe: () => createLocalStripeClient(emulator.url) }));
    const organization = await createOrganization(t.db);
    const price = await createPrice(t.db, { organization_id: organization.id });
    const paid = await createSubscription({ db: t.db, clock: systemClock, logger: silentLogger() }, { customerId: await customerWithCard(organization.id, "pm_card_visa"), items: [{ priceId: price.id }] });
    const declined = await createSubscription({ db: t.db, clock: systemClock, logger: silentLogger() }, { customerId: await customerWithCard(organization.id, "pm_card_chargeCustomerFail"), items: [{ priceId: price.id }] });

    await dispatchDue({ db: t.db, clock: systemClock, logger: silentLogger(), engine: engine() });

    const runs = api.triggers.filter((tr) => tr.taskId === "billing-run");
    expect(runs.map((tr) => tr.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [{ billingRunId: paid.billingRunId }, { billingRunId: declined.billingRunId }].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    const results = await Promise.all(runs.map((tr) => executed.get(tr.runId)!));
    expect(results.map((r) => r.ok)).toEqual([true, true]);

    const statuses = await t.db.selectFrom("subscriptions").select(["id", "status"]).where("id", "in", [paid.subscriptionId, declined.subscriptionId]).execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [paid.subscriptionId]: "active", [declined.subscriptionId]: "incomplete" });
    expect(emulator.chargesSucceeded()).toBe(1);
    // The declined run's follow-up was handed to Trigger.dev by the run itself, after its commit, with its delay.
    const expiry = await waitFor(async () => api.triggers.find((tr) => tr.taskId === "subscription-expire-incomplete"), "the expiry follow-up");
    expect(expiry.payload).toEqual({ subscriptionId: declined.subscriptionId });
    expect(expiry.options.delay).toBeDefined();
  });

  it("renewals go as batches: the hourly sweep's subscription-advance-batch and the billing-run-batch it hands on run as deployed tasks and charge each subscription once", async () => {
    installTaskDeps(createTaskDeps({ db: t.db, clock: systemClock, logger: silentLogger(), engine: engine() }, { stripe: () => createLocalStripeClient(emulator.url) }));
    const organization = await createOrganization(t.db);
    const price = await createPrice(t.db, { organization_id: organization.id });
    const subs = [];
    for (let i = 0; i < 3; i++) {
      subs.push(await createSubscription({ db: t.db, clock: systemClock, logger: silentLogger() }, { customerId: await customerWithCard(organization.id, "pm_card_visa"), items: [{ priceId: price.id }] }));
    }
    const ids = subs.map((s) => s.subscriptionId);
    // Each subscription is a month old and paid for its first period, which ended an hour ago.
    const [start, end] = [new Date(Date.now() - 31 * 86_400_000), new Date(Date.now() - 3_600_000)];
    await t.db.updateTable("subscriptions").set({ status: "active", billing_cycle_anchor: start, current_period_start: start, current_period_end: end }).where("id", "in", ids).execute();
    await t.db.updateTable("billing_periods").set({ starts_at: start, ends_at: end, status: "active" }).where("subscription_id", "in", ids).execute();
    await t.db.updateTable("billing_runs").set({ status: "aborted" }).where("subscription_id", "in", ids).execute();
    await t.db.deleteFrom("task_outbox").execute();
    const chargesBefore = emulator.chargesSucceeded();

    await sweepHourly({ db: t.db, clock: systemClock, logger: silentLogger() });
    await dispatchDue({ db: t.db, clock: systemClock, logger: silentLogger(), engine: engine() });

    const advance = api.triggers.filter((tr) => tr.taskId === "subscription-advance-batch");
    expect(advance.map((tr) => (tr.payload as { subscriptionIds: string[] }).subscriptionIds.sort())).toEqual([[...ids].sort()]);
    expect(await executed.get(advance[0]!.runId)!).toMatchObject({ ok: true, output: { json: { subscriptions: 3, advanced: 3 } } });
    // The advance handed its due runs to Trigger.dev itself, after its commit.
    const batch = await waitFor(async () => api.triggers.find((tr) => tr.taskId === "billing-run-batch"), "the billing-run-batch follow-up");
    expect((batch.payload as { billingRunIds: string[] }).billingRunIds).toHaveLength(3);
    expect(await executed.get(batch.runId)!).toMatchObject({ ok: true, output: { json: { runs: 3, outcomes: { charged: 3 } } } });

    expect(emulator.chargesSucceeded() - chargesBefore).toBe(3);
    const invoices = await t.db.selectFrom("invoices").select(["subscription_id", "status"]).where("subscription_id", "in", ids).execute();
    expect(invoices.map((i) => i.status)).toEqual(["paid", "paid", "paid"]);
    expect(new Set(invoices.map((i) => i.subscription_id)).size).toBe(3);
  });
});
