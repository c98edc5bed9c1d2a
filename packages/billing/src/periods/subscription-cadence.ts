import type { Tx } from "@paycron/db";
import { BillingError } from "../errors.ts";
import type { BillingInterval } from "./period-bounds.ts";

export interface SubscriptionCadence {
  interval: BillingInterval;
  intervalCount: number;
  /** Whether any live item is a fixed (static) price, which is charged at the start of a period. */
  hasFixedItems: boolean;
}

/**
 * A subscription's interval comes from its live items' prices, which must all agree: one period
 * cannot be a month for one item and a year for another.
 */
export async function loadSubscriptionCadence(tx: Tx, subscriptionId: string, at: Date): Promise<SubscriptionCadence> {
  const items = await tx
    .selectFrom("subscription_items")
    .innerJoin("prices", "prices.id", "subscription_items.price_id")
    .select(["prices.interval", "prices.interval_count", "subscription_items.kind"])
    .where("subscription_items.subscription_id", "=", subscriptionId)
    .where((eb) => eb.or([eb("subscription_items.ended_at", "is", null), eb("subscription_items.ended_at", ">", at)]))
    .execute();
  const cadences = new Set(items.map((item) => `${item.interval_count} ${item.interval}`));
  if (items.length === 0 || cadences.size !== 1) {
    throw new BillingError(
      "subscription_cadence_unknown",
      items.length === 0
        ? `subscription ${subscriptionId} has no live items, so no interval to bill on`
        : `subscription ${subscriptionId} has items on different intervals (${[...cadences].join(", ")})`,
      { details: { subscriptionId } },
    );
  }
  return {
    interval: items[0]!.interval,
    intervalCount: items[0]!.interval_count,
    hasFixedItems: items.some((item) => item.kind === "static"),
  };
}
