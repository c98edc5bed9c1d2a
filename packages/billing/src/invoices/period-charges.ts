import { sql } from "kysely";
import type { Tx, UsageAggregation } from "@paycron/db";
import { BillingError } from "../errors.ts";
import { periodNotFound, requirePeriodId } from "./billing-period-id.ts";
import { multiplyMinor, sumMinor } from "./money.ts";

export interface ChargeLine {
  kind: "subscription" | "usage";
  description: string;
  /** Items of a static price; for usage, the billable quantity (beyond what the price includes). */
  quantity: number;
  unitAmount: number;
  /** quantity × unitAmount, exactly. */
  amount: number;
  /** The window charged: the period for a static item, the period whose usage is billed for usage. */
  periodStart: Date;
  periodEnd: Date;
  priceId: string;
}

export interface PeriodCharges {
  subscriptionId: string;
  organizationId: string;
  customerId: string;
  currency: string;
  lines: ChargeLine[];
  /** Σ lines' amounts. */
  subtotal: number;
}

export interface ComputePeriodChargesInput {
  billingPeriodId: string;
}

interface Window {
  start: Date;
  end: Date;
}

/**
 * What a billing period charges, as lines, in a constant number of queries whatever the number of
 * items (the period, the items, one aggregate over usage events): the billing run of every
 * subscription calls it.
 *
 * - Static items live in the period (created before its end, not ended by its start) are charged
 *   quantity × unit amount for the period, in advance.
 * - Usage items are charged for their meter's aggregate (sum, count or max of the customer's
 *   events for this subscription or for none) less the price's included quantity, never below 0;
 *   a line of 0 is still listed, so the customer sees their usage. A usage-only subscription is
 *   billed in arrears, so the window is the period itself. With a static item too, the invoice is
 *   issued at the period's start and can only hold usage that has happened: the previous period's,
 *   as Stripe does at a renewal; the first period of such a subscription has no usage lines.
 * - Every price must be in the subscription's currency (`currency_mismatch` otherwise).
 */
export async function computePeriodCharges(tx: Tx, input: ComputePeriodChargesInput): Promise<PeriodCharges> {
  const period = await loadPeriod(tx, input.billingPeriodId);
  const periodWindow: Window = { start: period.starts_at, end: period.ends_at };
  const previousWindow: Window | null =
    period.previous_starts_at && period.previous_ends_at ? { start: period.previous_starts_at, end: period.previous_ends_at } : null;

  const items = await tx
    .selectFrom("subscription_items as si")
    .innerJoin("prices as p", "p.id", "si.price_id")
    .leftJoin("usage_meters as m", "m.id", "p.usage_meter_id")
    .select([
      "si.kind",
      "si.quantity",
      "si.created_at",
      "si.ended_at",
      "p.id as price_id",
      "p.name as price_name",
      "p.unit_amount",
      "p.currency",
      "p.included_quantity",
      "p.usage_meter_id",
      "m.name as meter_name",
      "m.aggregation",
    ])
    .where("si.subscription_id", "=", period.subscription_id)
    .where("si.created_at", "<", period.ends_at)
    // Live in this period or in the previous one (whose usage this period may bill).
    .where((eb) => eb.or([eb("si.ended_at", "is", null), eb("si.ended_at", ">", previousWindow?.start ?? period.starts_at)]))
    .orderBy("si.created_at")
    .orderBy("si.id")
    .execute();

  const liveIn = (item: (typeof items)[number], window: Window) =>
    item.created_at < window.end && (item.ended_at === null || item.ended_at > window.start);
  const staticItems = items.filter((item) => item.kind === "static" && liveIn(item, periodWindow));
  const usageWindow = staticItems.length === 0 ? periodWindow : previousWindow;
  const usageItems = usageWindow ? items.filter((item) => item.kind === "usage" && liveIn(item, usageWindow)) : [];

  for (const item of [...staticItems, ...usageItems]) {
    if (item.currency !== period.currency) {
      throw new BillingError(
        "currency_mismatch",
        `price ${item.price_id} is in ${item.currency} but subscription ${period.subscription_id} bills in ${period.currency}`,
        { details: { priceId: item.price_id, priceCurrency: item.currency, subscriptionCurrency: period.currency } },
      );
    }
  }

  const formatDate = dateFormatter(period.timezone);
  const lines: ChargeLine[] = staticItems.map((item) => ({
    kind: "subscription",
    description: `${item.price_name}${item.quantity === 1 ? "" : ` × ${formatCount(item.quantity)}`} (${formatDate(period.starts_at)} – ${formatDate(period.ends_at)})`,
    quantity: item.quantity,
    unitAmount: item.unit_amount,
    amount: multiplyMinor(item.quantity, item.unit_amount),
    periodStart: period.starts_at,
    periodEnd: period.ends_at,
    priceId: item.price_id,
  }));

  if (usageWindow && usageItems.length > 0) {
    const meters = usageItems.map((item) => {
      if (item.usage_meter_id === null || item.aggregation === null) {
        throw new BillingError("usage_price_without_meter", `usage item's price ${item.price_id} has no usage meter`, {
          details: { priceId: item.price_id, subscriptionId: period.subscription_id },
        });
      }
      return item.usage_meter_id;
    });
    const usage = await aggregateUsage(tx, {
      customerId: period.customer_id,
      subscriptionId: period.subscription_id,
      meterIds: [...new Set(meters)],
      window: usageWindow,
    });
    for (const item of usageItems) {
      const aggregate = usage.get(item.usage_meter_id!)?.[item.aggregation!] ?? 0;
      const billable = Math.max(0, aggregate - item.included_quantity);
      const included = item.included_quantity > 0 ? ` (${formatCount(item.included_quantity)} included)` : "";
      lines.push({
        kind: "usage",
        description: `${item.meter_name}: ${formatCount(aggregate)}${included}`,
        quantity: billable,
        unitAmount: item.unit_amount,
        amount: multiplyMinor(billable, item.unit_amount),
        periodStart: usageWindow.start,
        periodEnd: usageWindow.end,
        priceId: item.price_id,
      });
    }
  }

  return {
    subscriptionId: period.subscription_id,
    organizationId: period.organization_id,
    customerId: period.customer_id,
    currency: period.currency,
    lines,
    subtotal: sumMinor(lines.map((line) => line.amount)),
  };
}

