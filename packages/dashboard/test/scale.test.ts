import { Kysely, PostgresDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { createPool, type Database } from "@paycron/db";
import { createCustomer, createSubscription, useTestDb } from "@paycron/db/testing";
import { dashboardRoutes } from "@paycron/dashboard";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { Hono } from "hono";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

/*
 * "Fast on 100k runs", checked without a stopwatch: with 100,000 runs and 20,000 webhook events
 * stored (and the planner's statistics up to date), every query the list and detail pages send
 * is planned without a sequential scan of task_runs, task_outbox or webhook_events. The queries are the ones
 * the pages really send, captured from kysely's log and EXPLAINed with their parameters.
 * Left out on purpose: the tasks page's runs-of-the-last-24-hours counts (an aggregate that reads
 * the day's rows by definition) and payload text search (a filter over the rows the other
 * conditions leave, in index order, which stops once a page is full).
 */
const t = useTestDb();
const RUNS = 100_000;
const TASKS = ["echo", "abort", "flaky", "limited", "gauge"];

interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

function seqScans(plan: Record<string, unknown>, tables: string[], found: string[] = []): string[] {
  if (plan["Node Type"] === "Seq Scan" && tables.includes(plan["Relation Name"] as string)) found.push(plan["Relation Name"] as string);
  for (const child of (plan.Plans as Record<string, unknown>[] | undefined) ?? []) seqScans(child, tables, found);
  return found;
}

describe("the dashboard on 100k runs", () => {
  it("plans every list and detail query of its pages without a sequential scan of runs or events", async () => {
    await t.db.executeQuery(
      // Spread over 30 days, five tasks, every status; a tenth name a webhook event.
      {
        sql: `insert into task_runs (task_id, status, payload, attempt, max_attempts, idempotency_key, run_at, created_at, started_at, finished_at)
              select (array['echo','abort','flaky','limited','gauge'])[1 + i % 5],
                     (array['completed','completed','completed','failed','canceled','retrying','queued'])[1 + i % 7]::text,
                     case when i % 10 = 0 then jsonb_build_object('webhookEventId', gen_random_uuid()::text) else jsonb_build_object('value', 'v' || i) end,
                     1, 3, 'key-' || i, now(), now() - (i * interval '26 seconds'), now() - (i * interval '26 seconds'), now() - (i * interval '26 seconds') + interval '40 ms'
              from generate_series(1, ${RUNS}) i`,
        parameters: [],
        query: { kind: "RawNode" } as never,
        queryId: { queryId: "seed-runs" },
      },
    );
    await t.db.executeQuery({
      sql: `insert into webhook_events (provider, provider_event_id, type, payload, status, received_at)
            select (array['stripe','supabase'])[1 + i % 2]::text, 'evt_scale_' || i,
                   (array['payment_intent.succeeded','customer.updated','charge.refunded','customers:INSERT'])[1 + i % 4],
                   jsonb_build_object('id', 'evt_scale_' || i), (array['processed','ignored','unhandled','failed'])[1 + i % 4]::text,
                   now() - (i * interval '2 minutes')
            from generate_series(1, 20000) i`,
      parameters: [],
      query: { kind: "RawNode" } as never,
      queryId: { queryId: "seed-events" },
    });
    // Each run's outbox row (dispatched), plus a backlog of 5,000 not dispatched yet, delayed.
    await t.db.executeQuery({
      sql: `insert into task_outbox (task_id, payload, idempotency_key, idempotency_expires_at, available_at, dispatched_at, created_at)
            select task_id, payload, idempotency_key, now() + interval '1 day', created_at, created_at, created_at from task_runs;
            update task_runs r set outbox_id = o.id from task_outbox o where o.task_id = r.task_id and o.idempotency_key = r.idempotency_key;
            insert into task_outbox (task_id, payload, idempotency_key, idempotency_expires_at, available_at, created_at)
            select 'echo', jsonb_build_object('value', 'later-' || i), 'later-' || i, now() + interval '1 day', now() + interval '1 hour', now() - (i * interval '1 second')
            from generate_series(1, 5000) i`,
      parameters: [],
      query: { kind: "RawNode" } as never,
      queryId: { queryId: "seed-outbox" },
    });
    // A customer with a billing run that 1,000 of the runs are about (keyed as billing keys them: the customer page's runs).
    const customer = await createCustomer(t.db);
    const subscription = await createSubscription(t.db, { customer_id: customer.id, organization_id: customer.organization_id });
    const period = await t.db
      .insertInto("billing_periods")
      .values({ subscription_id: subscription.id, starts_at: new Date("2026-01-01T00:00:00Z"), ends_at: new Date("2026-02-01T00:00:00Z"), status: "active" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const billingRun = await t.db
      .insertInto("billing_runs")
      .values({ billing_period_id: period.id, subscription_id: subscription.id, attempt: 1, scheduled_for: new Date("2026-02-01T00:00:00Z"), status: "succeeded" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.executeQuery({
      sql: `update task_runs set task_id = 'billing-run', payload = jsonb_build_object('billingRunId', $1::text),
              idempotency_key = 'billing-run:' || $1::text || '@' || idempotency_key
            where id in (select id from task_runs where payload ? 'value' order by created_at limit 1000)`,
      parameters: [billingRun.id],
      query: { kind: "RawNode" } as never,
      queryId: { queryId: "seed-billing-runs" },
    });
    // One family, so that the run page's tree queries are among those checked.
    const [parent, child] = await t.db.selectFrom("task_runs").select("id").orderBy("created_at", "desc").limit(2).execute();
    await t.db.updateTable("task_runs").set({ parent_run_id: parent!.id }).where("id", "=", child!.id).execute();
    await t.db.executeQuery({ sql: "analyze task_runs; analyze webhook_events; analyze task_outbox", parameters: [], query: { kind: "RawNode" } as never, queryId: { queryId: "analyze" } });

    const captured: Captured[] = [];
    const pool = createPool({ connectionString: t.url, max: 4 });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === "query") captured.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    try {
      const app = new Hono();
      app.route("/dashboard", dashboardRoutes({ db, clock: systemClock, logger: silentLogger(), catalog: () => loadTaskCatalog({ dir: FIXTURES_DIR }) }));
      const html = async (path: string) => {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        return res.text();
      };

      const first = await html("/dashboard/runs");
      const next = /href="(\/dashboard\/runs\?after=[^"]+)"/.exec(first)![1]!;
      const second = await html(next);
      const deep = /href="(\/dashboard\/runs\?after=[^"]+)"/.exec(second)![1]!;
      await html(deep);
      for (const task of TASKS.slice(0, 2)) await html(`/dashboard/runs?task=${task}`);
      await html("/dashboard/runs?status=failed");
      await html("/dashboard/runs?status=delayed");
      await html("/dashboard/runs?task=flaky&status=retrying");
      await html("/dashboard/runs?key=key-4242");
      await html("/dashboard/runs?since=2026-01-01T00:00&until=2026-01-02T00:00");
      const runId = /href="\/dashboard\/runs\/([0-9a-f-]{36})"/.exec(first)![1]!;
      await html(`/dashboard/runs/${runId}`);
      expect(await html(`/dashboard/runs/${child!.id}`)).toContain("Run tree");
      await html("/dashboard/tasks/echo");
      const events = await html("/dashboard/events");
      await html(/href="(\/dashboard\/events\?after=[^"]+)"/.exec(events)![1]!.replaceAll("&amp;", "&"));
      await html("/dashboard/events?provider=stripe&type=customer.updated");
      await html("/dashboard/events?status=failed");
      const eventId = /href="\/dashboard\/events\/([0-9a-f-]{36})"/.exec(events)![1]!;
      await html(`/dashboard/events/${eventId}`);
      const customerPage = await html(`/dashboard/customers/${customer.id}`);
      expect(/aria-label="Runs about this customer".*?<\/table>/.exec(customerPage)![0].match(/href="\/dashboard\/runs\//g)).toHaveLength(50);

      // The 24-hour counts are the one aggregate: every run of the day, read once.
      const checked = captured.filter((q) => !/count\(\*\)/.test(q.sql));
      expect(checked.length).toBeGreaterThan(20);
      const scanning: string[] = [];
      for (const query of checked) {
        const { rows } = await pool.query(`explain (format json) ${query.sql}`, query.parameters as unknown[]);
        const plan = (rows[0] as { "QUERY PLAN": Array<{ Plan: Record<string, unknown> }> })["QUERY PLAN"][0]!.Plan;
        const scans = seqScans(plan, ["task_runs", "webhook_events", "task_outbox"]);
        if (scans.length) scanning.push(`${scans.join(", ")}: ${query.sql}`);
      }
      expect(scanning).toEqual([]);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
