import { AUTOMATIC, clone, type State } from "../state.ts";

/** Settles the ACH debits whose settlement time the clock has passed; returns how many. */
export function settle(state: State): number {
  const { settlements } = state;
  const nowMs = state.clock.now().getTime();
  let settled = 0;
  for (let i = 0; i < settlements.length; ) {
    const due = settlements[i]!;
    if (due.atMs > nowMs) {
      i++;
      continue;
    }
    settlements.splice(i, 1);
    const pi = state.paymentIntents.get(due.paymentIntent)!;
    const charge = state.charges.get(due.charge)!;
    settled++;
    if (due.failure) {
      const pm = state.paymentMethods.get(pi.payment_method)?.object;
      charge.status = "failed";
      charge.paid = false;
      charge.balance_transaction = null;
      charge.failure_code = due.failure.code;
      charge.failure_message = due.failure.message;
      charge.outcome = { ...charge.outcome, network_status: "declined_by_network", reason: due.failure.code, seller_message: due.failure.message, type: "issuer_declined" };
      pi.status = "requires_payment_method";
      pi.payment_method = null;
      pi.last_payment_error = { code: due.failure.code, message: due.failure.message, payment_method: pm ? clone(pm) : null, type: "invalid_request_error" };
      state.emit("charge.failed", charge, AUTOMATIC);
      state.emit("payment_intent.payment_failed", pi, AUTOMATIC);
      continue;
    }
    charge.status = "succeeded";
    charge.paid = true;
    charge.captured = true;
    charge.amount_captured = charge.amount;
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    state.emit("charge.succeeded", charge, AUTOMATIC);
    state.emit("payment_intent.succeeded", pi, AUTOMATIC);
  }
  return settled;
}
