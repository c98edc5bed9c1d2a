import type { createPool, Db } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";

/*
 * The billing bench's world: one organization, one monthly price of 49.00 USD, and N customers,
 * each with a Stripe customer in the emulator and pm_card_visa attached (created through the real
 * SDK), our rows for both, and an active subscription whose current period [PERIOD_START, T0) has
 * just ended: the state a month of sign-ups leaves behind once its first invoices are paid. The
 * hourly cron at T0 + 1 h must advance every one of them and execute every renewal run.
 */
export const PERIOD_START = new Date("2026-12-01T00:00:00.000Z");
export const T0 = new Date("2027-01-01T00:00:00.000Z");
export const UNIT_AMOUNT = 4_900;

export interface StripeCustomer {
  customer: string;
  paymentMethod: string;
}

/**
 * `n` Stripe customers with pm_card_visa attached, through the SDK against the emulator, `width`
 * requests in flight. Created once and reused by every measurement: a charge per period is what
 * a real customer sees too, and each measurement's PaymentIntents carry keys of its own runs.
 */
export async function createStripeCustomers(stripe: Stripe, n: number, width = 32): Promise<StripeCustomer[]> {
  const out: StripeCustomer[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const customer = await stripe.customers.create({ email: `bench-${i}@example.test` });
      const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
      out[i] = { customer: customer.id, paymentMethod: pm.id };
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
  return out;
}

type Pool = ReturnType<typeof createPool>;

/** Every billing and runtime table emptied (organizations cascade to everything billing). */
export async function emptyAll(pool: Pool): Promise<void> {
  // graphile's schema exists once a worker has started.
  const { rows } = await pool.query<{ graphile: boolean }>("select to_regclass('graphile_worker._private_jobs') is not null as graphile");
  const graphile = rows[0]!.graphile ? ", graphile_worker._private_jobs, graphile_worker._private_job_queues" : "";
  await pool.query(`truncate organizations, task_outbox, task_runs, task_concurrency_slots, task_cron_state${graphile} cascade`);
}

/**
 * The due state for the first `n` Stripe customers, in set-based statements (one per table).
 * Returns the organization id.
 */
export async function seedDueSubscriptions(db: Db, pool: Pool, customers: StripeCustomer[]): Promise<string> {
  const org = await db
    .insertInto("organizations")
    .values({ name: "Bench Org", default_currency: "USD", invoice_prefix: "BEN", timezone: "UTC" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const price = await db
    .insertInto("prices")
    .values({ organization_id: org.id, name: "Pro", unit_amount: UNIT_AMOUNT, currency: "USD", interval: "month" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const stripeCustomers = customers.map((c) => c.customer);
  const stripeMethods = customers.map((c) => c.paymentMethod);
  await pool.query(
    `with c as (
       insert into customers (organization_id, external_id, email, stripe_customer_id)
       select $1::uuid, 'bench-' || i, 'bench-' || i || '@example.test', s
       from unnest($2::text[]) with ordinality as u(s, i)
       returning id, stripe_customer_id)
     insert into payment_methods (customer_id, stripe_payment_method_id, type, brand, last4, exp_month, exp_year, is_default)
     select c.id, u.pm, 'card', 'visa', '4242', 12, 2034, true
     from unnest($2::text[], $3::text[]) as u(s, pm) join c on c.stripe_customer_id = u.s`,
    [org.id, stripeCustomers, stripeMethods],
  );
  await pool.query(
    `insert into subscriptions (organization_id, customer_id, status, currency, billing_cycle_anchor,
       current_period_start, current_period_end, default_payment_method_id, created_at, updated_at)
     select $1::uuid, pm.customer_id, 'active', 'USD', $2, $2, $3, pm.id, $2, $2 from payment_methods pm`,
    [org.id, PERIOD_START, T0],
  );
  await pool.query(
    `insert into subscription_items (subscription_id, price_id, quantity, kind, created_at)
     select id, $1::uuid, 1, 'static', $2 from subscriptions`,
    [price.id, PERIOD_START],
  );
  await pool.query(
    `insert into billing_periods (subscription_id, starts_at, ends_at, status, created_at, updated_at)
     select id, $1, $2, 'active', $1, $1 from subscriptions`,
    [PERIOD_START, T0],
  );
  await seedPaidFirstPeriods(pool, org.id, price.id);
  return org.id;
}

/*
 * What the first charge of each subscription left: its run succeeded, its invoice (numbered
 * BEN-000001…) paid by one succeeded payment. The renewal batch finds tables holding a month of
 * history, as it would in production, not empty ones (whose planner statistics would also say
 * "empty" and send every lookup to a sequential scan).
 */
async function seedPaidFirstPeriods(pool: Pool, organizationId: string, priceId: string): Promise<void> {
  const first = PERIOD_START;
  await pool.query(
    `with p as (
       select bp.id as period_id, s.id as subscription_id, s.customer_id, s.default_payment_method_id as pm,
              row_number() over (order by s.id) as i
       from billing_periods bp join subscriptions s on s.id = bp.subscription_id),
     r as (
       insert into billing_runs (billing_period_id, subscription_id, attempt, scheduled_for, status, payment_method_id,
         stripe_payment_intent_id, charge_requested_at, charge_amount, started_at, completed_at, created_at, updated_at)
       select period_id, subscription_id, 1, $2, 'succeeded', pm, 'pi_first_' || i, $2, $3, $2, $2, $2, $2 from p
       returning id, billing_period_id),
     inv as (
       insert into invoices (organization_id, customer_id, subscription_id, billing_period_id, number, status, currency,
         subtotal, total, amount_paid, amount_due, issued_at, due_at, paid_at, created_at, updated_at)
       select $1::uuid, customer_id, subscription_id, period_id, 'BEN-' || lpad(i::text, 6, '0'), 'paid', 'USD',
         $3, $3, $3, 0, $2, $2, $2, $2, $2 from p
       returning id, billing_period_id, customer_id),
     lines as (
       insert into invoice_line_items (invoice_id, kind, description, quantity, unit_amount, amount, period_start, period_end, price_id, created_at)
       select inv.id, 'subscription', 'Pro', 1, $3, $3, $2, $4, $5::uuid, $2 from inv)
     insert into payments (invoice_id, billing_run_id, customer_id, payment_method_id, amount, currency, status,
       stripe_payment_intent_id, stripe_charge_id, settled_at, created_at, updated_at)
     select inv.id, r.id, inv.customer_id, p.pm, $3, 'USD', 'succeeded', 'pi_first_' || p.i, 'ch_first_' || p.i, $2, $2, $2
     from inv join r on r.billing_period_id = inv.billing_period_id join p on p.period_id = inv.billing_period_id`,
    [organizationId, first, UNIT_AMOUNT, T0, priceId],
  );
  await pool.query("update organizations set next_invoice_number = (select count(*) + 1 from invoices) where id = $1", [organizationId]);
}

export interface BatchCheck {
  invoices: number;
  paid: number;
  paidAmount: number;
  payments: number;
  succeededPayments: number;
  runsSucceeded: number;
  periods: number;
}

/** What the batch left in our tables: the renewal periods' invoices, payments and runs. */
export async function checkBatch(pool: Pool): Promise<BatchCheck> {
  const { rows } = await pool.query<{ [K in keyof BatchCheck]: string }>(
    `with renewal as (select id from billing_periods where starts_at = $2),
     inv as (select * from invoices where billing_period_id in (select id from renewal))
     select
       (select count(*) from inv) as invoices,
       (select count(*) from inv where status = 'paid' and amount_due = 0 and amount_paid = total and total = $1) as paid,
       (select coalesce(sum(amount_paid), 0) from inv) as "paidAmount",
       (select count(*) from payments where invoice_id in (select id from inv)) as payments,
       (select count(*) from payments where invoice_id in (select id from inv) and status = 'succeeded') as "succeededPayments",
       (select count(*) from billing_runs where billing_period_id in (select id from renewal) and status = 'succeeded') as "runsSucceeded",
       (select count(*) from renewal join billing_periods bp using (id) where bp.status = 'active') as periods`,
    [UNIT_AMOUNT, T0],
  );
  const row = rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as BatchCheck;
}

/** Renewal invoices paid so far (the first periods' N are paid from the start): the end condition, polled. */
export async function paidInvoices(pool: Pool, n: number): Promise<number> {
  const { rows } = await pool.query<{ n: string }>("select count(*) as n from invoices where status = 'paid'");
  return Number(rows[0]!.n) - n;
}
