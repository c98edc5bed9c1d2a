import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { buildSampleStripeEvent, SAMPLE_STRIPE_EVENT_TYPES, signStripeEvent, StripeWebhookError, verifyStripeWebhook } from "../src/index.ts";

const clock = new TestClock("2026-03-01T12:00:00Z");
const secret = "whsec_unit";

describe("verifyStripeWebhook", () => {
  it.each(SAMPLE_STRIPE_EVENT_TYPES)("round-trips a signed %s sample in the state Stripe reports for it", (type) => {
    const event = buildSampleStripeEvent(type, { clock });
    const signed = signStripeEvent(event, secret, { clock });
    const verified = verifyStripeWebhook({ payload: Buffer.from(signed.body), signatureHeader: signed.headers["stripe-signature"], secrets: [secret], receivedAt: clock.now() });
    expect(verified).toEqual(event);
    expect(verified.id).toMatch(/^evt_/);
    expect(verified.created).toBe(Math.floor(clock.now().getTime() / 1000));
  });

  it("puts each sample object in its event's state", () => {
    const object = (type: string) => (buildSampleStripeEvent(type, { clock, amount: 1234 }).data as { object: Record<string, unknown> }).object;
    expect(object("payment_intent.succeeded")).toMatchObject({ object: "payment_intent", status: "succeeded", amount_received: 1234 });
    expect(object("payment_intent.payment_failed")).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "card_declined" } });
    expect(object("payment_intent.canceled")).toMatchObject({ status: "canceled" });
    expect(object("charge.refunded")).toMatchObject({ object: "charge", refunded: true, amount_refunded: 1234 });
    expect(object("charge.dispute.created")).toMatchObject({ object: "dispute", amount: 1234 });
    expect(object("setup_intent.succeeded")).toMatchObject({ object: "setup_intent", status: "succeeded" });
    expect(object("payment_method.detached")).toMatchObject({ object: "payment_method", customer: null });
    expect(buildSampleStripeEvent("customer.updated", { clock }).data).toHaveProperty("previous_attributes");
  });

  it("reports expiry only for a signature that was valid", () => {
    const event = buildSampleStripeEvent("payment_intent.succeeded", { clock });
    const old = signStripeEvent(event, secret, { timestampSeconds: Math.floor(clock.now().getTime() / 1000) - 400 });
    const verify = (secrets: string[]) => verifyStripeWebhook({ payload: old.body, signatureHeader: old.headers["stripe-signature"], secrets, receivedAt: clock.now() });
    expect(() => verify(["whsec_other", secret])).toThrow(expect.objectContaining({ code: "signature_expired" }));
    expect(() => verify(["whsec_other"])).toThrow(expect.objectContaining({ code: "signature_mismatch" }));
    expect(() => verify(["whsec_other"])).toThrow(StripeWebhookError);
  });
});
