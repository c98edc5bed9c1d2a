import { randomUUID } from "node:crypto";
import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { createSubscription, paymentMethodDetails, type CreatedSubscription } from "@paycron/billing";
import type { Stripe } from "@paycron/stripe";

export interface SubscribeInput {
  /** A price id, or a price's exact name (`pnpm paycron seed` makes "Pro (monthly)", …). */
  price: string;
  email: string;
  /** Stripe test payment methods (pm_card_visa, pm_card_chargeCustomerFail, …), default first. */
  cards: string[];
  quantity: number;
}

export interface Subscribed extends CreatedSubscription {
  customerId: string;
  stripeCustomerId: string;
  priceName: string;
}

/**
 * What a sign-up in the app does, for trying billing by hand: a customer (ours and Stripe's),
 * its cards attached at Stripe and saved as ours (the first one the default, the next the
 * backup), and a subscription from createSubscription, whose first run the engine picks up.
 */
export async function subscribe(deps: { db: Db; clock: Clock; logger: Logger; stripe: Stripe }, input: SubscribeInput): Promise<Subscribed> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.price);
  const prices = await deps.db
    .selectFrom("prices")
    .select(["id", "name", "organization_id"])
    .where(isId ? "id" : "name", "=", input.price)
    .where("active", "=", true)
    .execute();
  if (prices.length !== 1) {
    const known = await deps.db.selectFrom("prices").select("name").where("active", "=", true).orderBy("name").execute();
    const names = known.map((p) => JSON.stringify(p.name)).join(", ") || "none (pnpm paycron seed makes some)";
    throw new Error(prices.length === 0 ? `no active price ${JSON.stringify(input.price)}; prices: ${names}` : `${prices.length} prices are named ${JSON.stringify(input.price)}: give its id`);
  }
  const price = prices[0]!;
  const stripeCustomer = await deps.stripe.customers.create({ email: input.email });
  const customer = await deps.db
    .insertInto("customers")
    .values({ organization_id: price.organization_id, external_id: `cli-${randomUUID().slice(0, 8)}`, email: input.email, stripe_customer_id: stripeCustomer.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  const methods: string[] = [];
  for (const [i, card] of input.cards.entries()) {
    const pm = await deps.stripe.paymentMethods.attach(card, { customer: stripeCustomer.id });
    const details = paymentMethodDetails(pm);
    if (!details) throw new Error(`${card} is a ${pm.type} payment method, which Paycron does not bill`);
    const row = await deps.db
      .insertInto("payment_methods")
      .values({ customer_id: customer.id, stripe_payment_method_id: pm.id, ...details, is_default: i === 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    methods.push(row.id);
  }
  const created = await createSubscription(deps, {
    customerId: customer.id,
    items: [{ priceId: price.id, quantity: input.quantity }],
    ...(methods[1] ? { backupPaymentMethodId: methods[1] } : {}),
  });
  return { ...created, customerId: customer.id, stripeCustomerId: stripeCustomer.id, priceName: price.name };
}
