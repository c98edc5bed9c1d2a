import { randomUUID } from "node:crypto";
import type { TestClock } from "@paycron/core";
import type { Db, PaymentStatus, WebhookEvent } from "@paycron/db";
import { createCustomer, createOrganization } from "@paycron/db/testing";
import { createLocalStripeClient, type Stripe } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";

/** The Stripe emulator and the real SDK pointed at it, on the test's clock. */
export async function stripeOnClock(clock: TestClock): Promise<{ emulator: StripeEmulator; stripe: Stripe }> {
  const emulator = await startStripeEmulator({ clock });
  return { emulator, stripe: createLocalStripeClient(emulator.url) };
}

type StripeEventJson = { id: string; type: string; created: number } & Record<string, unknown>;

/** The emulator's events of one type, oldest first. */
export function emittedEvents(emulator: StripeEmulator, type: string): StripeEventJson[] {
  return emulator.events().filter((e) => e.type === type) as StripeEventJson[];
}

/** A webhook_events row as the inbox stores a verified delivery (the handlers read its payload). */
export function storedEvent(event: StripeEventJson, receivedAt: Date): WebhookEvent {
  return {
    id: randomUUID(),
    provider: "stripe",
    provider_event_id: event.id,
    type: event.type,
    payload: event,
    status: "received",
    attempts: 0,
    error: null,
    received_at: receivedAt,
    processed_at: null,
    replays: 0,
  };
}

/** A customer of ours that is `stripeCustomerId` at Stripe. */
export async function linkedCustomer(db: Db, stripeCustomerId: string) {
  const organization = await createOrganization(db);
  const customer = await createCustomer(db, { organization_id: organization.id, stripe_customer_id: stripeCustomerId });
  return { organizationId: organization.id, customerId: customer.id };
}

export interface PaidInvoiceInput {
  organizationId: string;
  customerId: string;
  amount: number;
  paymentIntentId: string;
  chargeId: string | null;
  status?: PaymentStatus;
}

/**
 * An invoice paid by one payment, the way the billing run leaves them (in tests the rows are
 * written directly: the billing run is another module's).
 */
export async function paidInvoice(db: Db, input: PaidInvoiceInput): Promise<{ invoiceId: string; paymentId: string }> {
  const paid = (input.status ?? "succeeded") === "succeeded";
  const at = new Date("2027-01-01T00:00:00Z");
  const invoice = await db
    .insertInto("invoices")
    .values({
      organization_id: input.organizationId,
      customer_id: input.customerId,
      number: `INV-${randomUUID().slice(0, 8)}`,
      status: paid ? "paid" : "open",
      currency: "USD",
      subtotal: input.amount,
      total: input.amount,
      amount_paid: paid ? input.amount : 0,
      amount_due: paid ? 0 : input.amount,
      issued_at: at,
      paid_at: paid ? at : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const payment = await db
    .insertInto("payments")
    .values({
      invoice_id: invoice.id,
      customer_id: input.customerId,
      amount: input.amount,
      currency: "USD",
      status: input.status ?? "succeeded",
      stripe_payment_intent_id: input.paymentIntentId,
      stripe_charge_id: input.chargeId,
      settled_at: paid ? at : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { invoiceId: invoice.id, paymentId: payment.id };
}
