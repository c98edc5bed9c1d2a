import { describe, expect, it } from "vitest";
import { applyPaymentIntent, applyPaymentIntentEvent, BILLING_RUN_LEASE_MS, executeBillingRun, supersedes } from "@paycron/billing";
import type { Stripe } from "@paycron/stripe";
import { chargesOf, DAY_MS, HOUR_MS, paymentIntentsOf, signUp, stateOf, storeEvent, useBilling } from "./support.ts";
import { deliver, eventOf, paymentIntentEvents } from "./outcomes-support.ts";

const h = useBilling();

describe("supersedes: which reported state replaces the stored one", () => {
  const t0 = new Date("2027-01-01T00:00:00Z");
  const t1 = new Date("2027-01-01T00:00:01Z");
  it.each([
    // Further along wins whatever the times say (an old event carries a late state).
    { current: "processing", at: t1, next: "succeeded", nextAt: t0, expected: true },
    { current: "requires_action", at: t1, next: "failed", nextAt: t0, expected: true },
    { current: "failed", at: t0, next: "succeeded", nextAt: t1, expected: true },
    { current: "canceled", at: t0, next: "succeeded", nextAt: t0, expected: true },
    // Never backwards, however new the event.
    { current: "succeeded", at: t0, next: "processing", nextAt: t1, expected: false },
    { current: "succeeded", at: t0, next: "requires_action", nextAt: t1, expected: false },
    { current: "succeeded", at: t0, next: "failed", nextAt: t1, expected: false },
    { current: "succeeded", at: t0, next: "canceled", nextAt: t1, expected: false },
    { current: "failed", at: t0, next: "processing", nextAt: t1, expected: false },
    { current: "refunded", at: t0, next: "succeeded", nextAt: t1, expected: false },
    // The same state twice changes nothing.
    { current: "succeeded", at: t0, next: "succeeded", nextAt: t1, expected: false },
    { current: "processing", at: t0, next: "processing", nextAt: t1, expected: false },
    // Same rank: only a newer event.
    { current: "processing", at: t0, next: "requires_action", nextAt: t1, expected: true },
    { current: "requires_action", at: t1, next: "processing", nextAt: t0, expected: false },
    { current: "requires_action", at: t1, next: "processing", nextAt: t1, expected: false },
    { current: "failed", at: t0, next: "canceled", nextAt: t1, expected: true },
    { current: "canceled", at: t1, next: "failed", nextAt: t0, expected: false },
    // A stored state with no event time yields to any same-rank report.
    { current: "processing", at: null, next: "requires_action", nextAt: t0, expected: true },
  ] as const)("$current@$at then $next@$nextAt → $expected", ({ current, at, next, nextAt, expected }) => {
    expect(supersedes({ status: current, at }, { status: next, at: nextAt })).toBe(expected);
  });
});