async function loadPeriod(tx: Tx, billingPeriodId: string) {
  requirePeriodId(billingPeriodId);
  const period = await tx
    .selectFrom("billing_periods as bp")
    .innerJoin("subscriptions as s", "s.id", "bp.subscription_id")
    .innerJoin("organizations as o", "o.id", "s.organization_id")
    .select((eb) => {
      const previous = eb
        .selectFrom("billing_periods as prev")
        .whereRef("prev.subscription_id", "=", "bp.subscription_id")
        .whereRef("prev.starts_at", "<", "bp.starts_at")
        .orderBy("prev.starts_at", "desc")
        .limit(1);
      return [
        "bp.subscription_id",
        "bp.starts_at",
        "bp.ends_at",
        "s.organization_id",
        "s.customer_id",
        "s.currency",
        "o.timezone",
        previous.select("prev.starts_at").as("previous_starts_at"),
        previous.select("prev.ends_at").as("previous_ends_at"),
      ];
    })
    .where("bp.id", "=", billingPeriodId)
    .executeTakeFirst();
  if (!period) throw periodNotFound(billingPeriodId);
  return period;
}

type Aggregates = Record<UsageAggregation, number>;

/** One query for every meter: sum, count and max per meter, so each item picks its own. */
async function aggregateUsage(
  tx: Tx,
  input: { customerId: string; subscriptionId: string; meterIds: string[]; window: Window },
): Promise<Map<string, Aggregates>> {
  const rows = await tx
    .selectFrom("usage_events")
    .select([
      "usage_meter_id",
      // As text: a sum past 2^53 must be refused, not made a RangeError by the int8 parser.
      sql<string>`coalesce(sum(quantity), 0)::text`.as("sum"),
      sql<string>`count(*)::text`.as("count"),
      sql<string>`coalesce(max(quantity), 0)::text`.as("max"),
    ])
    .where("customer_id", "=", input.customerId)
    .where("usage_meter_id", "in", input.meterIds)
    .where("occurred_at", ">=", input.window.start)
    .where("occurred_at", "<", input.window.end)
    // Events reported for another subscription of the same customer are that one's to bill.
    .where((eb) => eb.or([eb("subscription_id", "=", input.subscriptionId), eb("subscription_id", "is", null)]))
    .groupBy("usage_meter_id")
    .execute();
  return new Map(
    rows.map((row) => [row.usage_meter_id, { sum: toQuantity(row.sum), count: toQuantity(row.count), max: toQuantity(row.max) }]),
  );
}

function toQuantity(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new BillingError("amount_out_of_range", `usage aggregate ${text} is outside the safe integer range`, { details: { value: text } });
  }
  return value;
}

const countFormat = new Intl.NumberFormat("en-US");
const formatCount = (n: number) => countFormat.format(n);

/** "1 Mar 2027", on the organization's calendar. */
/** Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(timezone: string): (date: Date) => string {
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: timezone });
    dateFormats.set(timezone, format);
  }
  return (date) => format.format(date);
}
