import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";

/** What billing functions run on: a task's deps, or a test's. */
export interface BillingDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  stripe: Stripe;
}

/** For the functions that never call Stripe. */
export type BillingDbDeps = Omit<BillingDeps, "stripe">;