describe("applying PaymentIntent outcomes out of order and twice", () => {
  it("a success delivered before the older failure and requires_action events stays a success, paid once", async () => {
    // Stripe's recovery of an off-session charge needing 3-D Secure: the charge fails with
    // authentication_required, the customer confirms the same PaymentIntent on session,
    // authenticates, and it succeeds. Events: payment_failed, requires_action, succeeded.
    const sub = await signUp(h, { card: "pm_card_authenticationRequired" });
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ paymentStatus: "failed" });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    const method = await h.db.selectFrom("payment_methods").select("stripe_payment_method_id").where("id", "=", sub.defaultPm!).executeTakeFirstOrThrow();
    h.clock.advance(HOUR_MS);
    const onSession = await h.stripe.paymentIntents.confirm(pi!.id, { payment_method: method.stripe_payment_method_id });
    expect(onSession.status).toBe("requires_action");
    h.clock.advance(60_000);
    h.emulator.completeAuthentication(pi!.id, "succeed");
    const outcomes = paymentIntentEvents(h, pi!.id).filter((e) => e.type !== "payment_intent.created");
    expect(outcomes.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "payment_intent.requires_action", "payment_intent.succeeded"]);

    const succeeded = eventOf(h, pi!.id, "payment_intent.succeeded");
    expect(await deliver(h, succeeded)).toMatchObject({ applied: true, from: "failed", to: "succeeded" });
    for (const late of [eventOf(h, pi!.id, "payment_intent.requires_action"), eventOf(h, pi!.id, "payment_intent.payment_failed"), succeeded]) {
      expect(await deliver(h, late), late.type).toMatchObject({ applied: false, status: "succeeded" });
    }

    const { subscription, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(payments).toMatchObject([{ status: "succeeded", amount: 4900, stripe_payment_intent_id: pi!.id, failure_code: null }]);
    expect(invoices).toMatchObject([{ status: "paid", amount_paid: 4900, amount_due: 0 }]);
    expect(subscription.status).toBe("active");
  });

  it("a settled bank debit: succeeded then the older processing event, and each event twice, leave one payment paid once", async () => {
    const sub = await signUp(h, { card: "pm_usBankAccount" });
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ paymentStatus: "processing" });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    h.clock.advance(5 * DAY_MS);
    expect(h.emulator.settle()).toBeGreaterThanOrEqual(1);

    const processing = eventOf(h, pi!.id, "payment_intent.processing");
    const succeeded = eventOf(h, pi!.id, "payment_intent.succeeded");
    expect(succeeded.created).toBeGreaterThan(processing.created);
    expect(await deliver(h, succeeded)).toMatchObject({ applied: true, from: "processing", to: "succeeded" });
    const paidAt = (await stateOf(h, sub.subscriptionId)).invoices[0]!.paid_at;
    h.clock.advance(HOUR_MS);
    expect(await deliver(h, succeeded)).toMatchObject({ applied: false, status: "succeeded" });
    expect(await deliver(h, processing)).toMatchObject({ applied: false, status: "succeeded" });
    expect(await deliver(h, processing)).toMatchObject({ applied: false, status: "succeeded" });

    const { subscription, runs, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(payments).toMatchObject([{ status: "succeeded", amount: 4900, stripe_payment_intent_id: pi!.id }]);
    expect(invoices).toMatchObject([{ status: "paid", amount_paid: 4900, amount_due: 0 }]);
    expect(invoices[0]!.paid_at).toEqual(paidAt);
    expect(runs).toMatchObject([{ status: "succeeded" }]);
    expect(subscription.status).toBe("active");
  });

  it("processing delivered twice before the success: the duplicate is not applied, the success is", async () => {
    const sub = await signUp(h, { card: "pm_usBankAccount" });
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    const processing = eventOf(h, pi!.id, "payment_intent.processing");
    // The inline result recorded processing already: the webhook is a duplicate of it.
    expect(await deliver(h, processing)).toMatchObject({ applied: false, status: "processing" });
    h.clock.advance(5 * DAY_MS);
    h.emulator.settle();
    expect(await deliver(h, eventOf(h, pi!.id, "payment_intent.succeeded"))).toMatchObject({ applied: true, to: "succeeded" });
    expect((await stateOf(h, sub.subscriptionId)).invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
  });
});

