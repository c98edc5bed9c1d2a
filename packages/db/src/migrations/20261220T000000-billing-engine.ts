import { type Kysely, sql } from "kysely";

/*
 * What the billing engine needs beyond the first schema:
 * - payments.last_event_at: the Stripe `created` time of the PaymentIntent state last applied, so
 *   an older event (delivered late or twice) never overwrites a newer state;
 * - disputes: the dispute on a payment's charge, and a flag on its invoice;
 * - organizations.payment_timeout_hours: how long a payment may stay `processing` or
 *   `requires_action`, per payment method type, before the stale sweep gives up on it (a card
 *   answers in hours, a bank debit takes days: one window for all is how slow payments fail);
 * - billing_runs.charge_requested_at and charge_amount: the recorded intent of a run's charge.
 *   Once set, a retry sends Stripe the same parameters with the same idempotency key (Stripe
 *   refuses a reused key with other parameters), even if the default card changed meanwhile;
 * - invoices.amount_refunded: money paid and given back. amount_paid stays what the customer has
 *   paid net of refunds (invariant 2), and a refund does not make a paid invoice due again, so
 *   amount_due = total - amount_paid - amount_refunded.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table payments add column last_event_at timestamptz;
    alter table billing_runs add column charge_requested_at timestamptz;
    alter table billing_runs add column charge_amount minor_units;
    alter table payments add column stripe_dispute_id text unique;
    alter table payments add column disputed_at timestamptz;
    alter table invoices add column disputed_at timestamptz;
    alter table invoices add column amount_refunded minor_units not null default 0;
    do $$
    declare c text;
    begin
      select conname into c from pg_constraint
        where conrelid = 'invoices'::regclass and contype = 'c'
          and pg_get_constraintdef(oid) like '%amount_due%total%amount_paid%'
          and pg_get_constraintdef(oid) not like '%paid_at%';
      execute format('alter table invoices drop constraint %I', c);
    end $$;
    alter table invoices add constraint invoices_amount_due
      check (amount_due = total - amount_paid - amount_refunded);
    alter table organizations add column payment_timeout_hours jsonb not null
      default '{"card": 24, "link": 24, "us_bank_account": 168, "sepa_debit": 336}'
      check (jsonb_typeof(payment_timeout_hours) = 'object');
    create index payments_pending on payments (created_at) where status in ('processing', 'requires_action');
    create index subscriptions_incomplete on subscriptions (created_at) where status = 'incomplete';
    create index subscriptions_past_due on subscriptions (id) where status = 'past_due';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists subscriptions_past_due;
    drop index if exists subscriptions_incomplete;
    drop index if exists payments_pending;
    alter table organizations drop column if exists payment_timeout_hours;
    alter table invoices drop constraint if exists invoices_amount_due;
    alter table invoices drop column if exists amount_refunded;
    alter table invoices add check (amount_due = total - amount_paid);
    alter table invoices drop column if exists disputed_at;
    alter table payments drop column if exists disputed_at;
    alter table payments drop column if exists stripe_dispute_id;
    alter table payments drop column if exists last_event_at;
    alter table billing_runs drop column if exists charge_amount;
    alter table billing_runs drop column if exists charge_requested_at;
  `.execute(db);
}
