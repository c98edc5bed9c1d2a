import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestClock } from "@paycron/core";
import { createStripeClient, Stripe } from "@paycron/stripe";
import { type StripeEmulator } from "@paycron/stripe-emulator";
import { emulatorWithClient, START, stripeFailure } from "./support.ts";

const fixtures = JSON.parse(readFileSync(new URL("../src/fixtures/stripe-fixtures.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;
const startSeconds = Date.parse(START) / 1000;

let emulator: StripeEmulator;
let stripe: Stripe;
let clock: TestClock;

beforeEach(async () => {
  ({ emulator, stripe, clock } = await emulatorWithClient());
});
afterEach(async () => {
  await emulator.stop();
});

describe("authentication", () => {
  it("answers 401 in Stripe's shape without a key or with a key that is not a test key", async () => {
    const bare = await fetch(`${emulator.url}/v1/customers/cus_x`);
    expect(bare.status).toBe(401);
    const body = (await bare.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/You did not provide an API key/);

    const url = new URL(emulator.url);
    const live = createStripeClient({ secretKey: "sk_live_abcdefghijklmnop", host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
    const error = await stripeFailure(live.customers.retrieve("cus_x"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^Invalid API Key provided: sk_live_/);
    expect(error.message).toBe("Invalid API Key provided: sk_live_************mnop");
    const short = createStripeClient({ secretKey: "abc", host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
    expect((await stripeFailure(short.customers.retrieve("cus_x"))).message).toBe("Invalid API Key provided: ****");
  });

  it("answers Stripe's 404 for unknown URLs and objects", async () => {
    const error = await stripeFailure(stripe.customers.retrieve("cus_missing"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("resource_missing");
    expect(error.message).toBe("No such customer: 'cus_missing'");
    const res = await fetch(`${emulator.url}/v1/nothing`, { headers: { authorization: "Bearer sk_test_x" } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/nothing\)/);
    const malformed = await fetch(`${emulator.url}/v1/customers/%E0%A4%A`, { headers: { authorization: "Bearer sk_test_x" } });
    expect(malformed.status).toBe(404);
  });
});

describe("ids", () => {
  it("the same requests in the same order give the same ids; another seed gives others", async () => {
    const run = async (idSeed?: string) => {
      const { emulator: e, stripe: s } = await emulatorWithClient(idSeed ? { idSeed } : {});
      try {
        const customer = await s.customers.create({});
        const pi = await s.paymentIntents.create({ amount: 700, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true });
        return [customer.id, pi.id, pi.payment_method, pi.latest_charge, ...e.events().map((ev) => ev.id)];
      } finally {
        await e.stop();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const seeded = await run("Run2");
    expect(seeded[0]).toMatch(/^cus_Run2/);
    expect(seeded).not.toEqual(first);
  });
});

describe("customers", () => {
  it("creates, retrieves and updates with Stripe's metadata merge; ids are deterministic", async () => {
    const customer = await stripe.customers.create({ email: "a@example.com", name: "Ada", metadata: { org: "o1", drop: "" } });
    expect(customer.id).toBe("cus_emu000000000001");
    expect(customer).toMatchObject({ object: "customer", email: "a@example.com", name: "Ada", metadata: { org: "o1" }, created: startSeconds, livemode: false });
    const updated = await stripe.customers.update(customer.id, { name: "Ada L.", metadata: { org: "", plan: "pro" } });
    expect(updated.metadata).toEqual({ plan: "pro" });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ name: "Ada L.", email: "a@example.com" });
    const event = emulator.events().find((e) => e.type === "customer.updated")!;
    expect(event.data.previous_attributes).toEqual({ name: "Ada", metadata: { org: "o1" } });
  });

  it("refuses unknown parameters as Stripe does", async () => {
    const error = await stripeFailure(stripe.customers.create({ emial: "x" } as Stripe.CustomerCreateParams));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("parameter_unknown");
    expect(error.param).toBe("emial");
  });
});

describe("payment methods", () => {
  it("attaching a test id makes a customer-owned copy; detach, retrieve and list", async () => {
    const customer = await stripe.customers.create({});
    const a = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const b = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(a.id).toMatch(/^pm_emu/);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ object: "payment_method", type: "card", customer: customer.id, card: { brand: "visa", last4: "4242" } });
    const mc = await stripe.paymentMethods.attach("pm_card_mastercard", { customer: customer.id });
    expect(mc.card).toMatchObject({ brand: "mastercard", last4: "4444" });

    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: "card" });
    expect(listed.data.map((pm) => pm.id)).toEqual([mc.id, b.id, a.id]);
    const viaCustomer = await stripe.customers.listPaymentMethods(customer.id);
    expect(viaCustomer.data).toHaveLength(3);

    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: a.id } });
    const detached = await stripe.paymentMethods.detach(a.id);
    expect(detached.customer).toBeNull();
    expect((await stripe.paymentMethods.retrieve(a.id)).customer).toBeNull();
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
    const again = await stripeFailure(stripe.paymentMethods.detach(a.id));
    expect(again.statusCode).toBe(400);
    expect(emulator.events().map((e) => e.type)).toContain("payment_method.detached");
  });

  it("a declined test card cannot be attached; pm_card_chargeCustomerFail can", async () => {
    const customer = await stripe.customers.create({});
    const error = await stripeFailure(stripe.paymentMethods.attach("pm_card_chargeDeclined", { customer: customer.id }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe("card_declined");
    expect(error.decline_code).toBe("generic_decline");
    const ok = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    expect(ok.customer).toBe(customer.id);
  });

  it("the default payment method must belong to the customer", async () => {
    const customer = await stripe.customers.create({});
    const error = await stripeFailure(stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: "pm_nope" } }));
    expect(error.statusCode).toBe(400);
  });
});

describe("payment intents", () => {
  it("pm_card_visa off session: succeeded with a charge", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const pi = await stripe.paymentIntents.create({
      amount: 4900,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
      metadata: { billing_run_id: "run_1" },
    });
    expect(pi).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 4900, amount_received: 4900, payment_method: pm.id, metadata: { billing_run_id: "run_1" } });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ status: "succeeded", paid: true, captured: true, amount: 4900, payment_intent: pi.id, customer: customer.id });
    expect(emulator.chargesSucceeded()).toBe(1);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    const confirmAgain = await stripeFailure(stripe.paymentIntents.confirm(pi.id));
    expect(confirmAgain.code).toBe("payment_intent_unexpected_state");
  });

  it.each([
    ["pm_card_chargeDeclined", "generic_decline", "Your card was declined."],
    ["pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "Your card has insufficient funds."],
  ])("%s is declined: 402 card_error with the PaymentIntent embedded", async (method, declineCode, message) => {
    const error = await stripeFailure(stripe.paymentIntents.create({ amount: 4900, currency: "usd", payment_method: method, confirm: true }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe("card_declined");
    expect(error.decline_code).toBe(declineCode);
    expect(error.message).toBe(message);
    const pi = error.payment_intent!;
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.payment_method).toBeNull();
    expect(pi.last_payment_error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: declineCode, charge: pi.latest_charge });
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).status).toBe("failed");
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("requires_payment_method");
    expect(emulator.chargesSucceeded()).toBe(0);
    expect(emulator.events().map((e) => e.type)).toContain("payment_intent.payment_failed");

    // The customer fixes the card: the same PaymentIntent can be confirmed again.
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    expect(retried.status).toBe("succeeded");
    expect(emulator.chargesSucceeded()).toBe(1);
  });

  it("pm_card_chargeCustomerFail attaches, then its charges are declined", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    const error = await stripeFailure(stripe.paymentIntents.create({ amount: 1000, currency: "eur", customer: customer.id, payment_method: pm.id, confirm: true, off_session: true }));
    expect(error.decline_code).toBe("generic_decline");
  });

  it("pm_card_authenticationRequired: requires_action on session, authentication_required off session", async () => {
    const onSession = await stripe.paymentIntents.create({ amount: 2000, currency: "usd", payment_method: "pm_card_authenticationRequired", confirm: true });
    expect(onSession.status).toBe("requires_action");
    expect(onSession.next_action?.type).toBe("use_stripe_sdk");
    expect(emulator.charges()).toHaveLength(0);

    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_authenticationRequired", { customer: customer.id });
    const error = await stripeFailure(stripe.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id, payment_method: pm.id, confirm: true, off_session: true }));
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe("authentication_required");
    expect(error.decline_code).toBe("authentication_required");
    expect(error.payment_intent?.status).toBe("requires_payment_method");
    expect(emulator.events().map((e) => e.type)).toEqual(expect.arrayContaining(["payment_intent.requires_action", "payment_intent.payment_failed"]));
  });

  it("create, then confirm; cancel; and the validation errors", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1500, currency: "usd" });
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    const missing = await stripeFailure(stripe.paymentIntents.confirm(pi.id));
    expect(missing.code).toBe("payment_intent_unexpected_state");
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    expect(confirmed.status).toBe("succeeded");

    const other = await stripe.paymentIntents.create({ amount: 1500, currency: "usd", payment_method: "pm_card_visa" });
    expect(other.status).toBe("requires_confirmation");
    const canceled = await stripe.paymentIntents.cancel(other.id, { cancellation_reason: "abandoned" });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "abandoned", canceled_at: startSeconds });
    const cancelSucceeded = await stripeFailure(stripe.paymentIntents.cancel(pi.id));
    expect(cancelSucceeded.code).toBe("payment_intent_unexpected_state");
    expect(cancelSucceeded.message).toMatch(/status of succeeded/);

    expect((await stripeFailure(stripe.paymentIntents.create({ amount: 10, currency: "usd" }))).code).toBe("amount_too_small");
    expect((await stripeFailure(stripe.paymentIntents.create({ currency: "usd" } as Stripe.PaymentIntentCreateParams))).code).toBe("parameter_missing");
    expect((await stripeFailure(stripe.paymentIntents.create({ amount: 100, currency: "usd", customer: "cus_nope" }))).code).toBe("resource_missing");
    expect((await stripeFailure(stripe.paymentIntents.retrieve("pi_nope"))).statusCode).toBe(404);
    const wrongType = await stripeFailure(stripe.paymentIntents.create({ amount: 100, currency: "usd", allowed_payment_method_types: ["card"], payment_method: "pm_usBankAccount_success" }));
    expect(wrongType.code).toBe("payment_intent_incompatible_payment_method");
  });

  it("a US bank account is processing, then succeeds once the clock passes its settlement", async () => {
    const customer = await stripe.customers.create({});
    const pi = await stripe.paymentIntents.create({
      amount: 12000,
      currency: "usd",
      customer: customer.id,
      allowed_payment_method_types: ["us_bank_account"],
      payment_method: "pm_usBankAccount_success",
      confirm: true,
    });
    expect(pi.status).toBe("processing");
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).status).toBe("pending");
    expect(emulator.chargesSucceeded()).toBe(0);

    clock.advance(4 * 24 * 3600 * 1000 - 1000);
    expect(emulator.settle()).toBe(0);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("processing");
    clock.advance(1000);
    expect(emulator.settle()).toBe(1);
    const settled = await stripe.paymentIntents.retrieve(pi.id);
    expect(settled).toMatchObject({ status: "succeeded", amount_received: 12000 });
    expect(emulator.chargesSucceeded()).toBe(1);
    const succeeded = emulator.events().find((e) => e.type === "payment_intent.succeeded")!;
    expect(succeeded.created).toBe(startSeconds + 4 * 24 * 3600);
    expect(succeeded.request).toEqual({ id: null, idempotency_key: null });
  });

  it.each([
    ["pm_usBankAccount_insufficientFunds", "insufficient_funds"],
    ["pm_usBankAccount_accountClosed", "account_closed"],
  ])("%s is processing, then fails at settlement", async (method, code) => {
    const pi = await stripe.paymentIntents.create({ amount: 8000, currency: "usd", payment_method: method, confirm: true });
    expect(pi.status).toBe("processing");
    clock.advance(4 * 24 * 3600 * 1000);
    const failed = await stripe.paymentIntents.retrieve(pi.id);
    expect(failed).toMatchObject({ status: "requires_payment_method", payment_method: null, amount_received: 0, last_payment_error: { code } });
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({ status: "failed", paid: false, failure_code: code });
    expect(emulator.chargesSucceeded()).toBe(0);
    const event = emulator.events().find((e) => e.type === "payment_intent.payment_failed")!;
    expect(event).toMatchObject({ created: startSeconds + 4 * 24 * 3600, request: { id: null, idempotency_key: null } });
  });

  it("completing 3-D Secure: success charges the PaymentIntent, failure returns it to requires_payment_method", async () => {
    const ok = await stripe.paymentIntents.create({ amount: 3000, currency: "usd", payment_method: "pm_card_authenticationRequired", confirm: true });
    expect(emulator.completeAuthentication(ok.id, "succeed").status).toBe("succeeded");
    const charged = await stripe.paymentIntents.retrieve(ok.id);
    expect(charged).toMatchObject({ status: "succeeded", amount_received: 3000, next_action: null });
    expect((await stripe.charges.retrieve(charged.latest_charge as string)).status).toBe("succeeded");

    const ko = await stripe.paymentIntents.create({ amount: 3000, currency: "usd", payment_method: "pm_card_authenticationRequired", confirm: true });
    emulator.completeAuthentication(ko.id, "fail");
    const failed = await stripe.paymentIntents.retrieve(ko.id);
    expect(failed).toMatchObject({ status: "requires_payment_method", payment_method: null, last_payment_error: { code: "payment_intent_authentication_failure" } });
    expect(() => emulator.completeAuthentication(ko.id, "succeed")).toThrow(/not requires_action/);
    expect((await stripe.paymentIntents.confirm(ko.id, { payment_method: "pm_card_visa" })).status).toBe("succeeded");
    expect(emulator.chargesSucceeded()).toBe(2);
  });

  it("a request after the settlement time settles on its own", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: "usd", payment_method: "pm_usBankAccount", confirm: true });
    clock.advance(5 * 24 * 3600 * 1000);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
  });
});