describe("the inline result and the webhook of one PaymentIntent", () => {
  it("inline first, then the webhook: one payment, the webhook changes nothing", async () => {
    const sub = await signUp(h);
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    const before = await stateOf(h, sub.subscriptionId);
    expect(await deliver(h, eventOf(h, pi!.id, "payment_intent.succeeded"))).toMatchObject({ applied: false, status: "succeeded" });
    const after = await stateOf(h, sub.subscriptionId);
    expect(after.payments).toEqual(before.payments);
    expect(after.invoices).toEqual(before.invoices);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("the webhook first (it lands between Stripe's answer and the executor recording it): one payment, paid once", async () => {
    const sub = await signUp(h);
    const result = await executeBillingRun({ ...h.deps, stripe: webhookBeforeAnswer() }, { billingRunId: sub.billingRunId });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    expect(result).toMatchObject({ outcome: "charged", paymentStatus: "succeeded", paymentIntentId: pi!.id });

    const { subscription, runs, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(payments).toMatchObject([{ status: "succeeded", amount: 4900, stripe_payment_intent_id: pi!.id }]);
    expect(invoices).toMatchObject([{ status: "paid", amount_paid: 4900, amount_due: 0 }]);
    expect(runs).toMatchObject([{ status: "succeeded", lease_until: null, stripe_payment_intent_id: pi!.id }]);
    expect(subscription.status).toBe("active");
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("the response lost, the webhook applied, then the executor's retry: it finds the run done, one charge", async () => {
    const sub = await signUp(h);
    // Stripe charged; the executor died before recording anything (its lease is left to expire).
    const stripe = webhookBeforeAnswer(() => {
      throw new Error("executor killed after Stripe answered");
    });
    await expect(executeBillingRun({ ...h.deps, stripe }, { billingRunId: sub.billingRunId })).rejects.toThrow("executor killed");
    h.clock.advance(BILLING_RUN_LEASE_MS);
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "not_claimed", status: "succeeded" });

    const { invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(payments).toMatchObject([{ status: "succeeded" }]);
    expect(invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
    expect(paymentIntentsOf(h, sub.billingRunId)).toHaveLength(1);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("the executor killed after Stripe answered, its retry first (same key, same PaymentIntent), then the webhook: one payment", async () => {
    const sub = await signUp(h);
    const killed = webhookBeforeAnswer(
      () => {
        throw new Error("executor killed after Stripe answered");
      },
      { webhook: false },
    );
    await expect(executeBillingRun({ ...h.deps, stripe: killed }, { billingRunId: sub.billingRunId })).rejects.toThrow("executor killed");
    h.clock.advance(BILLING_RUN_LEASE_MS);
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    const [pi] = paymentIntentsOf(h, sub.billingRunId);
    expect(await deliver(h, eventOf(h, pi!.id, "payment_intent.succeeded"))).toMatchObject({ applied: false, status: "succeeded" });

    const { invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(payments).toHaveLength(1);
    expect(invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
    expect(paymentIntentsOf(h, sub.billingRunId)).toHaveLength(1);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });
});

/**
 * The real SDK, with one ordering forced: when a PaymentIntent is created, its webhook events are
 * applied (as the stripe-payment-intent-* tasks would) before the answer reaches the executor;
 * then `afterWebhook` runs (to kill the executor there) before the answer is returned.
 */
function webhookBeforeAnswer(afterWebhook: () => void = () => undefined, options: { webhook: boolean } = { webhook: true }): Stripe {
  const create: Stripe["paymentIntents"]["create"] = async (...args) => {
    const pi = await h.stripe.paymentIntents.create(...args);
    for (const event of options.webhook ? paymentIntentEvents(h, pi.id) : []) {
      if (event.type !== "payment_intent.created") expect(await deliver(h, event)).toMatchObject({ applied: true });
    }
    afterWebhook();
    return pi;
  };
  const paymentIntents = new Proxy(h.stripe.paymentIntents, { get: (target, key) => (key === "create" ? create : Reflect.get(target, key)) });
  return new Proxy(h.stripe, { get: (target, key) => (key === "paymentIntents" ? paymentIntents : Reflect.get(target, key)) });
}

describe("a PaymentIntent that is not ours", () => {
  it("is ignored, from a direct call and from a webhook event row, and writes nothing", async () => {
    const customer = await h.stripe.customers.create({ email: "elsewhere@example.test" });
    const pm = await h.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const pi = await h.stripe.paymentIntents.create({ amount: 1200, currency: "usd", customer: customer.id, payment_method: pm.id, confirm: true, off_session: true });
    expect(pi.status).toBe("succeeded");
    const payments = await h.db.selectFrom("payments").select("id").execute();

    expect(await applyPaymentIntent(h.deps, { paymentIntent: pi, observedAt: h.clock.now() })).toMatchObject({ applied: false, ignored: expect.stringContaining("no billing_run_id") });
    const event = eventOf(h, pi.id, "payment_intent.succeeded");
    expect(await applyPaymentIntentEvent(h.deps, { event: await storeEvent(h, event) })).toEqual({ ignored: expect.stringContaining("not a Paycron charge") });
    // Metadata naming a run this database does not have: ignored as well.
    const foreign = { ...pi, metadata: { billing_run_id: "7f1c0f5e-0000-4000-8000-000000000000" } };
    expect(await applyPaymentIntent(h.deps, { paymentIntent: foreign, observedAt: h.clock.now() })).toMatchObject({ applied: false, ignored: expect.stringContaining("does not have") });

    expect(await h.db.selectFrom("payments").select("id").execute()).toEqual(payments);
  });
});
