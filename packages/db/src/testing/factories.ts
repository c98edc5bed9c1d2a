import { randomUUID } from "node:crypto";
import type { Db } from "../pool.ts";
import type { NewCustomer, Customer } from "../tables/customers.ts";
import type { NewOrganization, Organization } from "../tables/organizations.ts";
import type { NewPaymentMethod, PaymentMethod } from "../tables/payment-methods.ts";
import type { NewPrice, Price } from "../tables/prices.ts";
import type { NewSubscription, Subscription } from "../tables/subscriptions.ts";

/*
 * Valid rows in one line each. Natural keys get a random suffix so that tests never depend on
 * what another test inserted; pass an override to pin a value.
 */
const suffix = () => randomUUID().slice(0, 8);

export async function createOrganization(db: Db, overrides: Partial<NewOrganization> = {}): Promise<Organization> {
  return db
    .insertInto("organizations")
    .values({ name: `Org ${suffix()}`, default_currency: "USD", invoice_prefix: "INV", ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createCustomer(
  db: Db,
  overrides: Partial<NewCustomer> & { organization_id?: string } = {},
): Promise<Customer> {
  const organization_id = overrides.organization_id ?? (await createOrganization(db)).id;
  const external = `cust_${suffix()}`;
  return db
    .insertInto("customers")
    .values({ organization_id, external_id: external, email: `${external}@example.test`, name: "Ada Lovelace", ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createPaymentMethod(
  db: Db,
  overrides: Partial<NewPaymentMethod> & { customer_id: string },
): Promise<PaymentMethod> {
  return db
    .insertInto("payment_methods")
    .values({ stripe_payment_method_id: `pm_${suffix()}`, type: "card", brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, is_default: true, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createPrice(db: Db, overrides: Partial<NewPrice> & { organization_id: string }): Promise<Price> {
  return db
    .insertInto("prices")
    .values({ name: "Pro", unit_amount: 4900, currency: "USD", interval: "month", ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An active subscription whose current period is [start, end). */
export async function createSubscription(
  db: Db,
  overrides: Partial<NewSubscription> & { customer_id: string; organization_id: string },
): Promise<Subscription> {
  const start = new Date(overrides.current_period_start ?? "2026-01-01T00:00:00Z");
  const end = new Date(overrides.current_period_end ?? "2026-02-01T00:00:00Z");
  return db
    .insertInto("subscriptions")
    .values({
      status: "active",
      currency: "USD",
      billing_cycle_anchor: start,
      current_period_start: start,
      current_period_end: end,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
