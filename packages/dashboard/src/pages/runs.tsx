/** @jsxImportSource hono/jsx */
import type { RunBrief, RunLogEntry } from "@paycron/local-engine";
import type { TaskRunError } from "@paycron/db";
import { duration, iso, json, money, relative, shortId } from "../format.ts";
import { BASE, Page, PostButton, SelectField, Status, Table } from "../layout.tsx";
import { billingRunRuns } from "./billing.tsx";
import type { BillingContext } from "../queries/billing-context.ts";
import type { TreeNode } from "../queries/run-tree.ts";
import { inMotion, RUN_STATUSES, type RunsQuery, type RunView } from "../queries/runs.ts";

type Notice = { text: string; bad?: boolean } | undefined;

export function runLink(id: string, label?: string) {
  return <a href={`${BASE}/runs/${id}`}>{label ?? shortId(id)}</a>;
}

function toQuery(query: RunsQuery, after?: string): string {
  const p = new URLSearchParams();
  if (query.task) p.set("task", query.task);
  if (query.status) p.set("status", query.status);
  if (query.since) p.set("since", query.since.toISOString().slice(0, 16));
  if (query.until) p.set("until", query.until.toISOString().slice(0, 16));
  if (query.key) p.set("key", query.key);
  if (query.q) p.set("q", query.q);
  if (query.routine) p.set("routine", "1");
  if (after) p.set("after", after);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function RunsTable(props: { runs: RunLogEntry[]; now: Date; showTask?: boolean }) {
  return (
    <Table head={["run", ...(props.showTask === false ? [] : ["task"]), "status", "attempt", "created", "took", "idempotency key"]} label="Runs">
      {props.runs.map((r) => (
        <tr>
          <td class="mono">{runLink(r.id)}</td>
          {props.showTask === false ? null : (
            <td>
              <a href={`${BASE}/tasks/${r.task_id}`}>{r.task_id}</a>
            </td>
          )}
          <td>
            <Status status={r.status} />
            {r.pending ? <span class="muted"> not dispatched</span> : null}
          </td>
          <td>{r.pending ? "—" : `${r.attempt}/${r.max_attempts}`}</td>
          <td title={iso(r.created_at)}>{relative(r.created_at, props.now)}</td>
          <td>{!r.pending && r.started_at && r.finished_at ? duration(r.finished_at.getTime() - r.started_at.getTime()) : r.pending && r.status === "delayed" ? `runs ${relative(r.run_at, props.now)}` : "—"}</td>
          <td class="mono wrap">{r.idempotency_key ?? "—"}</td>
        </tr>
      ))}
    </Table>
  );
}

export function RunsPage(props: { runs: RunLogEntry[]; next: string | null; query: RunsQuery; tasks: string[]; now: Date; notice?: Notice; error?: string }) {
  const { query } = props;
  // The newest page follows new runs as they come; an older page only while its runs move.
  const live = !query.after || inMotion(props.runs.map((r) => r.status));
  return (
    <Page title="Runs" section="runs" notice={props.notice}>
      <h1>Runs</h1>
      <form class="filters" method="get" action={`${BASE}/runs`} role="search">
        <SelectField label="Task" name="task" options={props.tasks} selected={query.task} any="all tasks" />
        <SelectField label="Status" name="status" options={RUN_STATUSES} selected={query.status} any="any" />
        <label>
          From (UTC)
          <input type="datetime-local" name="since" value={query.since?.toISOString().slice(0, 16) ?? ""} />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" name="until" value={query.until?.toISOString().slice(0, 16) ?? ""} />
        </label>
        <label>
          Idempotency key starts with
          <input type="text" name="key" value={query.key ?? ""} />
        </label>
        <label>
          Payload contains
          <input type="search" name="q" value={query.q ?? ""} data-search="" placeholder="press / to search" />
        </label>
        <label class="inline">
          <input type="checkbox" name="routine" value="1" checked={query.routine} /> outbox-sweep too
        </label>
        <button type="submit" class="primary">
          Filter
        </button>
        <a href={`${BASE}/runs`}>clear</a>
      </form>
      {props.error ? <p class="notice bad">{props.error}</p> : null}
      <div id="runs-live" data-live={live ? "on" : "off"}>
        {props.runs.length === 0 ? <p class="muted">No runs match.</p> : <RunsTable runs={props.runs} now={props.now} />}
      </div>
      <nav class="pager" aria-label="Pages">
        {query.after ? <a href={`${BASE}/runs${toQuery({ ...query, after: undefined })}`}>newest</a> : null}
        {props.next ? <a href={`${BASE}/runs${toQuery(query, props.next)}`} rel="next">older runs →</a> : null}
      </nav>
    </Page>
  );
}

function Brief(props: { run: RunBrief }) {
  return (
    <>
      {runLink(props.run.id)} {props.run.task_id} <Status status={props.run.status} />
      {props.run.pending ? <span class="muted"> not dispatched</span> : null}
    </>
  );
}

/** Each attempt: its start and end, how it ended, and the delay before the next one. */
function Attempts(props: { view: RunView; now: Date }) {
  const { run } = props.view;
  if (run.pending) return <p class="muted">Not dispatched yet{run.status === "delayed" ? `: due ${iso(run.run_at)} (${relative(run.run_at, props.now)})` : ""}.</p>;
  if (run.attempt === 0) return <p class="muted">{run.status === "canceled" ? "None: canceled before it started." : "None yet."}</p>;
  const recorded = new Map(props.view.attempts.map((a) => [a.attempt, a]));
  const rows = [];
  const segments: Segment[] = [];
  for (let n = 1; n <= run.attempt; n++) {
    const a = recorded.get(n);
    const current = n === run.attempt && !a;
    const started = a ? a.started_at : current ? (run.attempt_started_at ?? (n === 1 ? run.started_at : null)) : null;
    const ended = a ? a.ended_at : current ? run.finished_at : null;
    const error = a?.error as TaskRunError | null | undefined;
    const outcome = a
      ? a.outcome === "retrying"
        ? `failed: ${error?.message ?? "error"}`
        : `${a.outcome}${error ? `: ${error.message}` : ""}`
      : current
        ? run.status === "retrying"
          ? "failed"
          : run.status
        : "not recorded";
    const next = a?.next_attempt_at ?? (current && run.status === "retrying" ? run.run_at : null);
    if (started) segments.push({ from: started, to: ended ?? props.now, kind: ended ? (a || run.status !== "completed" ? "failed" : "completed") : "executing", label: `attempt ${n}` });
    rows.push(
      <tr>
        <td>
          {n} of {run.max_attempts}
        </td>
        <td>{iso(started)}</td>
        <td>{iso(ended)}</td>
        <td>{started && ended ? duration(ended.getTime() - started.getTime()) : "—"}</td>
        <td class="wrap">{outcome}</td>
        <td>{next && ended ? `${duration(Math.max(0, next.getTime() - ended.getTime()))} (at ${iso(next)})` : next ? iso(next) : "—"}</td>
      </tr>,
    );
  }
  return (
    <>
      <Timeline start={run.created_at} end={run.finished_at ?? props.now} segments={segments} />
      <Table head={["attempt", "started", "ended", "took", "outcome", "next attempt after"]} label="Attempts">
        {rows}
      </Table>
    </>
  );
}

interface Segment {
  from: Date;
  to: Date;
  kind: "completed" | "failed" | "executing";
  label: string;
}

/**
 * The run on one line, from its creation to its end (or now): each attempt a bar, the gaps the
 * time it waited (queued, or for its next attempt). Drawn for the eye only; the table says it all.
 */
function Timeline(props: { start: Date; end: Date; segments: Segment[] }) {
  const span = Math.max(1, props.end.getTime() - props.start.getTime());
  const pct = (d: Date) => Math.min(100, Math.max(0, ((d.getTime() - props.start.getTime()) / span) * 100));
  return (
    <div class="timeline" aria-hidden="true" title={`${duration(span)} from creation to ${props.segments.length ? "end" : "now"}`}>
      {props.segments.map((seg) => (
        <span
          class={`bar b-${seg.kind}`}
          style={`left:${pct(seg.from).toFixed(2)}%;width:${Math.max(0.5, pct(seg.to) - pct(seg.from)).toFixed(2)}%`}
          title={`${seg.label}: ${duration(seg.to.getTime() - seg.from.getTime())}`}
        ></span>
      ))}
    </div>
  );
}

/** The run's family as nested lists, the run itself marked. */
function Tree(props: { nodes: TreeNode[]; current: string }) {
  const children = new Map<string | null, TreeNode[]>();
  const ids = new Set(props.nodes.map((n) => n.id));
  for (const n of props.nodes) {
    const parent = n.parent_run_id && ids.has(n.parent_run_id) ? n.parent_run_id : null;
    children.set(parent, [...(children.get(parent) ?? []), n]);
  }
  const branch = (parent: string | null): ReturnType<typeof Status> | null => {
    const nodes = (children.get(parent) ?? []).sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    if (nodes.length === 0) return null;
    return (
      <ul class="tree">
        {nodes.map((n) => (
          <li>
            {n.id === props.current ? <strong aria-current="true">{shortId(n.id)}</strong> : runLink(n.id)} {n.task_id} <Status status={n.status} />
            {n.pending ? <span class="muted"> not dispatched</span> : null}
            {branch(n.id)}
          </li>
        ))}
      </ul>
    );
  };
  return <nav aria-label="Run tree">{branch(null)}</nav>;
}

/** What the run is about on the billing side, now: the billing runs, subscriptions and payments its payload names. */
function BillingState(props: { billing: BillingContext }) {
  const b = props.billing;
  const customer = (id: string, email: string) => <a href={`${BASE}/customers/${id}`}>{email}</a>;
  const shown = b.billingRuns.length + b.subscriptions.length + b.payments.length;
  return (
    <>
      <Table head={["kind", "id", "status", "detail", "customer"]} label="Billing state">
        {b.billingRuns.map((r) => (
          <tr>
            <td>billing run</td>
            <td class="mono">
              <a href={billingRunRuns(r.id)} title="every run of this billing run">
                {shortId(r.id)}
              </a>
            </td>
            <td>
              <Status status={r.status} />
            </td>
            <td>
              attempt {r.attempt}
              {r.charge_amount !== null ? `, ${money(r.charge_amount, r.currency)}` : ""}
            </td>
            <td>{customer(r.customer_id, r.customer_email)}</td>
          </tr>
        ))}
        {b.subscriptions.map((s) => (
          <tr>
            <td>subscription</td>
            <td class="mono">{shortId(s.id)}</td>
            <td>
              <Status status={s.status} />
            </td>
            <td>period ends {iso(s.current_period_end)}</td>
            <td>{customer(s.customer_id, s.customer_email)}</td>
          </tr>
        ))}
        {b.payments.map((p) => (
          <tr>
            <td>payment</td>
            <td class="mono">{shortId(p.id)}</td>
            <td>
              <Status status={p.status} />
            </td>
            <td>
              {money(p.amount, p.currency)}
              {p.failure_code ? `, ${p.failure_code}` : ""}
            </td>
            <td>{customer(p.customer_id, p.customer_email)}</td>
          </tr>
        ))}
      </Table>
      {b.named > shown ? <p class="muted">{b.named - shown} more named by the payload (or no longer stored).</p> : null}
    </>
  );
}

export function RunPage(props: { view: RunView; now: Date; notice?: Notice }) {
  const { view, now } = props;
  const { run } = view;
  const error = !run.pending ? (run.error as TaskRunError | null) : null;
  const cancelable = run.status === "queued" || run.status === "delayed" || run.status === "retrying";
  const live = inMotion([run.status]);
  return (
    <Page title={`Run ${shortId(run.id)}`} section="runs" notice={props.notice}>
      <h1>
        Run <span class="mono">{run.id}</span>
      </h1>
      <div id="run-live" data-live={live ? "on" : "off"}>
        <div class="actions">
          {!run.pending ? <PostButton action={`${BASE}/runs/${run.id}/replay`} label="Replay" /> : null}
          {cancelable ? <PostButton action={`${BASE}/runs/${run.id}/cancel`} label="Cancel" danger /> : null}
        </div>
        <dl class="facts">
          <dt>task</dt>
          <dd>
            <a href={`${BASE}/tasks/${run.task_id}`}>{run.task_id}</a>
          </dd>
          <dt>status</dt>
          <dd>
            <Status status={run.status} />
            {run.pending ? <span class="muted"> not dispatched yet</span> : null}
          </dd>
          <dt>created</dt>
          <dd>{iso(run.created_at)}</dd>
          {!run.pending ? (
            <>
              <dt>started</dt>
              <dd>{iso(run.started_at)}</dd>
              <dt>finished</dt>
              <dd>
                {iso(run.finished_at)}
                {run.started_at && run.finished_at ? ` (${duration(run.finished_at.getTime() - run.started_at.getTime())})` : ""}
              </dd>
            </>
          ) : (
            <>
              <dt>runs at</dt>
              <dd>
                {iso(run.run_at)} ({relative(run.run_at, now)})
              </dd>
            </>
          )}
          <dt>idempotency key</dt>
          <dd class="mono">
            {view.idempotency ? (
              <>
                {view.idempotency.key}{" "}
                <span class="muted">
                  {view.idempotency.state === "held"
                    ? `held until ${iso(view.idempotency.expires_at)}: enqueueing with it returns this run`
                    : view.idempotency.state === "released"
                      ? "released (the run failed): enqueueing with it makes a new run"
                      : "expired: enqueueing with it makes a new run"}
                </span>
              </>
            ) : (
              (run.idempotency_key ?? "—")
            )}
          </dd>
          {run.concurrency_key ? (
            <>
              <dt>concurrency key</dt>
              <dd class="mono">{run.concurrency_key}</dd>
            </>
          ) : null}
          <dt>parent</dt>
          <dd>{view.parent ? <Brief run={view.parent} /> : "—"}</dd>
          <dt>children</dt>
          <dd>
            {view.children.length === 0
              ? "—"
              : view.children.map((c) => (
                  <div>
                    <Brief run={c} />
                  </div>
                ))}
          </dd>
          {view.replay_of ? (
            <>
              <dt>replay of</dt>
              <dd>
                <Brief run={view.replay_of} />
              </dd>
            </>
          ) : null}
          {view.replays.length > 0 ? (
            <>
              <dt>replayed by</dt>
              <dd>
                {view.replays.map((r) => (
                  <div>
                    <Brief run={r} />
                  </div>
                ))}
              </dd>
            </>
          ) : null}
          <dt>outbox row</dt>
          <dd class="mono">
            {view.outbox ? (
              <>
                {view.outbox.id}{" "}
                <span class="muted">
                  created {iso(view.outbox.created_at)}, available {iso(view.outbox.available_at)},{" "}
                  {view.outbox.dispatched_at ? `dispatched ${iso(view.outbox.dispatched_at)}` : "not dispatched"}
                  {view.outbox.attempts > 0 ? `, ${view.outbox.attempts} dispatch attempts` : ""}
                  {view.outbox.last_error ? `, last error: ${view.outbox.last_error}` : ""}
                </span>
              </>
            ) : (
              "—"
            )}
          </dd>
          {view.engine_run_id || view.engine_batch_id ? (
            <>
              <dt>Trigger.dev</dt>
              <dd class="mono">{view.engine_run_id ?? `batch ${view.engine_batch_id}`}</dd>
            </>
          ) : null}
          <dt>webhook event</dt>
          <dd>
            {view.webhook_event ? (
              <>
                <a href={`${BASE}/events/${view.webhook_event.id}`}>
                  {view.webhook_event.provider} {view.webhook_event.type}
                </a>{" "}
                <span class="mono">{view.webhook_event.provider_event_id}</span> <Status status={view.webhook_event.status} />
              </>
            ) : (
              "—"
            )}
          </dd>
        </dl>
        {view.tree.length > 1 ? (
          <>
            <h2>Run tree</h2>
            <Tree nodes={view.tree} current={run.id} />
          </>
        ) : null}
        {view.billing ? (
          <>
            <h2>Billing state</h2>
            <BillingState billing={view.billing} />
          </>
        ) : null}
        <h2>Attempts</h2>
        <Attempts view={view} now={now} />
        {error ? (
          <>
            <h2>{run.status === "retrying" ? "Error (of the last attempt)" : "Error"}</h2>
            <pre>
              {error.stack ?? `${error.name}: ${error.message}`}
              {error.code ? `\ncode: ${error.code}` : ""}
            </pre>
          </>
        ) : null}
        {!run.pending && run.output !== null ? (
          <>
            <h2>Output</h2>
            <pre>{json(run.output)}</pre>
          </>
        ) : null}
      </div>
      <h2>Payload</h2>
      <pre>{json(run.payload)}</pre>
      {view.event ? (
        <>
          <h2>Webhook event payload</h2>
          <pre>{json(view.event.payload)}</pre>
        </>
      ) : null}
    </Page>
  );
}
