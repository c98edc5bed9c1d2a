import { type Kysely, sql } from "kysely";

/*
 * The whole billing data model of docs/architecture.md ("Data model"). Every uniqueness that an
 * idempotency claim depends on is a real constraint here, so a bug in application code surfaces
 * as a unique violation instead of a double charge. Money is bigint minor units beside an ISO
 * currency; every timestamp is timestamptz.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists btree_gist;

    create domain currency_code as text check (value ~ '^[A-Z]{3}$');
    create domain minor_units as bigint check (value >= 0);

    create table organizations (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      default_currency currency_code not null,
      invoice_prefix text not null check (invoice_prefix ~ '^[A-Z0-9-]{1,16}$'),
      next_invoice_number integer not null default 1 check (next_invoice_number >= 1),
      timezone text not null default 'UTC',
      dunning_retry_days integer[] not null default '{3,5,7}',
      dunning_final_action text not null default 'cancel'
        check (dunning_final_action in ('cancel', 'mark_unpaid', 'leave_past_due')),
      trial_end_without_payment_method text not null default 'cancel'
        check (trial_end_without_payment_method in ('cancel', 'pause')),
      trial_reminder_days integer not null default 3 check (trial_reminder_days >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table customers (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      external_id text not null check (length(external_id) between 1 and 255),
      email text not null check (position('@' in email) > 1),
      name text,
      locale text not null default 'en',
      stripe_customer_id text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organization_id, external_id)
    );

    create table payment_methods (
      id uuid primary key default gen_random_uuid(),
      customer_id uuid not null references customers(id),
      stripe_payment_method_id text not null unique,
      type text not null check (type in ('card', 'us_bank_account', 'sepa_debit', 'link')),
      brand text,
      last4 text check (last4 ~ '^[0-9]{4}$'),
      exp_month smallint check (exp_month between 1 and 12),
      exp_year smallint,
      is_default boolean not null default false,
      detached_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index payment_methods_one_default
      on payment_methods (customer_id) where is_default and detached_at is null;

    create table usage_meters (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      slug text not null check (slug ~ '^[a-z0-9_.-]{1,64}$'),
      name text not null,
      aggregation text not null check (aggregation in ('sum', 'count', 'max')),
      created_at timestamptz not null default now(),
      unique (organization_id, slug)
    );

    create table prices (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      name text not null,
      unit_amount minor_units not null,
      currency currency_code not null,
      interval text not null check (interval in ('day', 'week', 'month', 'year')),
      interval_count integer not null default 1 check (interval_count between 1 and 365),
      usage_meter_id uuid references usage_meters(id),
      included_quantity bigint not null default 0 check (included_quantity >= 0),
      trial_period_days integer not null default 0 check (trial_period_days between 0 and 730),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );

    create table subscriptions (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      customer_id uuid not null references customers(id),
      status text not null check (status in ('trialing', 'active', 'past_due', 'unpaid', 'canceled',
        'incomplete', 'incomplete_expired', 'paused')),
      currency currency_code not null,
      billing_cycle_anchor timestamptz not null,
      current_period_start timestamptz not null,
      current_period_end timestamptz not null,
      trial_end timestamptz,
      cancel_at_period_end boolean not null default false,
      cancel_at timestamptz,
      canceled_at timestamptz,
      cancellation_reason text,
      ended_at timestamptz,
      default_payment_method_id uuid references payment_methods(id),
      backup_payment_method_id uuid references payment_methods(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (current_period_end > current_period_start),
      check (status <> 'canceled' or canceled_at is not null)
    );
    create index subscriptions_customer on subscriptions (customer_id);
    create index subscriptions_due_period_end on subscriptions (current_period_end)
      where status in ('trialing', 'active', 'past_due');

    create table subscription_items (
      id uuid primary key default gen_random_uuid(),
      subscription_id uuid not null references subscriptions(id),
      price_id uuid not null references prices(id),
      quantity integer not null default 1 check (quantity >= 0),
      kind text not null check (kind in ('static', 'usage')),
      created_at timestamptz not null default now(),
      ended_at timestamptz
    );
    create index subscription_items_subscription on subscription_items (subscription_id);

    create table billing_periods (
      id uuid primary key default gen_random_uuid(),
      subscription_id uuid not null references subscriptions(id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      status text not null check (status in ('upcoming', 'active', 'completed', 'past_due', 'canceled')),
      is_trial boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_at > starts_at),
      unique (subscription_id, starts_at),
      -- Invariant 4: periods of one subscription never overlap.
      exclude using gist (subscription_id with =, tstzrange(starts_at, ends_at) with &&)
    );
    create index billing_periods_due on billing_periods (ends_at) where status in ('upcoming', 'active');

    create table billing_period_items (
      id uuid primary key default gen_random_uuid(),
      billing_period_id uuid not null references billing_periods(id),
      subscription_item_id uuid references subscription_items(id),
      price_id uuid not null references prices(id),
      kind text not null check (kind in ('static', 'usage')),
      description text not null,
      quantity bigint not null check (quantity >= 0),
      unit_amount minor_units not null,
      currency currency_code not null,
      created_at timestamptz not null default now()
    );
    create index billing_period_items_period on billing_period_items (billing_period_id);

    create table billing_runs (
      id uuid primary key default gen_random_uuid(),
      billing_period_id uuid not null references billing_periods(id),
      subscription_id uuid not null references subscriptions(id),
      attempt integer not null check (attempt >= 1),
      scheduled_for timestamptz not null,
      status text not null check (status in ('scheduled', 'in_progress', 'awaiting_payment', 'succeeded',
        'failed', 'aborted')),
      lease_until timestamptz,
      payment_method_id uuid references payment_methods(id),
      stripe_payment_intent_id text unique,
      last_event_at timestamptz,
      error jsonb,
      started_at timestamptz,
      completed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (billing_period_id, attempt)
    );
    -- At most one live attempt per period: a second concurrent scheduler loses on this index.
    create unique index billing_runs_one_live_per_period on billing_runs (billing_period_id)
      where status in ('scheduled', 'in_progress', 'awaiting_payment');
    create index billing_runs_due on billing_runs (scheduled_for) where status = 'scheduled';
    create index billing_runs_expired_lease on billing_runs (lease_until) where status = 'in_progress';

    create table invoices (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      customer_id uuid not null references customers(id),
      subscription_id uuid references subscriptions(id),
      billing_period_id uuid unique references billing_periods(id),
      number text,
      status text not null check (status in ('draft', 'open', 'paid', 'uncollectible', 'void')),
      currency currency_code not null,
      subtotal minor_units not null default 0,
      discount minor_units not null default 0,
      tax minor_units not null default 0,
      total minor_units not null default 0,
      amount_paid minor_units not null default 0,
      amount_due minor_units not null default 0,
      issued_at timestamptz,
      due_at timestamptz,
      paid_at timestamptz,
      voided_at timestamptz,
      pdf_object text,
      receipt_object text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organization_id, number),
      check (total = subtotal - discount + tax),
      check (amount_due = total - amount_paid),
      check (status <> 'paid' or (amount_due = 0 and paid_at is not null)),
      check (status = 'draft' or number is not null)
    );
    create index invoices_customer on invoices (customer_id);

    create table invoice_line_items (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices(id),
      kind text not null check (kind in ('subscription', 'usage', 'proration', 'credit')),
      description text not null,
      quantity bigint not null check (quantity >= 0),
      unit_amount bigint not null,
      amount bigint not null,
      period_start timestamptz,
      period_end timestamptz,
      price_id uuid references prices(id),
      created_at timestamptz not null default now(),
      check (kind = 'credit' or amount >= 0),
      check (kind <> 'credit' or amount <= 0)
    );
    create index invoice_line_items_invoice on invoice_line_items (invoice_id);

    create table payments (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices(id),
      billing_run_id uuid unique references billing_runs(id),
      customer_id uuid not null references customers(id),
      payment_method_id uuid references payment_methods(id),
      amount minor_units not null check (amount > 0),
      amount_refunded minor_units not null default 0,
      currency currency_code not null,
      status text not null check (status in ('processing', 'requires_action', 'succeeded', 'failed',
        'canceled', 'refunded')),
      stripe_payment_intent_id text unique,
      stripe_charge_id text unique,
      failure_code text,
      failure_message text,
      settled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (amount_refunded <= amount)
    );
    create index payments_invoice on payments (invoice_id);
    create index payments_processing on payments (created_at) where status = 'processing';

    create table usage_events (
      id uuid primary key default gen_random_uuid(),
      usage_meter_id uuid not null references usage_meters(id),
      customer_id uuid not null references customers(id),
      subscription_id uuid references subscriptions(id),
      quantity bigint not null check (quantity >= 0),
      occurred_at timestamptz not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 255),
      properties jsonb not null default '{}',
      created_at timestamptz not null default now(),
      unique (usage_meter_id, customer_id, idempotency_key)
    );
    create index usage_events_window on usage_events (customer_id, usage_meter_id, occurred_at);

    create table webhook_events (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('stripe', 'supabase')),
      provider_event_id text not null check (length(provider_event_id) between 1 and 255),
      type text not null,
      payload jsonb not null,
      status text not null check (status in ('received', 'processed', 'ignored', 'failed')),
      attempts integer not null default 0,
      error text,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      unique (provider, provider_event_id)
    );
    create index webhook_events_unprocessed on webhook_events (received_at) where status = 'received';

    create table task_outbox (
      id uuid primary key default gen_random_uuid(),
      task_id text not null,
      payload jsonb not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 2048),
      idempotency_expires_at timestamptz not null,
      concurrency_key text,
      available_at timestamptz not null default now(),
      lease_until timestamptz,
      dispatched_at timestamptz,
      engine_run_id text,
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      unique (task_id, idempotency_key)
    );
    create index task_outbox_undispatched on task_outbox (available_at) where dispatched_at is null;

    create table task_runs (
      id uuid primary key default gen_random_uuid(),
      task_id text not null,
      status text not null check (status in ('queued', 'delayed', 'executing', 'retrying', 'completed',
        'failed', 'canceled')),
      payload jsonb not null,
      attempt integer not null default 0,
      max_attempts integer not null default 1,
      output jsonb,
      error jsonb,
      idempotency_key text,
      concurrency_key text,
      outbox_id uuid references task_outbox(id) on delete set null,
      parent_run_id uuid references task_runs(id) on delete set null,
      run_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index task_runs_task on task_runs (task_id, created_at desc);
    create index task_runs_status on task_runs (status, created_at desc);

    create table email_deliveries (
      id uuid primary key default gen_random_uuid(),
      template text not null,
      recipient text not null,
      subject text not null,
      idempotency_key text not null unique,
      status text not null check (status in ('pending', 'sent', 'failed')),
      provider_message_id text unique,
      html text,
      text text,
      error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists email_deliveries, task_runs, task_outbox, webhook_events, usage_events,
      payments, invoice_line_items, invoices, billing_runs, billing_period_items, billing_periods,
      subscription_items, subscriptions, prices, usage_meters, payment_methods, customers,
      organizations cascade;
    drop domain if exists minor_units;
    drop domain if exists currency_code;
  `.execute(db);
}
