import { invalidParam, missingParam, notFound, StripeApiError } from "../errors.ts";
import { list } from "../list.ts";
import { buildPaymentMethod, type Json } from "../objects.ts";
import { clone, type Ctx, customerOf, type PaymentMethodRecord, type Result, type Route, type State } from "../state.ts";
import { testMethod } from "../test-methods.ts";

/** A stored PaymentMethod, or a fresh one made from a documented test id (as Stripe does). */
export function resolvePaymentMethod(state: State, id: string, param: string, ctx: Ctx): PaymentMethodRecord {
  const stored = state.paymentMethods.get(id);
  if (stored) return stored;
  const test = testMethod(id);
  if (!test) throw notFound("PaymentMethod", id, param);
  const record = { object: buildPaymentMethod(state.newId("pm"), ctx.now, test.token, test.method), method: test.method };
  state.paymentMethods.set(record.object.id, record);
  return record;
}

export function declineError(record: PaymentMethodRecord, outcome: { declineCode: string; message: string }, extra: Json = {}): StripeApiError {
  return new StripeApiError(402, {
    type: "card_error",
    code: "card_declined",
    decline_code: outcome.declineCode,
    message: outcome.message,
    payment_method: clone(record.object),
    ...extra,
  });
}

export function attach(state: State, record: PaymentMethodRecord, customer: Json, ctx: Ctx): void {
  const pm = record.object;
  if (pm.customer === customer.id) return;
  if (pm.customer) {
    throw invalidParam("payment_method", "The payment method you provided has already been attached to a customer.", "payment_method_unexpected_state");
  }
  const outcome = record.method.outcome;
  if (outcome.kind === "decline" && outcome.declineOnAttach) throw declineError(record, outcome);
  pm.customer = customer.id;
  state.emit("payment_method.attached", pm, ctx.request);
}

function attachPaymentMethod(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["customer"]);
  const customerId = p.string("customer");
  if (!customerId) throw missingParam("customer");
  const customer = customerOf(state, customerId, "customer");
  const record = resolvePaymentMethod(state, id, "payment_method", ctx);
  attach(state, record, customer, ctx);
  return { status: 200, body: record.object };
}

function detachPaymentMethod(state: State, ctx: Ctx, id: string): Result {
  ctx.params.only([]);
  const record = resolvePaymentMethod(state, id, "payment_method", ctx);
  const pm = record.object;
  if (!pm.customer) {
    throw invalidParam("payment_method", "The payment method you provided is not attached to a customer so detachment is impossible.", "payment_method_unexpected_state");
  }
  const customer = state.customers.get(pm.customer);
  pm.customer = null;
  state.emit("payment_method.detached", pm, ctx.request, { customer: customer?.id ?? null });
  if (customer && customer.invoice_settings.default_payment_method === pm.id) {
    const before = clone(customer);
    customer.invoice_settings.default_payment_method = null;
    state.emitUpdated("customer.updated", before, customer, ctx);
  }
  return { status: 200, body: pm };
}

function listPaymentMethods(state: State, ctx: Ctx, customerFromPath?: string): Result {
  const p = ctx.params.only(["customer", "type", "limit", "starting_after", "ending_before"]);
  const customerId = customerFromPath ?? p.string("customer");
  if (customerId) customerOf(state, customerId, "customer");
  const type = p.string("type");
  const data = [...state.paymentMethods.values()]
    .map((r) => r.object)
    .filter((pm) => (customerId ? pm.customer === customerId : true) && (type ? pm.type === type : true));
  return { status: 200, body: list(data.reverse(), p, customerFromPath ? `/v1/customers/${customerFromPath}/payment_methods` : "/v1/payment_methods") };
}

export const paymentMethodRoutes = (state: State): Route[] => [
  ["GET", /^\/v1\/customers\/([^/]+)\/payment_methods$/, (ctx, id) => listPaymentMethods(state, ctx, id)],
  ["GET", /^\/v1\/payment_methods$/, (ctx) => listPaymentMethods(state, ctx)],
  ["GET", /^\/v1\/payment_methods\/([^/]+)$/, (ctx, id) => ({ status: 200, body: resolvePaymentMethod(state, id, "payment_method", ctx).object })],
  ["POST", /^\/v1\/payment_methods\/([^/]+)\/attach$/, (ctx, id) => attachPaymentMethod(state, ctx, id)],
  ["POST", /^\/v1\/payment_methods\/([^/]+)\/detach$/, (ctx, id) => detachPaymentMethod(state, ctx, id)],
];
