/** @jsxImportSource hono/jsx */
import type { Customer, EmailDelivery, TaskRun } from "@paycron/db";
import { billingRunTaskKey } from "@paycron/billing";
import { iso, money, relative, shortId } from "../format.ts";
import { BASE, Page, Status, Table } from "../layout.tsx";
import type { BillingRunRow, EmailRow, InvoiceRow, PastDueRow, SubscriptionRow } from "../queries/billing.ts";

const customerLink = (id: string, label: string) => <a href={`${BASE}/customers/${id}`}>{label}</a>;

/** The runs list narrowed to a billing run's runs: billing keys them `billing-run:<id>…` (billingRunTaskKey). */
export const billingRunRuns = (id: string) => `${BASE}/runs?key=${encodeURIComponent(billingRunTaskKey(id))}`;

function BillingRuns(props: { runs: BillingRunRow[]; now: Date; label: string; due?: boolean; showCustomer?: boolean }) {
  if (props.runs.length === 0) return <p class="muted">None.</p>;
  return (
    <Table head={["billing run", ...(props.showCustomer === false ? [] : ["customer"]), "attempt", "status", props.due ? "scheduled for" : "created", "amount", "error"]} label={props.label}>
      {props.runs.map((r) => (
        <tr>
          <td class="mono">
            <a href={billingRunRuns(r.id)} title="the runs that worked on this billing run">
              {shortId(r.id)}
            </a>
          </td>
          {props.showCustomer === false ? null : <td>{customerLink(r.customer_id, r.customer_email)}</td>}
          <td>{r.attempt}</td>
          <td>
            <Status status={r.status} />
          </td>
          <td title={iso(props.due ? r.scheduled_for : r.created_at)}>{relative(props.due ? r.scheduled_for : r.created_at, props.now)}</td>
          <td>{money(r.charge_amount, r.currency)}</td>
          <td class="wrap">{r.error ? String((r.error as { message?: unknown }).message ?? JSON.stringify(r.error)) : ""}</td>
        </tr>
      ))}
    </Table>
  );
}

function PastDue(props: { rows: PastDueRow[]; now: Date; showCustomer?: boolean }) {
  if (props.rows.length === 0) return <p class="muted">None.</p>;
  return (
    <Table head={["subscription", ...(props.showCustomer === false ? [] : ["customer"]), "dunning step", "next attempt", "then"]} label="past_due subscriptions">
      {props.rows.map((s) => (
        <tr>
          <td class="mono">{shortId(s.id)}</td>
          {props.showCustomer === false ? null : <td>{customerLink(s.customer_id, s.customer_email)}</td>}
          <td>
            {s.step} of {s.steps} failed
          </td>
          <td>{s.next_attempt_at ? `${iso(s.next_attempt_at)} (${relative(s.next_attempt_at, props.now)})` : "none scheduled"}</td>
          <td>{s.final_action}</td>
        </tr>
      ))}
    </Table>
  );
}

function Invoices(props: { rows: InvoiceRow[]; now: Date; showCustomer?: boolean }) {
  if (props.rows.length === 0) return <p class="muted">None.</p>;
  return (
    <Table head={["invoice", ...(props.showCustomer === false ? [] : ["customer"]), "status", "total", "due", "issued", "PDF", "receipt"]} label="Invoices">
      {props.rows.map((i) => (
        <tr>
          <td class="mono">{i.number ?? shortId(i.id)}</td>
          {props.showCustomer === false ? null : <td>{customerLink(i.customer_id, i.customer_email)}</td>}
          <td>
            <Status status={i.status} />
          </td>
          <td>{money(i.total, i.currency)}</td>
          <td>{money(i.amount_due, i.currency)}</td>
          <td>{i.issued_at ? relative(i.issued_at, props.now) : "—"}</td>
          <td>{documentLink(i.pdf_object, "PDF")}</td>
          <td>{documentLink(i.receipt_object, "receipt")}</td>
        </tr>
      ))}
    </Table>
  );
}

