import { sql } from "kysely";
import type { Clock, Logger } from "@paycron/core";
import { withTransaction, type Db, type WebhookEventStatus, type WebhookProvider } from "@paycron/db";
import { enqueueMany } from "@paycron/runtime";
import type { TaskId } from "@paycron/tasks";
import { InboxError } from "./errors.ts";
import { outboxKey } from "./record-webhook-event.ts";
import { parseReplayFilter, type ReplayFilter, type ReplayWebhookEventsInput } from "./replay-filter.ts";
import { STRIPE_EVENT_ROUTES, stripeTaskFor } from "./stripe-routes.ts";
import { SUPABASE_EVENT_ROUTES, supabaseTaskFor } from "./supabase-routes.ts";

export interface ReplayDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface ReplayedWebhookEvent {
  webhookEventId: string;
  provider: WebhookProvider;
  providerEventId: string;
  type: string;
  taskId: TaskId;
  outboxId: string;
  /** 1 for an event's first replay, 2 for its second, …; part of the outbox key. */
  replay: number;
  idempotencyKey: string;
}

export interface ReplayResult {
  replayed: ReplayedWebhookEvent[];
  /** Events a type filter matched but left alone, counted by their status. */
  skipped: Partial<Record<WebhookEventStatus, number>>;
}

/*
 * Which events a replay re-opens: `unhandled` (its task ran, no handler acted) and `failed`
 * (open anyway). Not `processed`: a handler acted and would act twice. Not `ignored`: final by
 * decision. Not `received`: a run is queued or in flight, and refusing it is what turns two
 * concurrent replays of one event into one new run.
 */
const REPLAYABLE: WebhookEventStatus[] = ["unhandled", "failed"];

interface StoredEvent {
  id: string;
  provider: WebhookProvider;
  provider_event_id: string;
  type: string;
  status: WebhookEventStatus;
  /** Supabase only: routes depend on it (supabaseTaskFor). */
  schema: string | null;
}

/**
 * Runs stored events through their task again, for when a handler now exists that did not when
 * the event arrived. Each event moves back to `received` by a conditional update (from
 * `unhandled` or `failed`) in the same transaction as its new outbox row, keyed
 * `<provider>:<event id>:replay:<n>` with n from the event's own replay counter: a new run per
 * replay, and a retried transaction, rolled back with its counter, reuses its n. The new run
 * settles the event again, so it reaches a final status once per run.
 *
 * By id, anything that cannot be replayed is refused with the reason; by type and since, events
 * that cannot be are counted in `skipped`. One transaction per batch of events.
 */
