import { describe, expect, it } from "vitest";
import { executeBillingRun } from "@paycron/billing";
import { chargesOf, paymentIntentsOf, signUp, stateOf, useBilling } from "./support.ts";

const h = useBilling();

describe("executing a billing run", () => {
  it("charges a new subscription's first period off-session, pays its invoice and activates it", async () => {
    const sub = await signUp(h);
    expect(sub.status).toBe("incomplete");

    const result = await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });

    expect(result).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    const { subscription, runs, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe("active");
    expect(runs).toMatchObject([{ status: "succeeded", attempt: 1, lease_until: null }]);
    expect(invoices).toMatchObject([{ status: "paid", total: 4900, amount_paid: 4900, amount_due: 0, number: "INV-000001" }]);
    expect(payments).toMatchObject([{ status: "succeeded", amount: 4900, currency: "USD" }]);
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    expect(pi).toMatchObject({ status: "succeeded", amount: 4900, customer: sub.stripeCustomerId });
    expect(payments[0]!.stripe_payment_intent_id).toBe(pi!.id);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
    // Off-session with the customer's saved card, and the key names the run and its attempt.
    const create = h.emulator.requests().find((r) => r.method === "POST" && r.path === "/v1/payment_intents" && r.idempotencyKey?.includes(sub.billingRunId));
    expect(create?.idempotencyKey).toBe(`paycron-billing-run-${sub.billingRunId}-attempt-1`);
  });

  it("executes once however many executors reach the run at the same moment: one PaymentIntent, one charge", async () => {
    const sub = await signUp(h);
    const results = await Promise.all(Array.from({ length: 10 }, () => executeBillingRun(h.deps, { billingRunId: sub.billingRunId })));

    expect(results.filter((r) => r.outcome === "charged")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "not_claimed")).toHaveLength(9);
    expect(paymentIntentsOf(h, sub.billingRunId)).toHaveLength(1);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
    const { payments, invoices } = await stateOf(h, sub.subscriptionId);
    expect(payments).toHaveLength(1);
    expect(invoices).toHaveLength(1);
  });

  it("does nothing for a run that already finished, or is not due yet", async () => {
    const sub = await signUp(h);
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toEqual({ outcome: "not_claimed", status: "succeeded" });

    const usage = await signUp(h, { price: { usage_meter_id: await meter(h.deps.db, sub.organizationId) } });
    expect(usage.status).toBe("active");
    expect(usage.firstRunAt.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(await executeBillingRun(h.deps, { billingRunId: usage.billingRunId })).toEqual({ outcome: "not_claimed", status: "scheduled" });
  });

  it("marks a zero invoice paid without calling Stripe", async () => {
    const before = h.emulator.requests().length;
    const sub = await signUp(h, { price: { unit_amount: 0 } });
    const requestsBySignUp = h.emulator.requests().length - before;

    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "succeeded", reason: "nothing_to_charge" });
    expect(h.emulator.requests().length - before).toBe(requestsBySignUp);
    const { subscription, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(invoices).toMatchObject([{ status: "paid", total: 0, amount_due: 0 }]);
    expect(payments).toEqual([]);
    expect(subscription.status).toBe("active");
  });

  it("fails a run with no payment method without calling Stripe, visibly", async () => {
    const sub = await signUp(h, { card: null });
    const before = h.emulator.requests().length;

    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "failed", paymentIntentId: null });
    expect(h.emulator.requests().length).toBe(before);
    const { subscription, runs, payments } = await stateOf(h, sub.subscriptionId);
    expect(runs[0]).toMatchObject({ status: "failed", error: { code: "no_payment_method" } });
    expect(payments).toMatchObject([{ status: "failed", failure_code: "no_payment_method", stripe_payment_intent_id: null }]);
    expect(subscription.status).toBe("incomplete");
  });
});

async function meter(db: typeof h.deps.db, organizationId: string): Promise<string> {
  const row = await db
    .insertInto("usage_meters")
    .values({ organization_id: organizationId, slug: `calls-${Math.random().toString(36).slice(2, 8)}`, name: "API calls", aggregation: "sum" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
