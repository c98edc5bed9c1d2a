import type { BillingPeriodItemsTable } from "./tables/billing-period-items.ts";
import type { BillingPeriodsTable } from "./tables/billing-periods.ts";
import type { BillingRunsTable } from "./tables/billing-runs.ts";
import type { CustomersTable } from "./tables/customers.ts";
import type { EmailDeliveriesTable } from "./tables/email-deliveries.ts";
import type { InvoiceLineItemsTable } from "./tables/invoice-line-items.ts";
import type { InvoicesTable } from "./tables/invoices.ts";
import type { OrganizationsTable } from "./tables/organizations.ts";
import type { PaymentMethodsTable } from "./tables/payment-methods.ts";
import type { PaymentsTable } from "./tables/payments.ts";
import type { PricesTable } from "./tables/prices.ts";
import type { RateLimitBucketsTable } from "./tables/rate-limit-buckets.ts";
import type { SubscriptionItemsTable } from "./tables/subscription-items.ts";
import type { SubscriptionsTable } from "./tables/subscriptions.ts";
import type { TaskConcurrencySlotsTable } from "./tables/task-concurrency-slots.ts";
import type { TaskCronStateTable } from "./tables/task-cron-state.ts";
import type { TaskOutboxTable } from "./tables/task-outbox.ts";
import type { TaskRunAttemptsTable } from "./tables/task-run-attempts.ts";
import type { TaskRunsTable } from "./tables/task-runs.ts";
import type { UsageEventsTable } from "./tables/usage-events.ts";
import type { UsageMetersTable } from "./tables/usage-meters.ts";
import type { WebhookEventsTable } from "./tables/webhook-events.ts";

/** Keep in sync with the migrations in ./migrations and the table in docs/architecture.md. */
export interface Database {
  organizations: OrganizationsTable;
  customers: CustomersTable;
  payment_methods: PaymentMethodsTable;
  usage_meters: UsageMetersTable;
  usage_events: UsageEventsTable;
  prices: PricesTable;
  subscriptions: SubscriptionsTable;
  subscription_items: SubscriptionItemsTable;
  billing_periods: BillingPeriodsTable;
  billing_period_items: BillingPeriodItemsTable;
  billing_runs: BillingRunsTable;
  invoices: InvoicesTable;
  invoice_line_items: InvoiceLineItemsTable;
  payments: PaymentsTable;
  webhook_events: WebhookEventsTable;
  task_outbox: TaskOutboxTable;
  task_runs: TaskRunsTable;
  task_run_attempts: TaskRunAttemptsTable;
  task_concurrency_slots: TaskConcurrencySlotsTable;
  task_cron_state: TaskCronStateTable;
  email_deliveries: EmailDeliveriesTable;
  rate_limit_buckets: RateLimitBucketsTable;
}
