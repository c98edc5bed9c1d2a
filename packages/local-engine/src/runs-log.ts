import { sql } from "kysely";
import { type Clock, DomainError } from "@paycron/core";
import type { Db, TaskOutboxRow, TaskRun, TaskRunStatus, WebhookEventStatus, WebhookProvider } from "@paycron/db";

/*
 * The runs log of the local engine: what `paycron runs` and a future dashboard read. A run that
 * was enqueued but not yet dispatched (delayed, or waiting for a dispatcher) has no task_runs
 * row yet, only its outbox row: it is listed with that row's id, which also names it to
 * findRun, cancelRun and showRun until it is dispatched (and afterwards, through outbox_id).
 */

/** outbox-sweep runs every minute: listing it by default would bury every other run. */
export const ROUTINE_TASKS: readonly string[] = ["outbox-sweep"];

export interface PendingRun {
  pending: true;
  /** The outbox row's id: the run has no id of its own until it is dispatched. */
  id: string;
  task_id: string;
  /** delayed: its time has not come; queued: due, waiting for a dispatcher. */
  status: "queued" | "delayed";
  payload: unknown;
  idempotency_key: string;
  concurrency_key: string | null;
  outbox_id: string;
  parent_run_id: string | null;
  run_at: Date;
  created_at: Date;
}

export type RunLogEntry = (TaskRun & { pending: false }) | PendingRun;

export interface RunFilter {
  taskId?: string;
  status?: TaskRunStatus;
  /** Tasks left out unless asked for by taskId (ROUTINE_TASKS for a default listing). */
  excludeTasks?: readonly string[];
  /** Created at or after this. */
  since?: Date;
  /** Created before this. */
  until?: Date;
  /** Runs whose idempotency key starts with this. */
  idempotencyKeyPrefix?: string;
  /** Runs whose payload, as JSON text, contains this (case-insensitive; a scan of the other filters' rows). */
  payloadText?: string;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertRunId(id: string): void {
  if (!UUID.test(id)) throw new DomainError("INVALID_RUN_ID", `"${id}" is not a run id (a UUID, as \`paycron runs\` lists them)`);
}

function pendingRun(row: TaskOutboxRow, now: Date): PendingRun {
  return {
    pending: true,
    id: row.id,
    task_id: row.task_id,
    status: row.available_at > now ? "delayed" : "queued",
    payload: row.payload,
    idempotency_key: row.idempotency_key,
    concurrency_key: row.concurrency_key,
    outbox_id: row.id,
    parent_run_id: row.parent_run_id,
    run_at: row.available_at,
    created_at: row.created_at,
  };
}

const asRun = (run: TaskRun): RunLogEntry => ({ ...run, pending: false });

export interface RunPage {
  runs: RunLogEntry[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  next: string | null;
}

/** Newest first: task_runs rows and not-yet-dispatched outbox rows, by created_at. */
export async function listRuns(deps: { db: Db; clock: Clock }, filter: RunFilter): Promise<RunLogEntry[]> {
  return (await listRunsPage(deps, filter)).runs;
}

/*
 * A cursor is the last row's (created_at, id) as Postgres prints it: a JavaScript Date would drop
 * the microseconds and skip rows created within the same millisecond. The order is created_at
 * descending, then id ascending; `created_at <= c` is the index condition, the rest a filter.
 */
const CURSOR_AT = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) throw new DomainError("INVALID_CURSOR", "this page link is malformed: start from the first page");
  return { at, id };
}

