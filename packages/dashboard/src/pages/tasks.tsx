/** @jsxImportSource hono/jsx */
import type { RunLogEntry } from "@paycron/local-engine";
import type { PayloadIssue } from "@paycron/runtime/catalog";
import { duration, iso, json, relative } from "../format.ts";
import { BASE, Page, Status, Table } from "../layout.tsx";
import { inMotion, RUN_STATUSES } from "../queries/runs.ts";
import type { TaskView } from "../queries/tasks.ts";
import { RunsTable } from "./runs.tsx";

type Notice = { text: string; bad?: boolean } | undefined;

function retry(task: TaskView): string {
  const r = task.retry;
  if ((r.maxAttempts ?? 1) <= 1) return task.retryIsImplicit ? "none (no policy)" : "none";
  const parts = [`${r.maxAttempts} attempts`];
  if (r.minTimeoutInMs !== undefined) parts.push(`${duration(r.minTimeoutInMs)}`);
  if (r.maxTimeoutInMs !== undefined) parts.push(`to ${duration(r.maxTimeoutInMs)}`);
  if (r.factor !== undefined) parts.push(`×${r.factor}`);
  return parts.join(", ");
}

function concurrency(task: TaskView): string {
  const c = task.concurrency;
  const parts: string[] = [];
  if (c.total !== undefined) parts.push(`${c.total} at once`);
  if (c.perKey !== undefined) parts.push(`${c.perKey} per key`);
  for (const l of c.limits) parts.push(`${l.name}${l.total !== undefined ? ` ${l.total}` : ""}${l.perKey !== undefined ? ` (${l.perKey} per key)` : ""}`);
  return parts.length ? parts.join("; ") : "unlimited";
}

function Counts(props: { counts: TaskView["last24h"]; task: string }) {
  const entries = RUN_STATUSES.filter((s) => props.counts[s]);
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <span class="counts">
      {entries.map((s) => (
        <span>
          <a href={`${BASE}/runs?task=${encodeURIComponent(props.task)}&status=${s}`}>
            <Status status={s} /> {props.counts[s]}
          </a>
        </span>
      ))}
    </span>
  );
}

export function TasksPage(props: { tasks: TaskView[]; now: Date }) {
  return (
    <Page title="Tasks" section="tasks">
      <h1>Tasks</h1>
      <p class="muted">Every task under trigger/, with its runs of the last 24 hours.</p>
      <Table head={["task", "file", "schedule", "retry", "queue", "concurrency", "runs (24 h)"]} label="Tasks">
        {props.tasks.map((t) => (
          <tr>
            <td>
              <a href={`${BASE}/tasks/${t.id}`}>{t.id}</a>
            </td>
            <td class="mono">trigger/{t.file}</td>
            <td>{t.schedule ? `${t.schedule.cron} ${t.schedule.timezone}; next ${t.schedule.next[0] ? relative(t.schedule.next[0], props.now) : "—"}` : "—"}</td>
            <td>{retry(t)}</td>
            <td class="mono">{t.queueName}</td>
            <td>{concurrency(t)}</td>
            <td>
              <Counts counts={t.last24h} task={t.id} />
            </td>
          </tr>
        ))}
      </Table>
    </Page>
  );
}

export interface TriggerForm {
  payload: string;
  key: string;
  delay: string;
  concurrencyKey: string;
  /** Schema issues, each shown next to the payload field with its path. */
  issues?: PayloadIssue[];
  /** Not JSON at all. */
  jsonError?: string;
  delayError?: string;
}

export function TaskPage(props: { task: TaskView; runs: RunLogEntry[]; form: TriggerForm; now: Date; notice?: Notice }) {
  const { task, form } = props;
  const payloadInvalid = Boolean(form.jsonError || form.issues?.length);
  return (
    <Page title={task.id} section="tasks" notice={props.notice}>
      <h1>{task.id}</h1>
      <dl class="facts">
        <dt>file</dt>
        <dd class="mono">trigger/{task.file}</dd>
        <dt>kind</dt>
        <dd>{task.kind === "schedule" ? "scheduled (its crons start it)" : task.kind === "schema" ? "schemaTask" : "task"}</dd>
        <dt>retry</dt>
        <dd>{retry(task)}</dd>
        <dt>queue</dt>
        <dd class="mono">{task.queueName}</dd>
        <dt>concurrency</dt>
        <dd>{concurrency(task)}</dd>
        <dt>max duration</dt>
        <dd>{task.maxDurationSeconds ? duration(task.maxDurationSeconds * 1000) : "—"}</dd>
        <dt>schedule</dt>
        <dd>
          {task.schedule ? (
            <>
              <span class="mono">{task.schedule.cron}</span> {task.schedule.timezone}; next:{" "}
              {task.schedule.next.map((d, i) => (
                <span>
                  {i ? ", " : ""}
                  {iso(d)} ({relative(d, props.now)})
                </span>
              ))}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>runs (24 h)</dt>
        <dd>
          <Counts counts={task.last24h} task={task.id} />
        </dd>
      </dl>
      <h2>Payload schema</h2>
      {task.jsonSchema ? <pre>{json(task.jsonSchema)}</pre> : <p class="muted">No schema: {task.kind === "schedule" ? "the schedule's own payload." : "any JSON."}</p>}
      {task.kind !== "schedule" ? (
        <>
          <h2 id="trigger">Trigger a run</h2>
          <form method="post" action={`${BASE}/tasks/${task.id}/trigger`} novalidate>
            <div class="field">
              <label for="payload">Payload (JSON)</label>
              <textarea id="payload" name="payload" aria-invalid={payloadInvalid ? "true" : undefined} aria-describedby={payloadInvalid ? "payload-error" : undefined}>
                {form.payload}
              </textarea>
              {payloadInvalid ? (
                <div id="payload-error" class="error" role="alert">
                  {form.jsonError ? (
                    <p>Not valid JSON: {form.jsonError}</p>
                  ) : (
                    <ul>
                      {form.issues!.map((i) => (
                        <li>
                          <code>{i.path.map(String).join(".") || "(payload)"}</code>: {i.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ) : null}
            </div>
            <div class="filters">
              <label>
                Idempotency key (optional)
                <input type="text" name="key" value={form.key} />
              </label>
              <label>
                Concurrency key (optional)
                <input type="text" name="concurrencyKey" value={form.concurrencyKey} />
              </label>
              <label for="delay">
                Delay (optional, e.g. 10m)
                <input id="delay" type="text" name="delay" value={form.delay} aria-invalid={form.delayError ? "true" : undefined} aria-describedby={form.delayError ? "delay-error" : undefined} />
                {form.delayError ? (
                  <span id="delay-error" class="error" role="alert">
                    {form.delayError}
                  </span>
                ) : null}
              </label>
              <button type="submit" class="primary">
                Trigger
              </button>
            </div>
          </form>
        </>
      ) : null}
      <h2>Recent runs</h2>
      <div id="task-runs-live" data-live={inMotion(props.runs.map((r) => r.status)) ? "on" : "off"}>
        {props.runs.length ? <RunsTable runs={props.runs} now={props.now} showTask={false} /> : <p class="muted">No runs yet.</p>}
      </div>
      <p>
        <a href={`${BASE}/runs?task=${encodeURIComponent(task.id)}`}>All runs of {task.id} →</a>
      </p>
    </Page>
  );
}
