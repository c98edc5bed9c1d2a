import { invalidParam, missingParam, StripeApiError } from "../errors.ts";
import { list } from "../list.ts";
import { buildCharge, buildPaymentIntent, fingerprint, type Json } from "../objects.ts";
import { Params } from "../params.ts";
import { AUTOMATIC, clone, type Ctx, customerOf, type PaymentMethodRecord, paymentIntentOf, type Result, type Route, type State } from "../state.ts";
import { CONFIRMABLE, paymentMethodTypes, unexpectedState } from "./intents.ts";
import { resolvePaymentMethod } from "./payment-methods.ts";

const MIN_AMOUNT = 50;
const CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"];

/** `off_session`: a boolean, or `one_off` / `recurring` (both off session). */
function offSessionOf(p: Params): boolean {
  const value = p.string("off_session");
  if (value === undefined || value === "false") return false;
  if (value === "true" || value === "one_off" || value === "recurring") return true;
  throw invalidParam("off_session", `Invalid off_session: ${value}`, "parameter_invalid_string");
}

function checkMethodFits(pi: Json, record: PaymentMethodRecord, customer: string | null): void {
  const pm = record.object;
  if (!pi.payment_method_types.includes(pm.type)) {
    throw invalidParam(
      "payment_method",
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}.`,
      "payment_intent_incompatible_payment_method",
    );
  }
  if (pm.customer && pm.customer !== customer) {
    throw invalidParam(
      "payment_method",
      customer
        ? `The provided PaymentMethod belongs to a different Customer (${pm.customer}) than the one on this PaymentIntent (${customer}).`
        : "The provided PaymentMethod belongs to a Customer, but you did not provide a Customer. Please provide the Customer that owns the PaymentMethod.",
      "payment_intent_invalid_parameter",
    );
  }
}

function createPaymentIntent(state: State, ctx: Ctx): Result {
  const p = ctx.params.only([
    "amount",
    "currency",
    "customer",
    "payment_method",
    "payment_method_types",
    "allowed_payment_method_types",
    "automatic_payment_methods",
    "confirm",
    "off_session",
    "metadata",
    "description",
    "receipt_email",
    "setup_future_usage",
    "statement_descriptor",
    "capture_method",
    "return_url",
    "mandate_data",
    "error_on_requires_action",
  ]);
  const amount = p.integer("amount");
  if (amount === undefined) throw missingParam("amount");
  const currency = p.string("currency")?.toLowerCase();
  if (!currency) throw missingParam("currency");
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam("currency", `Invalid currency: ${currency}.`, "parameter_invalid_string");
  if (amount < MIN_AMOUNT) {
    throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_small", message: `Amount must be at least ${MIN_AMOUNT} minor units (${currency}).`, param: "amount" });
  }
  if (amount > 99_999_999) {
    throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_large", message: "Amount must be no more than 99999999 minor units.", param: "amount" });
  }
  const capture = p.oneOf("capture_method", ["automatic", "automatic_async", "manual"]);
  if (capture === "manual") throw invalidParam("capture_method", "The Stripe emulator does not support capture_method=manual.", "parameter_invalid_string");
  const customerId = p.string("customer") || null;
  if (customerId) customerOf(state, customerId, "customer");
  const types = paymentMethodTypes(p);
  const confirm = p.boolean("confirm") ?? false;
  const offSession = offSessionOf(p);
  if (p.has("off_session") && !confirm) {
    throw invalidParam("off_session", "You may only specify `off_session` when `confirm=true`.", "parameter_invalid_empty");
  }
  const setupFutureUsage = p.oneOf("setup_future_usage", ["on_session", "off_session"]);
  const pmId = p.string("payment_method");
  const record = pmId ? resolvePaymentMethod(state, pmId, "payment_method", ctx) : undefined;
  const id = state.newId("pi");
  const pi = buildPaymentIntent(id, ctx.now, `${id}_secret_${fingerprint(id)}`, {
    amount,
    currency,
    customer: customerId,
    description: p.nullableString("description"),
    metadata: p.metadata(),
    payment_method: record?.object.id ?? null,
    payment_method_types: types ?? ["card", "us_bank_account"],
    allowed_payment_method_types: types ?? null,
    automatic_payment_methods: types ? null : { allow_redirects: "always", enabled: true },
    receipt_email: p.nullableString("receipt_email"),
    setup_future_usage: setupFutureUsage ?? null,
    statement_descriptor: p.nullableString("statement_descriptor"),
  });
  if (record) checkMethodFits(pi, record, customerId);
  state.paymentIntents.set(id, pi);
  state.emit("payment_intent.created", pi, ctx.request);
  if (confirm) return confirmIntent(state, pi, ctx, offSession, p.boolean("error_on_requires_action") ?? false);
  return { status: 200, body: pi };
}

function updatePaymentIntent(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["amount", "currency", "customer", "payment_method", "metadata", "description", "receipt_email", "setup_future_usage"]);
  const pi = paymentIntentOf(state, id);
  if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status)) {
    throw unexpectedState(pi, `You cannot update this PaymentIntent because it has a status of ${pi.status}.`);
  }
  const amount = p.integer("amount");
  if (amount !== undefined) {
    if (amount < MIN_AMOUNT) throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_small", message: `Amount must be at least ${MIN_AMOUNT} minor units.`, param: "amount" });
    pi.amount = amount;
  }
  const currency = p.string("currency");
  if (currency) pi.currency = currency.toLowerCase();
  const customerId = p.string("customer");
  if (customerId) pi.customer = customerOf(state, customerId, "customer").id;
  const metadata = p.metadata(pi.metadata);
  if (metadata) pi.metadata = metadata;
  for (const field of ["description", "receipt_email"]) {
    const value = p.nullableString(field);
    if (value !== undefined) pi[field] = value;
  }
  const pmId = p.string("payment_method");
  if (pmId) {
    const record = resolvePaymentMethod(state, pmId, "payment_method", ctx);
    checkMethodFits(pi, record, pi.customer);
    pi.payment_method = record.object.id;
    if (pi.status === "requires_payment_method") pi.status = "requires_confirmation";
  }
  return { status: 200, body: pi };
}

function confirmPaymentIntent(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["payment_method", "off_session", "return_url", "mandate_data", "setup_future_usage", "receipt_email", "error_on_requires_action"]);
  const pi = paymentIntentOf(state, id);
  if (!CONFIRMABLE.includes(pi.status)) {
    const verb = pi.status === "succeeded" ? "it has already succeeded after being previously confirmed" : `it has a status of ${pi.status}`;
    throw unexpectedState(pi, `You cannot confirm this PaymentIntent because ${verb}.`);
  }
  const pmId = p.string("payment_method");
  if (pmId) {
    const record = resolvePaymentMethod(state, pmId, "payment_method", ctx);
    checkMethodFits(pi, record, pi.customer);
    pi.payment_method = record.object.id;
  }
  const sfu = p.oneOf("setup_future_usage", ["on_session", "off_session"]);
  if (sfu) pi.setup_future_usage = sfu;
  return confirmIntent(state, pi, ctx, offSessionOf(p), p.boolean("error_on_requires_action") ?? false);
}

function confirmIntent(state: State, pi: Json, ctx: Ctx, offSession: boolean, errorOnRequiresAction: boolean, authenticated = false): Result {
  if (!pi.payment_method) {
    throw unexpectedState(
      pi,
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    );
  }
  const record = state.paymentMethods.get(pi.payment_method)!;
  const outcome = record.method.outcome;
  const newCharge = (status: "succeeded" | "pending" | "failed", failure?: { code: string; declineCode: string; message: string }) => {
    const charge = buildCharge({
      id: state.newId("ch"),
      created: ctx.now,
      amount: pi.amount,
      currency: pi.currency,
      customer: pi.customer,
      paymentIntent: pi.id,
      paymentMethod: record.object,
      description: pi.description,
      metadata: clone(pi.metadata),
      balanceTransaction: status === "failed" ? null : state.newId("txn"),
      status,
      ...(failure ? { failure } : {}),
    });
    state.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    return charge;
  };
  const fail = (code: string, declineCode: string, message: string): never => {
    const charge = newCharge("failed", { code, declineCode, message });
    const error = { charge: charge.id, code, decline_code: declineCode, message, payment_method: clone(record.object), type: "card_error" };
    pi.status = "requires_payment_method";
    pi.payment_method = null;
    pi.last_payment_error = { ...error, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` };
    pi.next_action = null;
    state.emit("charge.failed", charge, ctx.request);
    state.emit("payment_intent.payment_failed", pi, ctx.request);
    throw new StripeApiError(402, { type: "card_error", code, decline_code: declineCode, message, charge: charge.id, payment_method: clone(record.object), payment_intent: clone(pi) });
  };

  const succeed = (): Result => {
    const charge = newCharge("succeeded");
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    pi.next_action = null;
    saveForFutureUse(state, pi, record, ctx);
    state.emit("charge.succeeded", charge, ctx.request);
    state.emit("payment_intent.succeeded", pi, ctx.request);
    return { status: 200, body: pi };
  };

  pi.last_payment_error = null;
  if (authenticated) return succeed();
  switch (outcome.kind) {
    case "succeed":
      return succeed();
    case "decline":
      return fail("card_declined", outcome.declineCode, outcome.message);
    case "authenticate": {
      if (offSession) {
        // Stripe: an off-session payment that needs authentication fails with
        // authentication_required; the customer must come back on session.
        return fail("authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.");
      }
      if (errorOnRequiresAction) {
        return fail("authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.");
      }
      pi.status = "requires_action";
      pi.next_action = {
        type: "use_stripe_sdk",
        use_stripe_sdk: { type: "three_d_secure_redirect", source: state.newId("src"), stripe_js: `https://hooks.stripe.com/redirect/authenticate/${pi.id}` },
      };
      state.emit("payment_intent.requires_action", pi, ctx.request);
      return { status: 200, body: pi };
    }
    case "bank": {
      const charge = newCharge("pending");
      pi.status = "processing";
      pi.next_action = null;
      saveForFutureUse(state, pi, record, ctx);
      state.settlements.push({
        paymentIntent: pi.id,
        charge: charge.id,
        atMs: state.clock.now().getTime() + state.settlementMs,
        ...(outcome.failure ? { failure: outcome.failure } : {}),
      });
      state.emit("charge.pending", charge, ctx.request);
      state.emit("payment_intent.processing", pi, ctx.request);
      return { status: 200, body: pi };
    }
  }
}

