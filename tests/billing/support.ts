import { afterAll, beforeAll } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import type { NewOrganization, NewPrice } from "@paycron/db";
import { createCustomer, createOrganization, createPrice, useTestDb } from "@paycron/db/testing";
import { createSubscription, paymentMethodDetails, type BillingDeps } from "@paycron/billing";
import { createWebhookInbox, loadWebhookEvent, recordStripeEvent } from "@paycron/inbox";
import { createLocalStripeClient, type Stripe } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";
import type { ProviderFactories } from "@paycron/runtime";
import { testDocumentProviders } from "../support/document-providers.ts";

export const START = "2027-01-15T10:00:00.000Z";
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface BillingHarness {
  readonly clock: TestClock;
  readonly emulator: StripeEmulator;
  readonly stripe: Stripe;
  readonly deps: BillingDeps;
  readonly db: BillingDeps["db"];
  readonly url: string;
  /** Every provider a task may need: Stripe on the emulator, documents and emails under a temp dir. */
  readonly providers: Partial<ProviderFactories>;
  readonly documents: ReturnType<typeof testDocumentProviders>;
}

/**
 * A test file's billing world: its own database, a TestClock shared by our code and the Stripe
 * emulator (the real SDK talks to it over HTTP), and BillingDeps over both.
 */
export function useBilling(): BillingHarness {
  const t = useTestDb();
  const clock = new TestClock(START);
  const h = { clock } as { -readonly [K in keyof BillingHarness]: BillingHarness[K] };
  beforeAll(async () => {
    h.emulator = await startStripeEmulator({ clock, idSeed: "bill" });
    h.stripe = createLocalStripeClient(h.emulator.url);
    h.db = t.db;
    h.url = t.url;
    h.deps = { db: t.db, clock, logger: silentLogger(), stripe: h.stripe };
    h.documents = testDocumentProviders({ clock, logger: silentLogger() });
    h.providers = { stripe: () => h.stripe, ...h.documents.providers };
  });
  afterAll(async () => {
    await h.emulator?.stop();
  });
  return h;
}

export interface SignUpOptions {
  /** A Stripe test payment method (pm_card_visa, pm_card_chargeCustomerFail, …); null for none. */
  card?: string | null;
  backupCard?: string;
  price?: Partial<NewPrice>;
  organization?: Partial<NewOrganization>;
  organizationId?: string;
}

/**
 * A customer as sign-up leaves one: a Stripe customer with the card attached, our rows for both
 * (the card the default), and a subscription created by createSubscription.
 */
export async function signUp(h: BillingHarness, options: SignUpOptions = {}) {
  const organizationId = options.organizationId ?? (await createOrganization(h.db, options.organization)).id;
  const stripeCustomer = await h.stripe.customers.create({ email: "ada@example.test" });
  const customer = await createCustomer(h.db, { organization_id: organizationId, stripe_customer_id: stripeCustomer.id });
  const card = options.card === undefined ? "pm_card_visa" : options.card;
  const defaultPm = card ? await attach(h, customer.id, stripeCustomer.id, card, true) : null;
  const backupPm = options.backupCard ? await attach(h, customer.id, stripeCustomer.id, options.backupCard, false) : null;
  const price = await createPrice(h.db, { organization_id: organizationId, unit_amount: 4900, ...options.price });
  const created = await createSubscription(h.deps, {
    customerId: customer.id,
    items: [{ priceId: price.id }],
    ...(backupPm ? { backupPaymentMethodId: backupPm } : {}),
  });
  return { ...created, organizationId, customerId: customer.id, stripeCustomerId: stripeCustomer.id, defaultPm, backupPm, priceId: price.id };
}

async function attach(h: BillingHarness, customerId: string, stripeCustomerId: string, testMethod: string, isDefault: boolean): Promise<string> {
  const pm = await h.stripe.paymentMethods.attach(testMethod, { customer: stripeCustomerId });
  const row = await h.db
    .insertInto("payment_methods")
    .values({
      customer_id: customerId,
      stripe_payment_method_id: pm.id,
      ...paymentMethodDetails(pm)!,
      is_default: isDefault,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Everything a test asserts about one subscription, read back from the database. */
export async function stateOf(h: BillingHarness, subscriptionId: string) {
  const subscription = await h.db.selectFrom("subscriptions").selectAll().where("id", "=", subscriptionId).executeTakeFirstOrThrow();
  const runs = await h.db.selectFrom("billing_runs").selectAll().where("subscription_id", "=", subscriptionId).orderBy("created_at").orderBy("attempt").execute();
  const invoices = await h.db.selectFrom("invoices").selectAll().where("subscription_id", "=", subscriptionId).orderBy("created_at").execute();
  const payments = invoices.length
    ? await h.db.selectFrom("payments").selectAll().where("invoice_id", "in", invoices.map((i) => i.id)).orderBy("created_at").execute()
    : [];
  return { subscription, runs, invoices, payments };
}

/** The emulator's PaymentIntents that name this billing run in their metadata. */
export function paymentIntentsOf(h: BillingHarness, billingRunId: string) {
  return h.emulator.paymentIntents().filter((pi) => pi.metadata?.billing_run_id === billingRunId);
}

export function chargesOf(h: BillingHarness, stripeCustomerId: string) {
  return h.emulator.charges().filter((c) => c.customer === stripeCustomerId && c.status === "succeeded");
}

/** The customer saves a new card through a SetupIntent; returns the emulator's setup_intent.succeeded event, stored by the inbox. */
export async function saveNewCard(h: BillingHarness, stripeCustomerId: string, card = "pm_card_visa") {
  const setupIntent = await h.stripe.setupIntents.create({ customer: stripeCustomerId, payment_method: card, confirm: true });
  const event = h.emulator.events().find((e) => e.type === "setup_intent.succeeded" && e.data.object.id === setupIntent.id);
  if (!event) throw new Error(`the emulator emitted no setup_intent.succeeded for ${setupIntent.id}`);
  return storeEvent(h, event as { id: string; type: string });
}

/** One of the emulator's events as the webhook inbox stores it (and routes it: its task's outbox row too). */
export async function storeEvent(h: BillingHarness, event: { id: string; type: string }) {
  const recorded = await recordStripeEvent(createWebhookInbox(h.db, h.clock), event);
  return loadWebhookEvent(h.db, recorded.id);
}
