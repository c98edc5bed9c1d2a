import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import type { TaskRunError } from "@paycron/db";
import { showRun, type RunBrief, type RunDetail } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";
import { formatMs, formatRelative } from "../format-table.ts";

export function registerRunsShow(runs: Command): void {
  runs
    .command("show")
    .description("one run: payload, output, error with stack, attempts, parent and children, idempotency key, webhook event")
    .argument("<id>", "a run id, or the outbox id a delayed trigger printed")
    .option("--json", "print it as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const database = await openDatabase(readCliEnv());
      try {
        const detail = await showRun({ db: database.db, clock: systemClock }, id);
        if (!detail) throw new Error(`no run ${id}`);
        console.log(options.json ? JSON.stringify(detail, null, 2) : describe(detail));
      } finally {
        await database.close();
      }
    });
}

const brief = (b: RunBrief) => `${b.id}  ${b.task_id}  ${b.status}${b.pending ? " (not dispatched yet)" : ""}`;
const json = (value: unknown) => JSON.stringify(value, null, 2);

function describe(d: RunDetail): string {
  const { run } = d;
  const now = systemClock.now();
  const lines: Array<[string, string]> = [
    ["run", run.id],
    ["task", run.task_id],
  ];
  if (run.pending) {
    lines.push(["status", `${run.status}: not dispatched yet${run.status === "delayed" ? `, due ${run.run_at.toISOString()} (${formatRelative(run.run_at, now)})` : ""}`]);
    lines.push(["created", run.created_at.toISOString()]);
  } else {
    lines.push(["status", run.status]);
    const attempts =
      run.attempt === 0
        ? run.status === "canceled"
          ? "none: canceled before it started"
          : "none yet"
        : `${run.attempt} of ${run.max_attempts}${run.status === "retrying" ? `, next at ${run.run_at.toISOString()}` : ""}`;
    lines.push(["attempts", attempts]);
    lines.push(["created", run.created_at.toISOString()]);
    if (run.started_at) lines.push(["started", run.started_at.toISOString()]);
    if (run.finished_at) {
      const took = run.started_at ? ` (${formatMs(run.finished_at.getTime() - run.started_at.getTime())})` : "";
      lines.push(["finished", `${run.finished_at.toISOString()}${took}`]);
    }
    if (run.worker_id && run.status === "executing") lines.push(["worker", run.worker_id]);
  }
  if (!run.pending && run.outbox_id) lines.push(["outbox", run.outbox_id]);
  if (d.engine_run_id) lines.push(["trigger.dev", d.engine_run_id]);
  if (d.engine_batch_id) lines.push(["trigger.dev", `batch ${d.engine_batch_id}`]);
  if (d.idempotency) {
    const state =
      d.idempotency.state === "held"
        ? `held until ${d.idempotency.expires_at.toISOString()}: enqueueing with it returns this run`
        : d.idempotency.state === "released"
          ? "released (the run failed): enqueueing with it makes a new run"
          : "expired: enqueueing with it makes a new run";
    lines.push(["key", `${d.idempotency.key}  ${state}`]);
  } else if (run.idempotency_key) {
    lines.push(["key", run.idempotency_key]);
  }
  if (run.concurrency_key) lines.push(["concurrency key", run.concurrency_key]);
  if (d.replay_of) lines.push(["replay of", brief(d.replay_of)]);
  for (const r of d.replays) lines.push(["replayed by", brief(r)]);
  if (d.parent) lines.push(["parent", brief(d.parent)]);
  for (const c of d.children) lines.push(["child", brief(c)]);
  if (d.webhook_event) {
    const e = d.webhook_event;
    lines.push(["webhook event", `${e.provider} ${e.type} ${e.provider_event_id}  ${e.status}  (${e.id}, received ${e.received_at.toISOString()})`]);
    if (e.error) lines.push(["event error", e.error]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  const out = lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  out.push("", "payload:", indent(json(run.payload)));
  if (!run.pending && run.output !== null) out.push("", "output:", indent(json(run.output)));
  if (!run.pending && run.error) {
    const error = run.error as TaskRunError;
    const heading = run.status === "retrying" ? "error (of the last attempt):" : "error:";
    out.push("", heading, indent(error.stack ?? `${error.name}: ${error.message}`));
    if (error.code) out.push(indent(`code: ${error.code}`));
  }
  return out.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