/** The customer's 3-D Secure challenge for a PaymentIntent in `requires_action` (the emulator's `completeAuthentication`). */
export function completeAuthentication(state: State, id: string, result: "succeed" | "fail"): Json {
  const pi = state.paymentIntents.get(id);
  if (!pi) throw new Error(`completeAuthentication: no PaymentIntent ${id}`);
  if (pi.status !== "requires_action") throw new Error(`completeAuthentication: ${id} is ${pi.status}, not requires_action`);
  const ctx: Ctx = { params: new Params({}), request: AUTOMATIC, now: state.nowSeconds() };
  if (result === "succeed") return clone(confirmIntent(state, pi, ctx, false, false, true).body);
  const pm = state.paymentMethods.get(pi.payment_method)?.object;
  pi.status = "requires_payment_method";
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = {
    code: "payment_intent_authentication_failure",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    payment_method: pm ? clone(pm) : null,
    type: "invalid_request_error",
  };
  state.emit("payment_intent.payment_failed", pi, AUTOMATIC);
  return clone(pi);
}

function saveForFutureUse(state: State, pi: Json, record: PaymentMethodRecord, ctx: Ctx): void {
  if (pi.setup_future_usage && pi.customer && !record.object.customer) {
    record.object.customer = pi.customer;
    state.emit("payment_method.attached", record.object, ctx.request);
  }
}