describe("expand and lists", () => {
  it("expand[] replaces ids with objects, in lists too; an unknown path is refused", async () => {
    const customer = await stripe.customers.create({});
    const created = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true, expand: ["latest_charge", "customer"] });
    expect(created.latest_charge).toMatchObject({ object: "charge", status: "succeeded", payment_intent: created.id });
    expect(created.customer).toMatchObject({ object: "customer", id: customer.id });
    const retrieved = await stripe.paymentIntents.retrieve(created.id, { expand: ["payment_method", "latest_charge.payment_intent"] });
    expect(retrieved.payment_method).toMatchObject({ object: "payment_method", type: "card" });
    expect((retrieved.latest_charge as Stripe.Charge).payment_intent).toMatchObject({ object: "payment_intent", id: created.id });
    await stripe.paymentIntents.create({ amount: 900, currency: "usd", customer: customer.id });

    const intents = await stripe.paymentIntents.list({ customer: customer.id, expand: ["data.latest_charge"] });
    expect(intents.data.map((pi) => pi.amount)).toEqual([900, 4900]);
    expect(intents.data[1]!.latest_charge).toMatchObject({ object: "charge" });
    expect(intents.data[0]!.latest_charge).toBeNull();
    const chargesOfIntent = await stripe.charges.list({ payment_intent: created.id });
    expect(chargesOfIntent.data.map((c) => c.payment_intent)).toEqual([created.id]);

    expect((await stripeFailure(stripe.charges.list({ ending_before: "ch_x" }))).param).toBe("ending_before");
    const error = await stripeFailure(stripe.paymentIntents.retrieve(created.id, { expand: ["nothing_here"] }));
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe("expand");
  });
});

