import type { Db } from "@paycron/db";
import type { PlanKind } from "./scenario.ts";

export interface SimulatedOrganization {
  organizationId: string;
  meterId: string;
  prices: Record<PlanKind, string>;
}

/**
 * The one organization the simulation bills: UTC, the default dunning ladder (3, 5, 7 days, then
 * cancel) and one price per plan. The usage price bills API calls in arrears, the first 1,000 a
 * month included. Its invoice prefix carries the seed, so runs of different seeds can share a
 * database left for inspection.
 */
export async function createSimulatedOrganization(db: Db, input: { seed: number; now: Date }): Promise<SimulatedOrganization> {
  const created_at = input.now;
  const organization = await db
    .insertInto("organizations")
    .values({
      name: `Simulated SaaS (seed ${input.seed})`,
      default_currency: "USD",
      invoice_prefix: `SIM${input.seed}`.slice(0, 16),
      timezone: "UTC",
      created_at,
      updated_at: created_at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const organization_id = organization.id;
  const meter = await db
    .insertInto("usage_meters")
    .values({ organization_id, slug: "api_calls", name: "API calls", aggregation: "sum", created_at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const price = async (values: { name: string; unit_amount: number; interval: "week" | "month" | "year"; usage?: boolean }) =>
    (
      await db
        .insertInto("prices")
        .values({
          organization_id,
          name: values.name,
          unit_amount: values.unit_amount,
          currency: "USD",
          interval: values.interval,
          usage_meter_id: values.usage ? meter.id : null,
          included_quantity: values.usage ? 1_000 : 0,
          created_at,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  return {
    organizationId: organization_id,
    meterId: meter.id,
    prices: {
      monthly: await price({ name: "Pro (monthly)", unit_amount: 2_900, interval: "month" }),
      yearly: await price({ name: "Pro (yearly)", unit_amount: 29_000, interval: "year" }),
      weekly: await price({ name: "Starter (weekly)", unit_amount: 900, interval: "week" }),
      usage: await price({ name: "API (per call)", unit_amount: 2, interval: "month", usage: true }),
    },
  };
}
