import type { Clock } from "@paycron/core";
import { withTransaction, type Db } from "@paycron/db";

/*
 * Demo data for `pnpm dev` and `pnpm paycron seed`. Fixed ids make every insert a no-op the
 * second time, so seeding on each start never duplicates or rewrites what is already there.
 */
const ORG = "00000000-0000-4000-8000-000000000001";
const PRICES = {
  proMonthly: "00000000-0000-4000-8000-000000000101",
  teamYearly: "00000000-0000-4000-8000-000000000102",
  starterWeekly: "00000000-0000-4000-8000-000000000103",
};
const CUSTOMERS = [
  { id: "00000000-0000-4000-8000-000000000201", subscriptionId: "00000000-0000-4000-8000-000000000301", external_id: "demo-ada", email: "ada@example.test", name: "Ada Lovelace", price: PRICES.proMonthly, status: "active" as const },
  { id: "00000000-0000-4000-8000-000000000202", subscriptionId: "00000000-0000-4000-8000-000000000302", external_id: "demo-grace", email: "grace@example.test", name: "Grace Hopper", price: PRICES.teamYearly, status: "active" as const },
  { id: "00000000-0000-4000-8000-000000000203", subscriptionId: "00000000-0000-4000-8000-000000000303", external_id: "demo-alan", email: "alan@example.test", name: "Alan Turing", price: PRICES.starterWeekly, status: "trialing" as const },
];
const DAY = 86_400_000;

export interface SeedResult {
  organizationId: string;
  created: number;
}

export async function seedDemo(db: Db, clock: Clock): Promise<SeedResult> {
  const now = clock.now();
  return withTransaction(db, async (tx) => {
    let created = 0;
    const count = (r: { numInsertedOrUpdatedRows?: bigint }[]) => (created += r.reduce((n, x) => n + Number(x.numInsertedOrUpdatedRows ?? 0n), 0));

    count(
      await tx
        .insertInto("organizations")
        .values({
          id: ORG,
          name: "Demo SaaS Inc.",
          default_currency: "USD",
          invoice_prefix: "DEMO",
          timezone: "Europe/Paris",
          billing_email: "billing@demo-saas.example",
          address_lines: ["12 Rue de la Paix", "75002 Paris", "France"],
          invoice_footer: "Demo SaaS Inc. · SIREN 123 456 789 · Questions? billing@demo-saas.example",
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute(),
    );
    count(
      await tx
        .insertInto("prices")
        .values([
          { id: PRICES.proMonthly, organization_id: ORG, name: "Pro (monthly)", unit_amount: 4900, currency: "USD", interval: "month" },
          { id: PRICES.teamYearly, organization_id: ORG, name: "Team (yearly)", unit_amount: 99_000, currency: "USD", interval: "year" },
          { id: PRICES.starterWeekly, organization_id: ORG, name: "Starter (weekly)", unit_amount: 900, currency: "USD", interval: "week", trial_period_days: 14 },
        ])
        .onConflict((oc) => oc.column("id").doNothing())
        .execute(),
    );

    for (const [i, c] of CUSTOMERS.entries()) {
      count(
        await tx
          .insertInto("customers")
          .values({ id: c.id, organization_id: ORG, external_id: c.external_id, email: c.email, name: c.name })
          .onConflict((oc) => oc.columns(["organization_id", "external_id"]).doNothing())
          .execute(),
      );
      const start = new Date(now.getTime() - (i + 1) * DAY);
      const end = new Date(start.getTime() + (c.status === "trialing" ? 14 : 30) * DAY);
      const inserted = await tx
        .insertInto("subscriptions")
        .values({
          id: c.subscriptionId,
          organization_id: ORG,
          customer_id: c.id,
          status: c.status,
          currency: "USD",
          billing_cycle_anchor: start,
          current_period_start: start,
          current_period_end: end,
          trial_end: c.status === "trialing" ? end : null,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
      created += 1;
      await tx.insertInto("subscription_items").values({ subscription_id: c.subscriptionId, price_id: c.price, quantity: 1, kind: "static" }).execute();
      await tx
        .insertInto("billing_periods")
        .values({ subscription_id: c.subscriptionId, starts_at: start, ends_at: end, status: "active", is_trial: c.status === "trialing" })
        .execute();
      created += 2;
    }
    return { organizationId: ORG, created };
  });
}