/** A stored document opens through the dashboard, which signs a short-lived URL for it. */
function documentLink(key: string | null, label: string) {
  return key ? (
    <a href={`${BASE}/documents/${key}`} title={key}>
      {label}
    </a>
  ) : (
    "—"
  );
}

function Emails(props: { rows: EmailRow[]; now: Date }) {
  if (props.rows.length === 0) return <p class="muted">None.</p>;
  return (
    <Table head={["email", "to", "template", "status", "created"]} label="Emails">
      {props.rows.map((e) => (
        <tr>
          <td class="wrap">
            <a href={`${BASE}/emails/${e.id}`}>{e.subject}</a>
          </td>
          <td>{e.recipient}</td>
          <td class="mono">{e.template}</td>
          <td>
            <Status status={e.status} />
            {e.error ? <span class="muted"> {e.error}</span> : null}
          </td>
          <td title={iso(e.created_at)}>{relative(e.created_at, props.now)}</td>
        </tr>
      ))}
    </Table>
  );
}

export function BillingPage(props: {
  due: BillingRunRow[];
  recent: BillingRunRow[];
  pastDue: PastDueRow[];
  invoices: InvoiceRow[];
  emails: EmailRow[];
  customers: Array<{ id: string; email: string; name: string | null }> | null;
  search: string;
  now: Date;
}) {
  return (
    <Page title="Billing" section="billing">
      <h1>Billing</h1>
      <form class="filters" method="get" action={`${BASE}/billing`} role="search">
        <label>
          Find a customer (email, name or external id)
          <input type="search" name="customer" value={props.search} data-search="" />
        </label>
        <button type="submit">Find</button>
      </form>
      {props.customers ? (
        props.customers.length ? (
          <ul>
            {props.customers.map((c) => (
              <li>
                {customerLink(c.id, c.email)} {c.name ? <span class="muted">{c.name}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No customer matches.</p>
        )
      ) : null}
      <h2>Due billing runs (next 24 h)</h2>
      <BillingRuns runs={props.due} now={props.now} label="Due billing runs" due />
      <h2>Recent billing runs</h2>
      <BillingRuns runs={props.recent} now={props.now} label="Recent billing runs" />
      <h2>past_due subscriptions</h2>
      <PastDue rows={props.pastDue} now={props.now} />
      <h2>Recent invoices</h2>
      <Invoices rows={props.invoices} now={props.now} />
      <h2>Emails (local outbox)</h2>
      <Emails rows={props.emails} now={props.now} />
    </Page>
  );
}

export function CustomerPage(props: {
  customer: Customer;
  subscriptions: SubscriptionRow[];
  due: BillingRunRow[];
  recent: BillingRunRow[];
  pastDue: PastDueRow[];
  invoices: InvoiceRow[];
  emails: EmailRow[];
  payments: Array<{ id: string; amount: number; amount_refunded: number; currency: string; status: string; stripe_payment_intent_id: string | null; failure_code: string | null; failure_message: string | null; created_at: Date }>;
  runs: TaskRun[];
  now: Date;
}) {
  const c = props.customer;
  return (
    <Page title={c.email} section="billing">
      <h1>{c.name ? `${c.name} <${c.email}>` : c.email}</h1>
      <dl class="facts">
        <dt>id</dt>
        <dd class="mono">{c.id}</dd>
        <dt>external id</dt>
        <dd class="mono">{c.external_id}</dd>
        <dt>Stripe customer</dt>
        <dd class="mono">{c.stripe_customer_id ?? "—"}</dd>
        <dt>locale</dt>
        <dd>{c.locale}</dd>
        <dt>since</dt>
        <dd>{iso(c.created_at)}</dd>
      </dl>
      <h2>Subscriptions</h2>
      {props.subscriptions.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <Table head={["subscription", "status", "period", "cancels at period end"]} label="Subscriptions">
          {props.subscriptions.map((s) => (
            <tr>
              <td class="mono">{s.id}</td>
              <td>
                <Status status={s.status} />
              </td>
              <td>
                {iso(s.current_period_start)} → {iso(s.current_period_end)}
              </td>
              <td>{s.cancel_at_period_end ? "yes" : "no"}</td>
            </tr>
          ))}
        </Table>
      )}
      <h2>Dunning</h2>
      <PastDue rows={props.pastDue} now={props.now} showCustomer={false} />
      <h2>Due billing runs</h2>
      <BillingRuns runs={props.due} now={props.now} label="Due billing runs" due showCustomer={false} />
      <h2>Billing runs</h2>
      <BillingRuns runs={props.recent} now={props.now} label="Billing runs" showCustomer={false} />
      <h2>Payments</h2>
      {props.payments.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <Table head={["payment", "status", "amount", "refunded", "PaymentIntent", "failure", "created"]} label="Payments">
          {props.payments.map((p) => (
            <tr>
              <td class="mono">{shortId(p.id)}</td>
              <td>
                <Status status={p.status} />
              </td>
              <td>{money(p.amount, p.currency)}</td>
              <td>{money(p.amount_refunded, p.currency)}</td>
              <td class="mono">{p.stripe_payment_intent_id ?? "—"}</td>
              <td class="wrap">{p.failure_code ? `${p.failure_code}: ${p.failure_message ?? ""}` : ""}</td>
              <td>{iso(p.created_at)}</td>
            </tr>
          ))}
        </Table>
      )}
      <h2>Invoices</h2>
      <Invoices rows={props.invoices} now={props.now} showCustomer={false} />
      <h2>Emails</h2>
      <Emails rows={props.emails} now={props.now} />
      <h2>Runs</h2>
      {props.runs.length === 0 ? (
        <p class="muted">None: no run's payload names this customer's billing runs, subscriptions or payments.</p>
      ) : (
        <Table head={["run", "task", "status", "attempt", "created"]} label="Runs about this customer">
          {props.runs.map((r) => (
            <tr>
              <td class="mono">
                <a href={`${BASE}/runs/${r.id}`}>{shortId(r.id)}</a>
              </td>
              <td>{r.task_id}</td>
              <td>
                <Status status={r.status} />
              </td>
              <td>
                {r.attempt}/{r.max_attempts}
              </td>
              <td title={iso(r.created_at)}>{relative(r.created_at, props.now)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}

export function EmailPage(props: { email: EmailDelivery }) {
  const e = props.email;
  return (
    <Page title={e.subject} section="billing">
      <h1>{e.subject}</h1>
      <dl class="facts">
        <dt>to</dt>
        <dd>{e.recipient}</dd>
        <dt>template</dt>
        <dd class="mono">{e.template}</dd>
        <dt>status</dt>
        <dd>
          <Status status={e.status} />
        </dd>
        <dt>idempotency key</dt>
        <dd class="mono">{e.idempotency_key}</dd>
        <dt>provider message</dt>
        <dd class="mono">{e.provider_message_id ?? "—"}</dd>
        <dt>created</dt>
        <dd>{iso(e.created_at)}</dd>
        <dt>sent</dt>
        <dd>{iso(e.sent_at)}</dd>
        {e.error ? (
          <>
            <dt>error</dt>
            <dd>{e.error}</dd>
          </>
        ) : null}
      </dl>
      {e.html ? (
        <>
          <h2>HTML</h2>
          {/* sandboxed twice (the attribute and the frame's own CSP): the email's markup cannot run or reach the dashboard. */}
          <iframe title="Email HTML" sandbox="" src={`${BASE}/emails/${e.id}/html`} style="width:100%;min-height:480px;border:1px solid var(--line);border-radius:6px;background:#fff"></iframe>
        </>
      ) : null}
      {e.text ? (
        <>
          <h2>Text</h2>
          <pre>{e.text}</pre>
        </>
      ) : null}
    </Page>
  );
}