function cancelPaymentIntent(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["cancellation_reason"]);
  const reason = p.oneOf("cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]);
  const pi = paymentIntentOf(state, id);
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(
      pi,
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
    );
  }
  pi.status = "canceled";
  pi.canceled_at = ctx.now;
  pi.cancellation_reason = reason ?? null;
  pi.next_action = null;
  state.emit("payment_intent.canceled", pi, ctx.request);
  return { status: 200, body: pi };
}

export const paymentIntentRoutes = (state: State): Route[] => [
  ["POST", /^\/v1\/payment_intents$/, (ctx) => createPaymentIntent(state, ctx)],
  ["GET", /^\/v1\/payment_intents\/([^/]+)$/, (_ctx, id) => ({ status: 200, body: paymentIntentOf(state, id) })],
  ["POST", /^\/v1\/payment_intents\/([^/]+)$/, (ctx, id) => updatePaymentIntent(state, ctx, id)],
  ["POST", /^\/v1\/payment_intents\/([^/]+)\/confirm$/, (ctx, id) => confirmPaymentIntent(state, ctx, id)],
  ["POST", /^\/v1\/payment_intents\/([^/]+)\/cancel$/, (ctx, id) => cancelPaymentIntent(state, ctx, id)],
  ["GET", /^\/v1\/payment_intents$/, (ctx) => {
    const p = ctx.params.only(["customer", "limit", "starting_after", "ending_before", "created"]);
    const customer = p.string("customer");
    const all = [...state.paymentIntents.values()].filter((pi) => !customer || pi.customer === customer);
    return { status: 200, body: list(all.reverse(), p, "/v1/payment_intents") };
  }],
];
