import { invalidParam, missingParam, notFound, StripeApiError } from "../errors.ts";
import { list } from "../list.ts";
import { buildRefund, type Json } from "../objects.ts";
import { clone, type Ctx, type Result, retrieveFrom, type Route, type State } from "../state.ts";

function createRefund(state: State, ctx: Ctx): Result {
  const p = ctx.params.only(["charge", "payment_intent", "amount", "reason", "metadata"]);
  const chargeId = p.string("charge");
  const piId = p.string("payment_intent");
  if (!chargeId && !piId) throw missingParam("charge");
  if (chargeId && piId) throw invalidParam("payment_intent", "You cannot specify both charge and payment_intent.", "parameter_invalid_empty");
  let charge: Json | undefined;
  if (chargeId) {
    charge = state.charges.get(chargeId);
    if (!charge) throw notFound("charge", chargeId, "charge");
  } else {
    const pi = state.paymentIntents.get(piId!);
    if (!pi) throw notFound("payment_intent", piId!, "payment_intent");
    charge = pi.latest_charge ? state.charges.get(pi.latest_charge) : undefined;
    if (!charge || charge.status !== "succeeded") {
      throw invalidParam("payment_intent", `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, "charge_not_refundable");
    }
  }
  if (charge.status !== "succeeded") throw invalidParam("charge", `Charge ${charge.id} has not succeeded, so it cannot be refunded.`, "charge_not_refundable");
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw new StripeApiError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: `Charge ${charge.id} has already been refunded.`, charge: charge.id });
  }
  const amount = p.integer("amount") ?? remaining;
  if (amount <= 0) throw invalidParam("amount", "Refund amount must be positive.", "parameter_invalid_integer");
  if (amount > remaining) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      code: "amount_too_large",
      message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      param: "amount",
    });
  }
  const reason = p.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
  const refund = buildRefund(state.newId("re"), ctx.now, charge, amount, reason, p.metadata() ?? {}, state.newId("txn"));
  state.refunds.set(refund.id, refund);
  const before = clone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  charge.refunds.data.unshift(clone(refund));
  charge.refunds.total_count += 1;
  state.emit("refund.created", refund, ctx.request);
  const previous: Json = { amount_refunded: before.amount_refunded };
  if (before.refunded !== charge.refunded) previous.refunded = before.refunded;
  state.emit("charge.refunded", charge, ctx.request, previous);
  return { status: 200, body: refund };
}

export const chargeAndRefundRoutes = (state: State): Route[] => [
  ["GET", /^\/v1\/charges\/([^/]+)$/, retrieveFrom(state.charges, "charge")],
  ["GET", /^\/v1\/charges$/, (ctx) => {
    const p = ctx.params.only(["customer", "payment_intent", "limit", "starting_after", "ending_before", "created"]);
    const customer = p.string("customer");
    const pi = p.string("payment_intent");
    const all = [...state.charges.values()].filter((c) => (!customer || c.customer === customer) && (!pi || c.payment_intent === pi));
    return { status: 200, body: list(all.reverse(), p, "/v1/charges") };
  }],
  ["POST", /^\/v1\/refunds$/, (ctx) => createRefund(state, ctx)],
  ["GET", /^\/v1\/refunds\/([^/]+)$/, retrieveFrom(state.refunds, "refund")],
];
