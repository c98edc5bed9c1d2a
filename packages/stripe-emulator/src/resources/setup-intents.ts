import { invalidParam } from "../errors.ts";
import { buildSetupIntent, fingerprint, type Json } from "../objects.ts";
import { clone, type Ctx, customerOf, type Result, type Route, setupIntentOf, type State } from "../state.ts";
import { CONFIRMABLE, paymentMethodTypes, unexpectedState } from "./intents.ts";
import { declineError, resolvePaymentMethod } from "./payment-methods.ts";

function createSetupIntent(state: State, ctx: Ctx): Result {
  const p = ctx.params.only(["customer", "payment_method", "payment_method_types", "allowed_payment_method_types", "automatic_payment_methods", "confirm", "usage", "metadata", "description", "return_url", "mandate_data"]);
  const customerId = p.string("customer") || null;
  if (customerId) customerOf(state, customerId, "customer");
  const pmId = p.string("payment_method");
  const record = pmId ? resolvePaymentMethod(state, pmId, "payment_method", ctx) : undefined;
  if (record?.object.customer && record.object.customer !== customerId) {
    throw invalidParam("payment_method", "The provided PaymentMethod belongs to a different Customer.", "setup_intent_invalid_parameter");
  }
  const types = paymentMethodTypes(p);
  const id = state.newId("seti");
  const si = buildSetupIntent(id, ctx.now, `${id}_secret_${fingerprint(id)}`, {
    customer: customerId,
    payment_method: record?.object.id ?? null,
    payment_method_types: types ?? ["card", "us_bank_account"],
    allowed_payment_method_types: types ?? null,
    automatic_payment_methods: types ? null : { allow_redirects: "always", enabled: true },
    usage: p.oneOf("usage", ["on_session", "off_session"]),
    metadata: p.metadata(),
    description: p.nullableString("description"),
  });
  state.setupIntents.set(id, si);
  state.emit("setup_intent.created", si, ctx.request);
  if (p.boolean("confirm")) return confirmSetup(state, si, ctx);
  return { status: 200, body: si };
}

function confirmSetupIntent(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["payment_method", "return_url", "mandate_data"]);
  const si = setupIntentOf(state, id);
  if (!CONFIRMABLE.includes(si.status)) {
    throw unexpectedState(si, `You cannot confirm this SetupIntent because it has a status of ${si.status}.`, "setup_intent");
  }
  const pmId = p.string("payment_method");
  if (pmId) si.payment_method = resolvePaymentMethod(state, pmId, "payment_method", ctx).object.id;
  return confirmSetup(state, si, ctx);
}

function confirmSetup(state: State, si: Json, ctx: Ctx): Result {
  if (!si.payment_method) {
    throw unexpectedState(si, "You cannot confirm this SetupIntent because it's missing a payment method.", "setup_intent");
  }
  const record = state.paymentMethods.get(si.payment_method)!;
  const outcome = record.method.outcome;
  si.last_setup_error = null;
  if (outcome.kind === "decline" && outcome.declineOnAttach) {
    const error = { code: "card_declined", decline_code: outcome.declineCode, message: outcome.message, payment_method: clone(record.object), type: "card_error" };
    si.status = "requires_payment_method";
    si.payment_method = null;
    si.last_setup_error = { ...error, doc_url: "https://stripe.com/docs/error-codes/card-declined" };
    state.emit("setup_intent.setup_failed", si, ctx.request);
    throw declineError(record, outcome, { setup_intent: clone(si) });
  }
  if (outcome.kind === "authenticate") {
    si.status = "requires_action";
    si.next_action = {
      type: "use_stripe_sdk",
      use_stripe_sdk: { type: "three_d_secure_redirect", source: state.newId("src"), stripe_js: `https://hooks.stripe.com/redirect/authenticate/${si.id}` },
    };
    state.emit("setup_intent.requires_action", si, ctx.request);
    return { status: 200, body: si };
  }
  if (si.customer && !record.object.customer) {
    record.object.customer = si.customer;
    state.emit("payment_method.attached", record.object, ctx.request);
  }
  si.status = "succeeded";
  si.next_action = null;
  state.emit("setup_intent.succeeded", si, ctx.request);
  return { status: 200, body: si };
}

export const setupIntentRoutes = (state: State): Route[] => [
  ["POST", /^\/v1\/setup_intents$/, (ctx) => createSetupIntent(state, ctx)],
  ["GET", /^\/v1\/setup_intents\/([^/]+)$/, (_ctx, id) => ({ status: 200, body: setupIntentOf(state, id) })],
  ["POST", /^\/v1\/setup_intents\/([^/]+)\/confirm$/, (ctx, id) => confirmSetupIntent(state, ctx, id)],
];
