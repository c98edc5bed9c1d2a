/** @jsxImportSource hono/jsx */
import type { TaskRun, WebhookEvent } from "@paycron/db";
import { iso, json, relative, shortId } from "../format.ts";
import { BASE, Page, PostButton, SelectField, Status, Table } from "../layout.tsx";
import { inMotion } from "../queries/runs.ts";
import { EVENT_STATUSES, PROVIDERS, type EventRow, type EventsQuery } from "../queries/webhook-events.ts";
import { runLink } from "./runs.tsx";

type Notice = { text: string; bad?: boolean } | undefined;

function toQuery(query: EventsQuery, after?: string): string {
  const p = new URLSearchParams();
  if (query.provider) p.set("provider", query.provider);
  if (query.type) p.set("type", query.type);
  if (query.status) p.set("status", query.status);
  if (after) p.set("after", after);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function EventsPage(props: { events: EventRow[]; next: string | null; query: EventsQuery; types: string[]; now: Date; canSend: boolean }) {
  const { query } = props;
  return (
    <Page title="Webhook events" section="events">
      <h1>Webhook events</h1>
      {props.canSend ? (
        <p>
          <a href={`${BASE}/events/send`}>Send a test event →</a>
        </p>
      ) : null}
      <form class="filters" method="get" action={`${BASE}/events`} role="search">
        <SelectField label="Provider" name="provider" options={PROVIDERS} selected={query.provider} any="any" />
        <SelectField label="Type" name="type" options={props.types} selected={query.type} any="any" />
        <SelectField label="Status" name="status" options={EVENT_STATUSES} selected={query.status} any="any" />
        <button type="submit" class="primary">
          Filter
        </button>
        <a href={`${BASE}/events`}>clear</a>
      </form>
      <div id="events-live" data-live={!query.after || props.events.some((e) => e.status === "received") ? "on" : "off"}>
        {props.events.length === 0 ? (
          <p class="muted">No webhook events match.</p>
        ) : (
          <Table head={["event", "provider", "type", "status", "received", "attempts", "replays", "error"]} label="Webhook events">
            {props.events.map((e) => (
              <tr>
                <td class="mono">
                  <a href={`${BASE}/events/${e.id}`}>{e.provider_event_id.length > 28 ? shortId(e.id) : e.provider_event_id}</a>
                </td>
                <td>{e.provider}</td>
                <td>{e.type}</td>
                <td>
                  <Status status={e.status} />
                </td>
                <td title={iso(e.received_at)}>{relative(e.received_at, props.now)}</td>
                <td>{e.attempts}</td>
                <td>{e.replays}</td>
                <td class="wrap">{e.error ?? ""}</td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <nav class="pager" aria-label="Pages">
        {query.after ? <a href={`${BASE}/events${toQuery({ ...query, after: undefined })}`}>newest</a> : null}
        {props.next ? <a href={`${BASE}/events${toQuery(query, props.next)}`} rel="next">older events →</a> : null}
      </nav>
    </Page>
  );
}

export function EventPage(props: { event: WebhookEvent; runs: TaskRun[]; now: Date; notice?: Notice }) {
  const { event } = props;
  const replayable = event.status === "unhandled" || event.status === "failed";
  return (
    <Page title={`${event.provider} ${event.type}`} section="events" notice={props.notice}>
      <h1>
        {event.provider} {event.type}
      </h1>
      <div id="event-live" data-live={event.status === "received" || inMotion(props.runs.map((r) => r.status)) ? "on" : "off"}>
        <div class="actions">
          {replayable ? <PostButton action={`${BASE}/events/${event.id}/replay`} label="Re-process" /> : <span class="muted">Re-process: only unhandled and failed events can be run again ({event.status}).</span>}
        </div>
        <dl class="facts">
          <dt>id</dt>
          <dd class="mono">{event.id}</dd>
          <dt>provider event id</dt>
          <dd class="mono">{event.provider_event_id}</dd>
          <dt>status</dt>
          <dd>
            <Status status={event.status} />
          </dd>
          <dt>received</dt>
          <dd>{iso(event.received_at)}</dd>
          <dt>processed</dt>
          <dd>{iso(event.processed_at)}</dd>
          <dt>attempts</dt>
          <dd>{event.attempts}</dd>
          <dt>replays</dt>
          <dd>{event.replays}</dd>
          {event.error ? (
            <>
              <dt>error</dt>
              <dd>{event.error}</dd>
            </>
          ) : null}
        </dl>
        <h2>Runs it produced</h2>
        {props.runs.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <Table head={["run", "task", "status", "created", "idempotency key"]} label="Runs of this event">
            {props.runs.map((r) => (
              <tr>
                <td class="mono">{runLink(r.id)}</td>
                <td>{r.task_id}</td>
                <td>
                  <Status status={r.status} />
                </td>
                <td>{iso(r.created_at)}</td>
                <td class="mono wrap">{r.idempotency_key ?? "—"}</td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <h2>Payload</h2>
      <pre>{json(event.payload)}</pre>
    </Page>
  );
}
