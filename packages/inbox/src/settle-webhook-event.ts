import { sql } from "kysely";
import type { Clock } from "@paycron/core";
import type { Db, WebhookEventStatus } from "@paycron/db";

/*
 * An event reaches a final status once per run of its task (DESIGN.md invariant 6). `processed`,
 * `ignored` and `unhandled` are final; `failed` records the last error and can still become
 * `processed` when a retry or a replay succeeds. Only a replay (replayWebhookEvents) re-opens a
 * final event, and only an `unhandled` one, back to `received` with a new run. Each call counts
 * an attempt. The conditional UPDATE makes the transition a claim: of two concurrent runs,
 * exactly one sees `true`.
 */
const OPEN: WebhookEventStatus[] = ["received", "failed"];

async function settle(db: Db, id: string, to: WebhookEventStatus, clock: Clock, error: string | null): Promise<boolean> {
  const result = await db
    .updateTable("webhook_events")
    .set({
      status: to,
      error,
      attempts: sql<number>`attempts + 1`,
      processed_at: to === "failed" ? null : clock.now(),
    })
    .where("id", "=", id)
    .where("status", "in", OPEN)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** True when this call moved the event to `processed`; false when it was already final. */
export function markWebhookEventProcessed(db: Db, id: string, clock: Clock): Promise<boolean> {
  return settle(db, id, "processed", clock, null);
}

/**
 * For an event whose task ran but whose handler does not exist yet: nothing acted on it, so it
 * stays replayable (unlike `processed`) once a handler lands.
 */
export function markWebhookEventUnhandled(db: Db, id: string, clock: Clock): Promise<boolean> {
  return settle(db, id, "unhandled", clock, null);
}

/** For an event a handler decides not to act on (e.g. about an object we do not own). */
export function markWebhookEventIgnored(db: Db, id: string, clock: Clock, reason?: string): Promise<boolean> {
  return settle(db, id, "ignored", clock, reason ?? null);
}

/** Records why processing failed; the event stays open for the next attempt. */
export function markWebhookEventFailed(db: Db, id: string, clock: Clock, error: string): Promise<boolean> {
  return settle(db, id, "failed", clock, error.slice(0, 2000));
}