export async function replayWebhookEvents(deps: ReplayDeps, input: ReplayWebhookEventsInput): Promise<ReplayResult> {
  const filter = parseReplayFilter(input);
  return filter.by === "id" ? replayOne(deps, filter) : replayMatching(deps, filter);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function selectStored(db: Db) {
  return db
    .selectFrom("webhook_events")
    .select(["id", "provider", "provider_event_id", "type", "status", sql<string | null>`payload->>'schema'`.as("schema")]);
}

async function replayOne(deps: ReplayDeps, filter: Extract<ReplayFilter, { by: "id" }>): Promise<ReplayResult> {
  let query = selectStored(deps.db);
  query = UUID.test(filter.id) ? query.where("id", "=", filter.id) : query.where("provider_event_id", "=", filter.id);
  if (filter.provider) query = query.where("provider", "=", filter.provider);
  const found = await query.execute();
  if (found.length === 0) {
    const scope = filter.provider ? ` ${filter.provider}` : "";
    throw new InboxError("webhook_event_not_found", `no${scope} webhook event with ${UUID.test(filter.id) ? "id" : "provider event id"} ${filter.id}`);
  }
  if (found.length > 1) {
    throw new InboxError("invalid_replay_filter", `${filter.id} is the id of a ${found.map((e) => e.provider).join(" and a ")} event: name the provider`);
  }
  const event = found[0]!;
  const taskId = taskFor(event);
  if (!taskId) {
    throw new InboxError("webhook_event_unrouted", `webhook event ${event.id} (${event.provider} ${event.type}) cannot be replayed: no task handles ${event.type}`);
  }
  if (!REPLAYABLE.includes(event.status)) throw notReplayable(event, event.status);

  const { replayed, lost } = await replayBatch(deps, [{ ...event, taskId }]);
  if (lost.length > 0) throw notReplayable(event, lost[0]!.status);
  return { replayed, skipped: {} };
}

async function replayMatching(deps: ReplayDeps, filter: Extract<ReplayFilter, { by: "type" }>): Promise<ReplayResult> {
  const routed = routedProviders(filter.type).filter((p) => !filter.provider || p === filter.provider);
  if (routed.length === 0) {
    const providers: WebhookProvider[] = filter.provider ? [filter.provider] : ["stripe", "supabase"];
    const known = providers.flatMap((p) => Object.keys(p === "stripe" ? STRIPE_EVENT_ROUTES : SUPABASE_EVENT_ROUTES));
    throw new InboxError(
      "webhook_event_unrouted",
      `no task handles ${filter.provider ?? "stripe or supabase"} events of type ${filter.type}, so they cannot be replayed; routed types: ${known.join(", ")}`,
    );
  }

  let query = selectStored(deps.db).where("type", "=", filter.type).where("received_at", ">=", filter.since);
  if (filter.provider) query = query.where("provider", "=", filter.provider);
  const matched = await query.orderBy("received_at").orderBy("id").execute();

  const skipped: ReplayResult["skipped"] = {};
  const skip = (status: WebhookEventStatus) => (skipped[status] = (skipped[status] ?? 0) + 1);
  const candidates: Array<StoredEvent & { taskId: TaskId }> = [];
  for (const event of matched) {
    const taskId = taskFor(event);
    if (taskId && REPLAYABLE.includes(event.status)) candidates.push({ ...event, taskId });
    else skip(event.status);
  }

  const replayed: ReplayedWebhookEvent[] = [];
  for (let i = 0; i < candidates.length; i += filter.batchSize) {
    const batch = await replayBatch(deps, candidates.slice(i, i + filter.batchSize));
    replayed.push(...batch.replayed);
    for (const event of batch.lost) skip(event.status);
  }
  return { replayed, skipped };
}

/** Re-opens a batch and enqueues its runs in one transaction; `lost` are events another writer moved first. */
async function replayBatch(deps: ReplayDeps, events: Array<StoredEvent & { taskId: TaskId }>) {
  const ids = events.map((e) => e.id);
  const result = await withTransaction(deps.db, async (tx) => {
    // Locked in id order, so two replays over overlapping sets wait for each other instead of deadlocking.
    const reopened = await tx
      .updateTable("webhook_events")
      .set({ status: "received", processed_at: null, replays: sql<number>`replays + 1` })
      .where("id", "in", (eb) =>
        eb.selectFrom("webhook_events").select("id").where("id", "in", ids).where("status", "in", REPLAYABLE).orderBy("id").forUpdate(),
      )
      .where("status", "in", REPLAYABLE)
      .returning(["id", "replays"])
      .execute();
    const replays = new Map(reopened.map((r) => [r.id, r.replays]));
    const chosen = events.filter((e) => replays.has(e.id));
    const keys = chosen.map((e) => `${outboxKey({ provider: e.provider, providerEventId: e.provider_event_id })}:replay:${replays.get(e.id)}`);
    const enqueued = await enqueueMany(
      tx,
      deps.clock,
      chosen.map((e, i) => ({ taskId: e.taskId, payload: { webhookEventId: e.id }, options: { idempotencyKey: keys[i] } })),
    );
    enqueued.forEach((run, i) => {
      // Only a reset counter (a migration rolled back and re-applied) can reuse a key; a live key
      // would start no run and leave the event `received` for good, so undo the whole batch.
      if (!run.created) throw new Error(`replay key ${keys[i]} of ${chosen[i]!.taskId} is already taken: no new run would start`);
    });

    const lostIds = ids.filter((id) => !replays.has(id));
    const lost = lostIds.length === 0 ? [] : await tx.selectFrom("webhook_events").select(["id", "status"]).where("id", "in", lostIds).execute();
    const replayed = chosen.map(
      (e, i): ReplayedWebhookEvent => ({
        webhookEventId: e.id,
        provider: e.provider,
        providerEventId: e.provider_event_id,
        type: e.type,
        taskId: e.taskId,
        outboxId: enqueued[i]!.id,
        replay: replays.get(e.id)!,
        idempotencyKey: keys[i]!,
      }),
    );
    return { replayed, lost };
  });
  for (const r of result.replayed) {
    deps.logger.info({ webhookEventId: r.webhookEventId, type: r.type, taskId: r.taskId, outboxId: r.outboxId, replay: r.replay }, "webhook event replayed");
  }
  return result;
}

/** The task that handles a stored event under today's routes (a route may have been added since it arrived). */
function taskFor(event: Pick<StoredEvent, "provider" | "type" | "schema">): TaskId | undefined {
  if (event.provider === "stripe") return stripeTaskFor(event.type);
  const colon = event.type.lastIndexOf(":");
  return supabaseTaskFor(event.schema ?? "", event.type.slice(0, colon), event.type.slice(colon + 1));
}

function routedProviders(type: string): WebhookProvider[] {
  const providers: WebhookProvider[] = [];
  if (stripeTaskFor(type)) providers.push("stripe");
  if (Object.hasOwn(SUPABASE_EVENT_ROUTES, type)) providers.push("supabase");
  return providers;
}

const WHY_NOT: Partial<Record<WebhookEventStatus, string>> = {
  received: "a run of its task is queued or in flight (perhaps another replay's); replay it after that run has settled it",
  processed: "a handler acted on it, and a replay would act twice",
  ignored: "it was stored without a task, or its handler decided not to act on it",
};

function notReplayable(event: StoredEvent, status: WebhookEventStatus): InboxError {
  return new InboxError(
    "webhook_event_not_replayable",
    `webhook event ${event.id} (${event.provider} ${event.type}) is ${status}: ${WHY_NOT[status] ?? "not replayable"}. Only unhandled and failed events are replayed`,
  );
}