/** One page of listRuns, and the cursor of the next one (`after`). */
export async function listRunsPage(deps: { db: Db; clock: Clock }, filter: RunFilter & { after?: string }): Promise<RunPage> {
  const { db } = deps;
  const now = deps.clock.now();
  const exclude = filter.taskId ? [] : [...(filter.excludeTasks ?? [])];
  const after = filter.after ? decodeCursor(filter.after) : undefined;
  // One more than asked: whether it exists says whether there is a next page.
  const take = filter.limit + 1;

  let runs = db.selectFrom("task_runs").selectAll().select(CURSOR_AT.as("cursor_at")).orderBy("created_at", "desc").orderBy("id").limit(take);
  if (filter.taskId) runs = runs.where("task_id", "=", filter.taskId);
  if (exclude.length > 0) runs = runs.where("task_id", "not in", exclude);
  if (filter.status) runs = runs.where("status", "=", filter.status);
  if (filter.since) runs = runs.where("created_at", ">=", filter.since);
  if (filter.until) runs = runs.where("created_at", "<", filter.until);
  if (filter.idempotencyKeyPrefix) runs = runs.where("idempotency_key", "like", `${escapeLike(filter.idempotencyKeyPrefix)}%`);
  if (filter.payloadText) runs = runs.where(sql<string>`payload::text`, "ilike", `%${escapeLike(filter.payloadText)}%`);
  if (after) {
    runs = runs
      .where("created_at", "<=", sql<Date>`${after.at}::timestamptz`)
      .where((eb) => eb.or([eb("created_at", "<", sql<Date>`${after.at}::timestamptz`), eb("id", ">", after.id)]));
  }

  const wantsPending = !filter.status || filter.status === "queued" || filter.status === "delayed";
  let pending = db
    .selectFrom("task_outbox")
    .selectAll()
    .select(CURSOR_AT.as("cursor_at"))
    .where("dispatched_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(take);
  if (filter.taskId) pending = pending.where("task_id", "=", filter.taskId);
  if (exclude.length > 0) pending = pending.where("task_id", "not in", exclude);
  if (filter.status === "delayed") pending = pending.where("available_at", ">", now);
  if (filter.status === "queued") pending = pending.where("available_at", "<=", now);
  if (filter.since) pending = pending.where("created_at", ">=", filter.since);
  if (filter.until) pending = pending.where("created_at", "<", filter.until);
  if (filter.idempotencyKeyPrefix) pending = pending.where("idempotency_key", "like", `${escapeLike(filter.idempotencyKeyPrefix)}%`);
  if (filter.payloadText) pending = pending.where(sql<string>`payload::text`, "ilike", `%${escapeLike(filter.payloadText)}%`);
  if (after) {
    pending = pending
      .where("created_at", "<=", sql<Date>`${after.at}::timestamptz`)
      .where((eb) => eb.or([eb("created_at", "<", sql<Date>`${after.at}::timestamptz`), eb("id", ">", after.id)]));
  }

  const [runRows, pendingRows] = await Promise.all([runs.execute(), wantsPending ? pending.execute() : Promise.resolve([])]);
  const merged = [
    ...runRows.map(({ cursor_at, ...run }) => ({ cursor_at, entry: asRun(run) })),
    ...pendingRows.map(({ cursor_at, ...row }) => ({ cursor_at, entry: pendingRun(row, now) as RunLogEntry })),
  ].sort((a, b) => (a.cursor_at < b.cursor_at ? 1 : a.cursor_at > b.cursor_at ? -1 : a.entry.id < b.entry.id ? -1 : 1));
  const page = merged.slice(0, filter.limit);
  const last = page.at(-1);
  return { runs: page.map((m) => m.entry), next: merged.length > filter.limit && last ? encodeCursor(last.cursor_at, last.entry.id) : null };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Whether runs of `taskId` were ever recorded (a task removed since still has its history). */
export async function hasRunsOf(db: Db, taskId: string): Promise<boolean> {
  const [run, row] = await Promise.all([
    db.selectFrom("task_runs").select("id").where("task_id", "=", taskId).limit(1).executeTakeFirst(),
    db.selectFrom("task_outbox").select("id").where("task_id", "=", taskId).limit(1).executeTakeFirst(),
  ]);
  return run !== undefined || row !== undefined;
}

export type FoundRun =
  | { kind: "run"; run: TaskRun; outbox?: TaskOutboxRow }
  | { kind: "pending"; outbox: TaskOutboxRow }
  /** Handed to Trigger.dev: its run lives there, under engine_run_id. */
  | { kind: "remote"; outbox: TaskOutboxRow };

/** A run by its id, or by the id of the outbox row it came from (what a delayed trigger prints). */
export async function findRun(db: Db, id: string): Promise<FoundRun | undefined> {
  assertRunId(id);
  const run = await db
    .selectFrom("task_runs")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", id), eb("outbox_id", "=", id)]))
    .executeTakeFirst();
  if (run) {
    const outbox = run.outbox_id ? await db.selectFrom("task_outbox").selectAll().where("id", "=", run.outbox_id).executeTakeFirst() : undefined;
    return { kind: "run", run, outbox };
  }
  const outbox = await db.selectFrom("task_outbox").selectAll().where("id", "=", id).executeTakeFirst();
  if (!outbox) return undefined;
  return outbox.dispatched_at === null ? { kind: "pending", outbox } : { kind: "remote", outbox };
}

export interface RunBrief {
  id: string;
  task_id: string;
  status: TaskRunStatus;
  pending: boolean;
}

export interface WebhookEventBrief {
  id: string;
  provider: WebhookProvider;
  provider_event_id: string;
  type: string;
  status: WebhookEventStatus;
  attempts: number;
  error: string | null;
  received_at: Date;
}

export interface IdempotencyKeyState {
  key: string;
  /**
   * held: a new enqueue with this key gets this run; released: the run failed, so the key makes a
   * new run; expired: its TTL is over, likewise.
   */
  state: "held" | "released" | "expired";
  expires_at: Date;
}

export interface RunDetail {
  run: RunLogEntry;
  idempotency: IdempotencyKeyState | null;
  parent: RunBrief | null;
  children: RunBrief[];
  replay_of: RunBrief | null;
  replays: RunBrief[];
  /** The stored webhook event a webhook task's payload names (webhookEventId). */
  webhook_event: WebhookEventBrief | null;
  /** Set when the run was handed to Trigger.dev alone: its id there. */
  engine_run_id: string | null;
  /** Set when it went to Trigger.dev in a batch: the batch's id there (the API names no run per item). */
  engine_batch_id: string | null;
}

/** Everything the runs log knows about one run (by run id or outbox id); undefined if unknown. */
export async function showRun(deps: { db: Db; clock: Clock }, id: string): Promise<RunDetail | undefined> {
  const { db } = deps;
  const now = deps.clock.now();
  const found = await findRun(db, id);
  if (!found) return undefined;
  const outbox = found.outbox;
  const run: RunLogEntry = found.kind === "run" ? asRun(found.run) : pendingRun(found.outbox, now);

  const [parent, children, replayOf, replays, webhookEvent] = await Promise.all([
    run.parent_run_id ? briefs(db, { ids: [run.parent_run_id] }, now).then((b) => b[0] ?? null) : null,
    found.kind === "run" ? briefs(db, { parent: run.id }, now) : [],
    outbox?.replay_of ? briefs(db, { ids: [outbox.replay_of] }, now).then((b) => b[0] ?? null) : null,
    found.kind === "run" ? briefs(db, { replayOf: run.id }, now) : [],
    webhookEventOf(db, run.payload),
  ]);
  return {
    run,
    idempotency: outbox ? keyState(run, outbox, now) : null,
    parent,
    children,
    replay_of: replayOf,
    replays,
    webhook_event: webhookEvent,
    engine_run_id: found.kind === "remote" ? found.outbox.engine_run_id : null,
    engine_batch_id: found.kind === "remote" ? found.outbox.engine_batch_id : null,
  };
}

function keyState(run: RunLogEntry, outbox: TaskOutboxRow, now: Date): IdempotencyKeyState | null {
  const key = run.idempotency_key ?? outbox.idempotency_key;
  // A failed run's key is moved aside on its row (`<key>#released:<row id>`).
  if (outbox.idempotency_key !== key) return { key, state: "released", expires_at: outbox.idempotency_expires_at };
  return { key, state: outbox.idempotency_expires_at <= now ? "expired" : "held", expires_at: outbox.idempotency_expires_at };
}

/** Runs (and not-yet-dispatched rows) by id, by parent, or replaying a run; oldest first. */
async function briefs(db: Db, by: { ids?: string[]; parent?: string; replayOf?: string }, now: Date): Promise<RunBrief[]> {
  let runs = db
    .selectFrom("task_runs as r")
    .leftJoin("task_outbox as o", "o.id", "r.outbox_id")
    .select(["r.id", "r.task_id", "r.status", "r.created_at"])
    .orderBy("r.created_at")
    .orderBy("r.id");
  let pending = db
    .selectFrom("task_outbox")
    .select(["id", "task_id", "available_at", "created_at"])
    .where("dispatched_at", "is", null)
    .orderBy("created_at")
    .orderBy("id");
  if (by.ids) {
    runs = runs.where("r.id", "in", by.ids);
    pending = pending.where("id", "in", by.ids);
  }
  if (by.parent) {
    runs = runs.where("r.parent_run_id", "=", by.parent);
    pending = pending.where("parent_run_id", "=", by.parent);
  }
  if (by.replayOf) {
    runs = runs.where("o.replay_of", "=", by.replayOf);
    pending = pending.where("replay_of", "=", by.replayOf);
  }
  const [r, p] = await Promise.all([runs.execute(), pending.execute()]);
  return [
    ...r.map((x) => ({ id: x.id, task_id: x.task_id, status: x.status, pending: false, created_at: x.created_at })),
    ...p.map((x) => ({ id: x.id, task_id: x.task_id, status: (x.available_at > now ? "delayed" : "queued") as TaskRunStatus, pending: true, created_at: x.created_at })),
  ]
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
    .map(({ created_at: _created, ...brief }) => brief);
}

async function webhookEventOf(db: Db, payload: unknown): Promise<WebhookEventBrief | null> {
  const id = (payload as { webhookEventId?: unknown } | null)?.webhookEventId;
  if (typeof id !== "string" || !UUID.test(id)) return null;
  const event = await db
    .selectFrom("webhook_events")
    .select(["id", "provider", "provider_event_id", "type", "status", "attempts", "error", "received_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  return event ?? null;
}
