import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";
import { createSubscription, paymentMethodDetails } from "@paycron/billing";
import type { SimulatedOrganization } from "./organization.ts";
import type { PayerKind, PlannedCustomer, ScenarioAction } from "./scenario.ts";

export interface ActionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  stripe: Stripe;
  organization: SimulatedOrganization;
  seed: number;
  customers: readonly PlannedCustomer[];
}

/** Our customer and its Stripe twin, once signed up. */
export interface SignedUp {
  customerId: string;
  stripeCustomerId: string;
  subscriptionId: string;
}

/** The Stripe test payment method each kind of payer signs up with (the emulator's test-methods.ts). */
const SIGN_UP_METHOD: Record<PayerKind, string> = {
  card: "pm_card_visa",
  bank: "pm_usBankAccount_success",
  declining_card: "pm_card_chargeCustomerFail",
};

/**
 * What a customer does, through the same doors a real one would: Stripe objects through the SDK
 * (the emulator then sends its webhooks), our rows as the product's sign-up would write them, the
 * subscription through @paycron/billing's createSubscription.
 */
export async function performAction(deps: ActionDeps, signedUp: Map<number, SignedUp>, action: Exclude<ScenarioAction, { kind: "usage" }>): Promise<void> {
  const planned = deps.customers[action.customer]!;
  if (action.kind === "sign_up") {
    signedUp.set(planned.index, await signUp(deps, planned));
    return;
  }
  const customer = signedUp.get(action.customer);
  if (!customer) return;
  // A new card, set up off-session: the emulator's setup_intent.succeeded reaches our webhook
  // task, which makes it the customer's default (and its subscriptions').
  const card = action.kind === "card_goes_bad" ? "pm_card_chargeCustomerFail" : "pm_card_visa";
  await deps.stripe.setupIntents.create(
    { customer: customer.stripeCustomerId, payment_method: card, confirm: true, usage: "off_session" },
    { idempotencyKey: `simulate:${deps.seed}:${action.kind}:${action.customer}` },
  );
}

async function signUp(deps: ActionDeps, planned: PlannedCustomer): Promise<SignedUp> {
  const now = deps.clock.now();
  const key = `simulate:${deps.seed}:${planned.index}`;
  const email = `customer-${planned.index}@simulated.example.test`;
  const stripeCustomer = await deps.stripe.customers.create({ email, name: `Customer ${planned.index}` }, { idempotencyKey: `${key}:customer` });
  const method = await deps.stripe.paymentMethods.attach(
    SIGN_UP_METHOD[planned.payer],
    { customer: stripeCustomer.id },
    { idempotencyKey: `${key}:payment-method` },
  );
  const customer = await deps.db
    .insertInto("customers")
    .values({
      organization_id: deps.organization.organizationId,
      external_id: `sim-${deps.seed}-${planned.index}`,
      email,
      name: `Customer ${planned.index}`,
      stripe_customer_id: stripeCustomer.id,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await deps.db
    .insertInto("payment_methods")
    .values({
      customer_id: customer.id,
      stripe_payment_method_id: method.id,
      ...paymentMethodDetails(method)!,
      is_default: true,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const subscription = await createSubscription(
    { db: deps.db, clock: deps.clock, logger: deps.logger },
    { customerId: customer.id, items: [{ priceId: deps.organization.prices[planned.plan] }] },
  );
  return { customerId: customer.id, stripeCustomerId: stripeCustomer.id, subscriptionId: subscription.subscriptionId };
}

/** A batch of usage reports, one event each, keyed by customer and time so a replay inserts nothing twice. */
export async function recordUsage(deps: ActionDeps, signedUp: Map<number, SignedUp>, actions: Extract<ScenarioAction, { kind: "usage" }>[]): Promise<void> {
  const rows = actions.flatMap((action) => {
    const customer = signedUp.get(action.customer);
    if (!customer) return [];
    return [
      {
        usage_meter_id: deps.organization.meterId,
        customer_id: customer.customerId,
        subscription_id: customer.subscriptionId,
        quantity: action.quantity,
        occurred_at: action.at,
        idempotency_key: `simulate:${action.at.toISOString()}`,
        created_at: action.at,
      },
    ];
  });
  if (rows.length === 0) return;
  await deps.db
    .insertInto("usage_events")
    .values(rows)
    .onConflict((oc) => oc.columns(["usage_meter_id", "customer_id", "idempotency_key"]).doNothing())
    .execute();
}