describe("refunds", () => {
  it("partial then full refunds of a payment intent; over-refunds are refused", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: "usd", payment_method: "pm_card_visa", confirm: true });
    const partial = await stripe.refunds.create({ payment_intent: pi.id, amount: 2000, reason: "requested_by_customer" });
    expect(partial).toMatchObject({ object: "refund", amount: 2000, status: "succeeded", charge: pi.latest_charge, payment_intent: pi.id });
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: false });

    const tooMuch = await stripeFailure(stripe.refunds.create({ charge: charge.id, amount: 3001 }));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.param).toBe("amount");

    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(3000);
    charge = await stripe.charges.retrieve(charge.id);
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect((await stripe.refunds.retrieve(rest.id)).id).toBe(rest.id);
    expect((await stripeFailure(stripe.refunds.create({ charge: charge.id }))).code).toBe("charge_already_refunded");
    const refunded = emulator.events().filter((e) => e.type === "charge.refunded");
    expect(refunded.map((e) => e.data.object.amount_refunded)).toEqual([2000, 5000]);
  });

  it("a payment intent without a successful charge cannot be refunded", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: "usd" });
    expect((await stripeFailure(stripe.refunds.create({ payment_intent: pi.id }))).statusCode).toBe(400);
  });
});

describe("setup intents", () => {
  it("create+confirm with a test card succeeds and attaches it to the customer", async () => {
    const customer = await stripe.customers.create({});
    const si = await stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_visa", confirm: true, usage: "off_session" });
    expect(si).toMatchObject({ object: "setup_intent", status: "succeeded", customer: customer.id, usage: "off_session" });
    expect((await stripe.paymentMethods.retrieve(si.payment_method as string)).customer).toBe(customer.id);
    expect(emulator.events().map((e) => e.type)).toContain("setup_intent.succeeded");

    const later = await stripe.setupIntents.create({ customer: customer.id });
    expect(later.status).toBe("requires_payment_method");
    expect((await stripe.setupIntents.confirm(later.id, { payment_method: "pm_card_mastercard" })).status).toBe("succeeded");
    expect((await stripe.setupIntents.retrieve(later.id)).status).toBe("succeeded");

    const declined = await stripeFailure(stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_chargeDeclined", confirm: true }));
    expect(declined.statusCode).toBe(402);
    expect(declined.setup_intent?.status).toBe("requires_payment_method");
    const auth = await stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_authenticationRequired", confirm: true });
    expect(auth.status).toBe("requires_action");
  });
});

describe("shapes", () => {
  it("objects and events carry every field of Stripe's published fixtures", async () => {
    const customer = await stripe.customers.create({ email: "s@example.com" });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const pi = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", customer: customer.id, payment_method: pm.id, confirm: true, off_session: true });
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    const si = await stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_visa", confirm: true });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    const event = emulator.events().at(-1)!;
    const objects: Record<string, object> = { customer, payment_method: pm, payment_intent: pi, charge, refund, setup_intent: si, event };
    for (const [name, object] of Object.entries(objects)) {
      const keys = Object.keys(object).filter((k) => k !== "lastResponse");
      expect({ name, missing: Object.keys(fixtures[name]!).filter((k) => !keys.includes(k)) }).toEqual({ name, missing: [] });
      expect((object as { object: string }).object).toBe(fixtures[name]!.object);
    }
    expect(event).toMatchObject({ object: "event", api_version: Stripe.API_VERSION, livemode: false, created: startSeconds });
    expect(JSON.stringify(objects)).not.toContain("obj_123");
  });
});
