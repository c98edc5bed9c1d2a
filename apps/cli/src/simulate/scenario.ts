import { createPrng, type Prng } from "./prng.ts";

/** The plans customers choose from (organization.ts creates one price for each). */
export type PlanKind = "monthly" | "yearly" | "weekly" | "usage";
export type PayerKind = "card" | "bank" | "declining_card";

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Daily usage is reported at 12:30 UTC. */
const USAGE_REPORTED_AT_MS = 12.5 * HOUR_MS;

/** How the simulated population behaves; fixed, so that a seed alone names a scenario. */
export const BEHAVIOUR = {
  /** Everyone signs up within this many days of the start. */
  signUpDays: 28,
  plans: [
    ["monthly", 50],
    ["weekly", 15],
    ["yearly", 10],
    ["usage", 25],
  ] as ReadonlyArray<readonly [PlanKind, number]>,
  /** Of the customers whose card does not decline, the share paying by US bank account. */
  bankShare: 0.1,
  /** Of the declining customers, the share whose card declines from the first charge (the rest later). */
  declineAtSignUp: 0.3,
  /** A card that was fine goes bad between these many days after sign-up. */
  goesBadAfterDays: [20, 120] as const,
  /** Each day a customer with a declining card fixes it with this probability. */
  fixPerDay: 0.08,
  /** Usage customers report a day's usage, at most this big (one event a day, at 12:30 UTC). */
  maxDailyUsage: 400,
} as const;

export type ScenarioAction =
  | { kind: "sign_up"; at: Date; customer: number }
  /** The customer's card is replaced by one that declines every charge. */
  | { kind: "card_goes_bad"; at: Date; customer: number }
  /** The customer sets up a good card (pm_card_visa) in place of the declining one. */
  | { kind: "card_fixed"; at: Date; customer: number }
  | { kind: "usage"; at: Date; customer: number; quantity: number };

export interface PlannedCustomer {
  index: number;
  plan: PlanKind;
  payer: PayerKind;
  signUpAt: Date;
}

export interface Scenario {
  start: Date;
  end: Date;
  customers: PlannedCustomer[];
  /** Every action of every customer, in time order (ties by customer, then kind order above). */
  actions: ScenarioAction[];
}

export interface ScenarioInput {
  customers: number;
  months: number;
  declineRate: number;
  seed: number;
  start: Date;
}

/**
 * Draws the whole scenario up front from the seed: who signs up when on which plan, how they pay,
 * when a card goes bad and when it is fixed, each day's usage. Nothing the system does feeds back
 * into the draws, so the same seed gives the same actions at the same simulated times.
 */
export function generateScenario(input: ScenarioInput): Scenario {
  const prng = createPrng(input.seed);
  const start = input.start;
  const end = addMonthsUtc(start, input.months);
  const customers: PlannedCustomer[] = [];
  const actions: ScenarioAction[] = [];
  for (let index = 0; index < input.customers; index++) {
    // A minute inside the hour, so that anchors fall between cron slots as real sign-ups do.
    const signUpAt = new Date(start.getTime() + prng.int(0, BEHAVIOUR.signUpDays * 24 * 60 - 1) * 60_000 + 30_000);
    const plan = prng.weighted(BEHAVIOUR.plans);
    const payer: PayerKind = prng.chance(input.declineRate) ? "declining_card" : prng.chance(BEHAVIOUR.bankShare) ? "bank" : "card";
    customers.push({ index, plan, payer: payer === "declining_card" && !prng.chance(BEHAVIOUR.declineAtSignUp) ? "card" : payer, signUpAt });
    actions.push({ kind: "sign_up", at: signUpAt, customer: index });
    if (payer === "declining_card") planDecline(prng, customers[index]!, actions, end);
    if (plan === "usage") planUsage(prng, customers[index]!, actions, start, end);
  }
  actions.sort(byTime);
  return { start, end, customers, actions };
}

function planDecline(prng: Prng, customer: PlannedCustomer, actions: ScenarioAction[], end: Date): void {
  let badAt = customer.signUpAt;
  if (customer.payer !== "declining_card") {
    const [min, max] = BEHAVIOUR.goesBadAfterDays;
    badAt = new Date(customer.signUpAt.getTime() + prng.int(min * 24, max * 24) * HOUR_MS);
    if (badAt >= end) return;
    actions.push({ kind: "card_goes_bad", at: badAt, customer: customer.index });
  }
  for (let day = 1; ; day++) {
    const at = new Date(badAt.getTime() + day * DAY_MS);
    if (at >= end) return;
    if (prng.chance(BEHAVIOUR.fixPerDay)) {
      actions.push({ kind: "card_fixed", at, customer: customer.index });
      return;
    }
  }
}

function planUsage(prng: Prng, customer: PlannedCustomer, actions: ScenarioAction[], start: Date, end: Date): void {
  // One report a day, at the same time for everyone (a nightly batch, as usage often arrives):
  // one insert a day for the whole population instead of one clock stop per customer.
  const first = Math.ceil((customer.signUpAt.getTime() - start.getTime() - USAGE_REPORTED_AT_MS) / DAY_MS);
  for (let day = Math.max(first, 0); ; day++) {
    const at = new Date(start.getTime() + day * DAY_MS + USAGE_REPORTED_AT_MS);
    if (at >= end) return;
    if (at <= customer.signUpAt) continue;
    actions.push({ kind: "usage", at, customer: customer.index, quantity: prng.int(0, BEHAVIOUR.maxDailyUsage) });
  }
}

const KIND_ORDER: Record<ScenarioAction["kind"], number> = { sign_up: 0, card_goes_bad: 1, card_fixed: 2, usage: 3 };

function byTime(a: ScenarioAction, b: ScenarioAction): number {
  return a.at.getTime() - b.at.getTime() || a.customer - b.customer || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/** `months` calendar months after `date`, in UTC, clamped to the month's last day. */
export function addMonthsUtc(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}
