import { sql } from "kysely";
import type { Db, TaskRun, WebhookEvent, WebhookEventStatus, WebhookProvider } from "@paycron/db";
import { outboxKey } from "@paycron/inbox";
import { cursorAt, decodeCursor, encodeCursor } from "./cursor.ts";

export const EVENT_STATUSES: WebhookEventStatus[] = ["received", "processed", "ignored", "failed", "unhandled"];
export const PROVIDERS: WebhookProvider[] = ["stripe", "supabase"];

export interface EventsQuery {
  provider?: WebhookProvider;
  type?: string;
  status?: WebhookEventStatus;
  after?: string;
}

export type EventRow = Omit<WebhookEvent, "payload">;

export const EVENTS_PAGE_SIZE = 50;

/** Stored webhook events, newest first, by (received_at, id) cursor; payloads are left for the event's page. */
export async function eventsPage(db: Db, query: EventsQuery): Promise<{ events: EventRow[]; next: string | null }> {
  const after = decodeCursor(query.after);
  let q = db
    .selectFrom("webhook_events")
    .select(["id", "provider", "provider_event_id", "type", "status", "attempts", "error", "received_at", "processed_at", "replays", cursorAt("received_at").as("cursor_at")])
    .orderBy("received_at", "desc")
    .orderBy("id")
    .limit(EVENTS_PAGE_SIZE + 1);
  if (query.provider) q = q.where("provider", "=", query.provider);
  if (query.type) q = q.where("type", "=", query.type);
  if (query.status) q = q.where("status", "=", query.status);
  if (after) {
    q = q
      .where("received_at", "<=", sql<Date>`${after.at}::timestamptz`)
      .where((eb) => eb.or([eb("received_at", "<", sql<Date>`${after.at}::timestamptz`), eb("id", ">", after.id)]));
  }
  const rows = await q.execute();
  const page = rows.slice(0, EVENTS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    events: page.map(({ cursor_at: _c, ...row }) => row),
    next: rows.length > EVENTS_PAGE_SIZE && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

/**
 * The types seen, for the filter's choices: a skip scan of the (type, received_at) index, one
 * index probe per distinct type, where `select distinct` would read every event.
 */
export async function eventTypes(db: Db): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`
    with recursive types as (
      (select type from webhook_events order by type limit 1)
      union all
      select (select w.type from webhook_events w where w.type > types.type order by w.type limit 1) from types where types.type is not null
    )
    select type from types where type is not null limit 200`.execute(db);
  return rows.map((r) => r.type);
}

/**
 * One event with the runs it produced: the run its routing made, keyed `<provider>:<event id>`
 * (outboxKey), and each replay's, keyed `…:replay:<n>`, found on the idempotency key index. A
 * run triggered by hand with the event's id in its payload is not "produced" by it.
 */
export async function eventView(db: Db, id: string): Promise<{ event: WebhookEvent; runs: TaskRun[] } | undefined> {
  const event = await db.selectFrom("webhook_events").selectAll().where("id", "=", id).executeTakeFirst();
  if (!event) return undefined;
  const key = outboxKey({ provider: event.provider, providerEventId: event.provider_event_id });
  const runs = await db
    .selectFrom("task_runs")
    .selectAll()
    .where((eb) => eb.or([eb("idempotency_key", "=", key), eb("idempotency_key", "like", `${escapeLike(key)}:replay:%`)]))
    .orderBy("created_at")
    .limit(100)
    .execute();
  return { event, runs };
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
