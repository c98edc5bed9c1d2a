import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { createCustomer, createSubscription, useTestDb } from "@paycron/db/testing";
import { dashboardRoutes, SESSION_COOKIE } from "@paycron/dashboard";
import { createWebhookInbox, recordStripeEvent } from "@paycron/inbox";
import { enqueueUnchecked } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { Hono } from "hono";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const logger = silentLogger();
const TOKEN = "dashboard-token-0123456789";
const ORIGIN = "http://localhost";

/** The dashboard mounted as the webhook app mounts it, over the fixture tasks. */
function dashboard(token?: string) {
  const app = new Hono();
  app.route("/dashboard", dashboardRoutes({ db: t.db, clock: systemClock, logger, token, catalog: () => loadTaskCatalog({ dir: FIXTURES_DIR }) }));
  return app;
}

/** A form post as the dashboard's own page sends it: same origin, form-encoded. */
async function post(app: Hono, path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "sec-fetch-site": "same-origin", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const drain = (options: { production?: boolean } = {}) =>
  runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger, tasksDir: options.production ? undefined : FIXTURES_DIR });
const outboxCount = async () => Number((await t.db.selectFrom("task_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const enqueue = (task: string, payload: unknown, options: { delay?: string; key?: string } = {}) =>
  withTransaction(t.db, (tx) => enqueueUnchecked(tx, task, payload, { ...options, idempotencyKey: options.key, clock: systemClock }));
const runOf = (outboxId: string) => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", outboxId).executeTakeFirstOrThrow();

describe("dashboard: token and cross-site guard", () => {
  it("without a token, serves its pages", async () => {
    const res = await dashboard().request("/dashboard/runs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("<h1>Runs</h1>");
  });

  it("with a token, refuses every page and write without it, and accepts the bearer header or the login cookie", async () => {
    const app = dashboard(TOKEN);
    for (const path of ["/dashboard/runs", "/dashboard/tasks", "/dashboard/events", "/dashboard/billing", "/dashboard/tasks/echo"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain("Dashboard token");
    }
    const before = await outboxCount();
    const refused = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"no token"}' });
    expect(refused.status).toBe(401);
    expect(await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"wrong"}' }, { authorization: "Bearer not-the-token" }).then((r) => r.status)).toBe(401);
    expect(await outboxCount()).toBe(before);

    expect((await app.request("/dashboard/runs", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

    expect((await app.request("/dashboard/login?token=wrong-token-0123456789")).status).toBe(401);
    const login = await app.request(`/dashboard/login?token=${TOKEN}`);
    expect(login.status).toBe(303);
    const setCookie = login.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0]!;
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect((await app.request("/dashboard/runs", { headers: { cookie } })).status).toBe(200);
    const written = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"with cookie"}' }, { cookie });
    expect(written.status).toBe(303);
    expect(await outboxCount()).toBe(before + 1);

    // The login form posts the token too.
    expect((await post(app, "/dashboard/login", { token: TOKEN })).status).toBe(303);
    expect((await post(app, "/dashboard/login", { token: "nope" })).status).toBe(401);
  });

  it("without a token answers on a loopback host name only (no DNS rebinding), and no page may be framed", async () => {
    const app = dashboard();
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000"]) expect((await app.request("/dashboard/runs", { headers: { host } })).status, host).toBe(200);
    const rebound = await app.request("http://attacker.example:3000/dashboard/runs", { headers: { host: "attacker.example:3000" } });
    expect(rebound.status).toBe(403);
    const reboundPost = await post(app, "http://attacker.example:3000/dashboard/tasks/echo/trigger", { payload: '{"value":"x"}' }, { host: "attacker.example:3000", origin: "http://attacker.example:3000" });
    expect(reboundPost.status).toBe(403);
    // With a token, the name does not matter: the token does.
    expect((await dashboard(TOKEN).request("https://paycron.example/dashboard/runs", { headers: { host: "paycron.example", authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const page = await app.request("/dashboard/runs");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect((await dashboard(TOKEN).request("/dashboard/runs")).headers.get("x-frame-options")).toBe("DENY");
  });

  it("refuses cross-site posts, posts with no origin at all, and non-form bodies, even with the token", async () => {
    const app = dashboard(TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const before = await outboxCount();
    const crossSite = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"csrf"}' }, { ...auth, origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("Cross-site");
    const noOrigin = await app.request("/dashboard/tasks/echo/trigger", {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: "payload=%7B%22value%22%3A%22x%22%7D",
    });
    expect(noOrigin.status).toBe(403);
    const json = await app.request("/dashboard/tasks/echo/trigger", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ payload: '{"value":"x"}' }),
    });
    expect(json.status).toBe(403);
    const textPlain = await app.request("/dashboard/tasks/echo/trigger", { method: "POST", headers: { ...auth, "content-type": "text/plain", origin: "https://evil.example" }, body: "payload=x" });
    expect(textPlain.status).toBe(403);
    // Cancel and replay are writes too.
    const run = await enqueue("echo", { value: "stay" }, { delay: "1h" });
    expect((await post(app, `/dashboard/runs/${run.id}/cancel`, {}, { ...auth, origin: "https://evil.example", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(await outboxCount()).toBe(before + 1);
    const row = await t.db.selectFrom("task_outbox").select("dispatched_at").where("id", "=", run.id).executeTakeFirstOrThrow();
    expect(row.dispatched_at).toBeNull();
  });
});

describe("dashboard: runs", () => {
  it("lists runs newest first with filters, pages by cursor, and shows a run's payload, output, attempts, key and outbox row", async () => {
    const app = dashboard();
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 55; i++) await enqueueUnchecked(tx, "echo", { value: `bulk-${i}` }, { idempotencyKey: `bulk-key-${i}`, clock: systemClock });
    });
    const findMe = await enqueue("echo", { value: "find the needle" }, { key: "needle-key" });
    await drain();

    const first = await (await app.request("/dashboard/runs?task=echo")).text();
    expect(first.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)).toHaveLength(50);
    const next = /href="(\/dashboard\/runs\?task=echo&amp;after=[^"]+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await app.request(next!.replaceAll("&amp;", "&"))).text();
    expect((second.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g) ?? []).length).toBeGreaterThanOrEqual(6);

    const byPayload = await (await app.request("/dashboard/runs?q=NEEDLE")).text();
    const run = await runOf(findMe.id);
    expect(byPayload).toContain(`/dashboard/runs/${run.id}`);
    expect(byPayload.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)).toHaveLength(1);
    const byKey = await (await app.request("/dashboard/runs?key=needle")).text();
    expect(byKey.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)).toHaveLength(1);
    const byStatus = await (await app.request("/dashboard/runs?status=failed&task=echo")).text();
    expect(byStatus).toContain("No runs match.");
    const future = await (await app.request("/dashboard/runs?since=2099-01-01T00:00")).text();
    expect(future).toContain("No runs match.");

    const page = await (await app.request(`/dashboard/runs/${run.id}`)).text();
    expect(page).toContain("find the needle");
    expect(page).toContain("needle-key");
    expect(page).toContain("held until");
    expect(page).toContain(findMe.id); // the outbox row
    expect(page).toContain("&quot;echo&quot;: &quot;find the needle&quot;"); // the output
    expect(page).toMatch(/<td>1 of 2<\/td>/); // the fixtures' retries.default: 2 attempts

    // By its outbox id (what a delayed or fresh trigger names), the page redirects to the run's own.
    const byOutbox = await app.request(`/dashboard/runs/${findMe.id}`);
    expect(byOutbox.status).toBe(302);
    expect(byOutbox.headers.get("location")).toBe(`/dashboard/runs/${run.id}`);
    expect((await app.request("/dashboard/runs/not-a-uuid")).status).toBe(404);
    expect((await app.request("/dashboard/runs/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")).status).toBe(404);
    expect((await app.request("/dashboard/runs?after=garbage")).status).toBe(400);
  });

  it("shows a failed run's error with its stack", async () => {
    const failed = await enqueue("abort", {});
    await drain();
    const run = await runOf(failed.id);
    const page = await (await dashboard().request(`/dashboard/runs/${run.id}`)).text();
    expect(page).toContain("<h2>Error</h2>");
    expect(page).toContain("a retry cannot fix this");
    expect(page).toMatch(/at .*abort\.ts/);
  });
});

describe("dashboard: run tree", () => {
  it("draws a run's family from its root: parent, children and grandchildren, the run itself marked", async () => {
    const parent = await enqueue("nested-spawn-child", { value: "family" });
    await drain();
    const parentRun = await runOf(parent.id);
    const child = await t.db.selectFrom("task_runs").selectAll().where("parent_run_id", "=", parentRun.id).executeTakeFirstOrThrow();
    // A grandchild, enqueued by the child and not dispatched yet.
    const grandchild = await t.db
      .insertInto("task_outbox")
      .values({ task_id: "echo", payload: JSON.stringify({ value: "grandchild" }), idempotency_key: "grandchild-1", idempotency_expires_at: new Date(systemClock.now().getTime() + 86_400_000), parent_run_id: child.id, available_at: new Date(systemClock.now().getTime() + 3_600_000) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const page = await (await dashboard().request(`/dashboard/runs/${child.id}`)).text();
    const tree = /<nav aria-label="Run tree">(.*?)<\/nav>/.exec(page)![1]!;
    expect(tree).toMatch(new RegExp(`^<ul class="tree"><li><a href="/dashboard/runs/${parentRun.id}">[0-9a-f]{8}</a> nested-spawn-child .*?<ul class="tree"><li><strong aria-current="true">${child.id.slice(0, 8)}</strong> echo .*?<ul class="tree"><li><a href="/dashboard/runs/${grandchild.id}">`));
    expect(tree).toContain("delayed");
    // A run without parent or children has no tree.
    const alone = await enqueue("echo", { value: "alone" });
    await drain();
    expect(await (await dashboard().request(`/dashboard/runs/${(await runOf(alone.id)).id}`)).text()).not.toContain("Run tree");
  });
});

describe("dashboard: attempts", () => {
  it("shows each attempt with its start, end, how it ended and the delay before the next", async () => {
    const enqueued = await enqueue("flaky", { failTimes: 2 });
    await drain();
    const run = await runOf(enqueued.id);
    expect(run).toMatchObject({ status: "completed", attempt: 3 });
    const attempts = await t.db.selectFrom("task_run_attempts").selectAll().where("run_id", "=", run.id).orderBy("attempt").execute();
    expect(attempts.map((a) => [a.attempt, a.outcome, (a.error as { message: string }).message])).toEqual([
      [1, "retrying", "planned failure 1"],
      [2, "retrying", "planned failure 2"],
    ]);
    // flaky's policy: 100 ms, then 200 ms (factor 2, no randomness); the next attempt is due that
    // long after the statement that ended the attempt (a hair less from the trigger's own clock read).
    const delays = attempts.map((a) => a.next_attempt_at!.getTime() - a.ended_at.getTime());
    expect(delays[0]).toBeGreaterThan(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThan(150);
    expect(delays[1]).toBeLessThanOrEqual(200);
    for (const a of attempts) expect(a.started_at!.getTime()).toBeLessThanOrEqual(a.ended_at.getTime());
    // The run row keeps the first attempt's start in started_at, and the last one's in attempt_started_at.
    expect(run.started_at).toEqual(attempts[0]!.started_at);
    expect(run.attempt_started_at!.getTime()).toBeGreaterThanOrEqual(attempts[1]!.ended_at.getTime());

    const page = await (await dashboard().request(`/dashboard/runs/${run.id}`)).text();
    expect(page).toMatch(/<td>1 of 4<\/td><td>[^<]+Z<\/td><td>[^<]+Z<\/td><td>[^<]+<\/td><td class="wrap">failed: planned failure 1<\/td><td>\d+ ms \(at /);
    expect(page).toMatch(/<td>2 of 4<\/td>.*failed: planned failure 2<\/td><td>\d+ ms \(at /);
    // The timeline: one bar per attempt, red, red, green.
    expect(page.match(/<span class="bar b-(\w+)"/g)).toEqual(['<span class="bar b-failed"', '<span class="bar b-failed"', '<span class="bar b-completed"']);
    expect(page).toMatch(/<td>3 of 4<\/td><td>[^<]+Z<\/td><td>[^<]+Z<\/td><td>[^<]+<\/td><td class="wrap">completed<\/td><td>—<\/td>/);
  });
});

describe("dashboard: actions", () => {
  it("triggers a task from the form: schema errors inline next to the payload, bad JSON and bad delays too; a good payload makes a run", async () => {
    const app = dashboard();
    const before = await outboxCount();
    const invalid = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value": 42}' });
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toMatch(/<textarea id="payload" name="payload" aria-invalid="true" aria-describedby="payload-error">/);
    expect(html).toMatch(/<div id="payload-error" class="error" role="alert"><ul><li><code>value<\/code>: [^<]*expected string/i);
    expect(html).toContain("{&quot;value&quot;: 42}"); // what was typed stays in the field
    const notJson = await (await post(app, "/dashboard/tasks/echo/trigger", { payload: "{value" })).text();
    expect(notJson).toContain("Not valid JSON");
    const badDelay = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"x"}', delay: "soon" });
    expect(badDelay.status).toBe(422);
    expect(await badDelay.text()).toMatch(/id="delay-error" class="error" role="alert">/);
    expect(await outboxCount()).toBe(before);

    const ok = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"from the form"}', key: "form-key-1", concurrencyKey: "tenant-7" });
    expect(ok.status).toBe(303);
    const location = ok.headers.get("location")!;
    expect(location).toMatch(/^\/dashboard\/runs\/[0-9a-f-]{36}\?notice=triggered$/);
    const outboxId = location.split("/").pop()!.split("?")[0]!;
    expect(await t.db.selectFrom("task_outbox").select(["task_id", "payload", "idempotency_key", "concurrency_key"]).where("id", "=", outboxId).executeTakeFirstOrThrow()).toEqual({
      task_id: "echo",
      payload: { value: "from the form" },
      idempotency_key: "form-key-1",
      concurrency_key: "tenant-7",
    });
    // The same key again: the existing run, as `paycron trigger` says.
    const again = await post(app, "/dashboard/tasks/echo/trigger", { payload: '{"value":"from the form"}', key: "form-key-1" });
    expect(again.headers.get("location")).toBe(`/dashboard/runs/${outboxId}?notice=existing`);
    await drain();
    const run = await runOf(outboxId);
    expect(run.status).toBe("completed");
    const shown = await app.request(location);
    expect(shown.status).toBe(302);
    const page = await (await app.request(shown.headers.get("location")!)).text();
    expect(page).toContain("Run triggered.");
    expect(page).toContain("from the form");
  });

  it("replays a failed run as a new run linked to it, and cancels a delayed one; refusals are shown on the run's page", async () => {
    const app = dashboard();
    const failed = await enqueue("abort", {});
    await drain();
    const original = await runOf(failed.id);
    const replay = await post(app, `/dashboard/runs/${original.id}/replay`);
    expect(replay.status).toBe(303);
    const replayOutbox = replay.headers.get("location")!.split("/").pop()!.split("?")[0]!;
    expect(await t.db.selectFrom("task_outbox").select(["replay_of", "task_id"]).where("id", "=", replayOutbox).executeTakeFirstOrThrow()).toEqual({ replay_of: original.id, task_id: "abort" });
    await drain();
    const replayed = await runOf(replayOutbox);
    const replayPage = await (await app.request(`/dashboard/runs/${replayed.id}`)).text();
    expect(replayPage).toContain("replay of");
    expect(replayPage).toContain(`/dashboard/runs/${original.id}`);
    const originalPage = await (await app.request(`/dashboard/runs/${original.id}`)).text();
    expect(originalPage).toContain("replayed by");

    const delayed = await enqueue("echo", { value: "later" }, { delay: "1h" });
    const delayedPage = await (await app.request(`/dashboard/runs/${delayed.id}`)).text();
    expect(delayedPage).toContain("delayed");
    expect(delayedPage).toContain(`action="/dashboard/runs/${delayed.id}/cancel"`);
    const cancel = await post(app, `/dashboard/runs/${delayed.id}/cancel`);
    expect(cancel.status).toBe(303);
    const canceled = await runOf(delayed.id);
    expect(canceled.status).toBe("canceled");
    expect(cancel.headers.get("location")).toBe(`/dashboard/runs/${canceled.id}?notice=canceled`);
    const again = await post(app, `/dashboard/runs/${canceled.id}/cancel`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("it is already canceled");
    // A delayed row has nothing to replay yet.
    const pending = await enqueue("echo", { value: "not yet" }, { delay: "1h" });
    const refused = await post(app, `/dashboard/runs/${pending.id}/replay`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("has not been dispatched yet");
  });

  it("re-processes a stored unhandled webhook event through replayWebhookEvents, and lists events with the runs they produced", async () => {
    const app = dashboard();
    const recorded = await recordStripeEvent(createWebhookInbox(t.db, systemClock), { id: "evt_dash_1", type: "customer.updated", object: "event", data: { object: { id: "cus_1" } } });
    await drain({ production: true });
    expect((await t.db.selectFrom("webhook_events").select("status").where("id", "=", recorded.id).executeTakeFirstOrThrow()).status).toBe("unhandled");

    const list = await (await app.request("/dashboard/events?provider=stripe&type=customer.updated")).text();
    expect(list).toContain(`/dashboard/events/${recorded.id}`);
    expect(await (await app.request("/dashboard/events?status=failed")).text()).not.toContain(recorded.id);
    const page = await (await app.request(`/dashboard/events/${recorded.id}`)).text();
    expect(page).toContain("stripe-customer-updated");
    expect(page).toContain("cus_1");
    expect(page).toContain("Re-process");

    const replay = await post(app, `/dashboard/events/${recorded.id}/replay`);
    expect(replay.status).toBe(303);
    expect((await t.db.selectFrom("webhook_events").select(["status", "replays"]).where("id", "=", recorded.id).executeTakeFirstOrThrow())).toEqual({ status: "received", replays: 1 });
    const refused = await post(app, `/dashboard/events/${recorded.id}/replay`);
    expect(refused.status).toBe(409);
    await drain({ production: true });
    const after = await (await app.request(`/dashboard/events/${recorded.id}`)).text();
    expect(after.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)).toHaveLength(2);
    expect(after).toContain("stripe:evt_dash_1:replay:1");
  });
});

describe("dashboard: tasks and billing", () => {
  it("lists every task with its file, schedule, retry, queue, concurrency and runs of the last day; a task's page shows its JSON Schema and next fire times", async () => {
    const app = dashboard();
    const tasks = await (await app.request("/dashboard/tasks")).text();
    for (const id of ["echo", "abort", "paris-morning", "limited"]) expect(tasks).toContain(`href="/dashboard/tasks/${id}"`);
    expect(tasks).toContain("trigger/echo.ts");
    const echo = await (await app.request("/dashboard/tasks/echo")).text();
    expect(echo).toContain("&quot;$schema&quot;");
    expect(echo).toContain("&quot;value&quot;");
    expect(echo).toContain("Trigger a run");
    const cron = await (await app.request("/dashboard/tasks/paris-morning")).text();
    expect(cron).toContain("Europe/Paris");
    expect(cron.match(/\(in [^)]+\)/g)!.length).toBeGreaterThanOrEqual(3);
    expect(cron).not.toContain("Trigger a run");
    const forced = await post(app, "/dashboard/tasks/paris-morning/trigger", { payload: "{}" });
    expect(forced.status).toBe(409);
    expect(await forced.text()).toContain("paris-morning is a scheduled task: its crons start it.");
    expect((await app.request("/dashboard/tasks/no-such-task")).status).toBe(404);
  });

  it("shows billing runs, past_due subscriptions with their dunning step and next attempt, invoices with their documents, emails, and a customer's page", async () => {
    const app = dashboard();
    const customer = await createCustomer(t.db, { email: "dunning@example.test" });
    const subscription = await createSubscription(t.db, { customer_id: customer.id, organization_id: customer.organization_id, status: "past_due" });
    const period = await t.db
      .insertInto("billing_periods")
      .values({ subscription_id: subscription.id, starts_at: new Date("2026-01-01T00:00:00Z"), ends_at: new Date("2026-02-01T00:00:00Z"), status: "past_due" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const now = systemClock.now();
    const [failedRun] = await t.db
      .insertInto("billing_runs")
      .values([
        { billing_period_id: period.id, subscription_id: subscription.id, attempt: 1, scheduled_for: new Date(now.getTime() - 3 * 86_400_000), status: "failed", error: JSON.stringify({ message: "card_declined" }), charge_amount: 4900 },
        { billing_period_id: period.id, subscription_id: subscription.id, attempt: 2, scheduled_for: new Date(now.getTime() + 3_600_000), status: "scheduled" },
      ])
      .returning("id")
      .execute();
    // The runs that worked on them, with the payloads and keys billing gives them.
    const [chargeRun, dunningRun] = await t.db
      .insertInto("task_runs")
      .values([
        { task_id: "billing-run", status: "completed", payload: JSON.stringify({ billingRunId: failedRun!.id }), idempotency_key: `billing-run:${failedRun!.id}` },
        { task_id: "dunning-finalize", status: "completed", payload: JSON.stringify({ subscriptionId: subscription.id }), idempotency_key: `${subscription.id}@2026-12-01T00:00:00.000Z` },
        { task_id: "billing-run", status: "completed", payload: JSON.stringify({ billingRunId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }), idempotency_key: "billing-run:6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" },
      ])
      .returning("id")
      .execute();
    await t.db
      .insertInto("invoices")
      .values({ organization_id: customer.organization_id, customer_id: customer.id, subscription_id: subscription.id, number: "INV-0042", status: "open", currency: "USD", subtotal: 4900, total: 4900, amount_due: 4900, pdf_object: "invoices/inv-0042.pdf" })
      .execute();
    await t.db
      .insertInto("email_deliveries")
      .values({ template: "payment-failed", recipient: customer.email, subject: "Your payment failed", idempotency_key: `email-${customer.id}`, status: "sent", html: "<p>Please update your card</p>", text: "Please update your card" })
      .execute();

    const billing = await (await app.request("/dashboard/billing")).text();
    expect(billing).toContain("card_declined");
    expect(billing).toMatch(/1 of \d+ failed/);
    expect(billing).toContain("INV-0042");
    expect(billing).toContain("invoices/inv-0042.pdf");
    expect(billing).toContain("Your payment failed");
    expect(billing).toContain(`/dashboard/customers/${customer.id}`);
    const found = await (await app.request("/dashboard/billing?customer=dunning%40")).text();
    expect(found).toContain(`href="/dashboard/customers/${customer.id}"`);

    const page = await (await app.request(`/dashboard/customers/${customer.id}`)).text();
    for (const text of ["dunning@example.test", subscription.id, "past_due", "INV-0042", "Your payment failed", "card_declined"]) expect(page).toContain(text);
    // Its runs: the charge and the dunning step, not another customer's.
    const runs = /aria-label="Runs about this customer".*?<\/table>/.exec(page)![0];
    expect(runs.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)!.sort()).toEqual([`href="/dashboard/runs/${chargeRun!.id}"`, `href="/dashboard/runs/${dunningRun!.id}"`].sort());
    // And from a run, the billing state behind it.
    const charge = await (await app.request(`/dashboard/runs/${chargeRun!.id}`)).text();
    const state = /aria-label="Billing state".*?<\/table>/.exec(charge)![0];
    expect(state).toContain("billing run");
    expect(state).toContain(`href="/dashboard/runs?key=billing-run%3A${failedRun!.id}"`);
    const ofBillingRun = await (await app.request(`/dashboard/runs?key=${encodeURIComponent(`billing-run:${failedRun!.id}`)}`)).text();
    expect(ofBillingRun.match(/href="\/dashboard\/runs\/[0-9a-f-]{36}"/g)).toEqual([`href="/dashboard/runs/${chargeRun!.id}"`]);
    expect(state).toContain('class="status s-failed"');
    expect(state).toContain("attempt 1, 49.00 USD");
    expect(state).toContain(`href="/dashboard/customers/${customer.id}"`);
    const dunning = await (await app.request(`/dashboard/runs/${dunningRun!.id}`)).text();
    expect(/aria-label="Billing state".*?<\/table>/.exec(dunning)![0]).toContain('class="status s-past_due"');
    const emailId = (await t.db.selectFrom("email_deliveries").select("id").where("recipient", "=", customer.email).executeTakeFirstOrThrow()).id;
    const email = await (await app.request(`/dashboard/emails/${emailId}`)).text();
    expect(email).toContain(`<iframe title="Email HTML" sandbox="" src="/dashboard/emails/${emailId}/html"`);
    expect(email).toContain("Please update your card"); // the text part
    const framed = await app.request(`/dashboard/emails/${emailId}/html`);
    expect(await framed.text()).toBe("<p>Please update your card</p>");
    expect(framed.headers.get("content-security-policy")).toMatch(/^sandbox; default-src 'none'.*frame-ancestors 'self'$/);
  });
});

describe("dashboard: invoice documents", () => {
  it("links an invoice's PDF through a short-lived signed URL, and signs no key an invoice does not record", async () => {
    const { createOrganization } = await import("@paycron/db/testing");
    const organization = await createOrganization(t.db);
    const customer = await createCustomer(t.db, { organization_id: organization.id });
    const key = `invoices/${organization.id}/doc/invoice-0123456789abcdef.pdf`;
    await t.db
      .insertInto("invoices")
      .values({ organization_id: organization.id, customer_id: customer.id, number: "DASH-000001", status: "open", currency: "USD", subtotal: 100, total: 100, amount_due: 100, issued_at: new Date(), pdf_object: key })
      .execute();
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { generateSigningSecret, LocalStorage } = await import("@paycron/storage");
    const documents = new LocalStorage({ dataDir: mkdtempSync(join(tmpdir(), "dash-docs-")), signingSecret: generateSigningSecret(), publicBaseUrl: "http://127.0.0.1:9", clock: systemClock });
    await documents.put(key, new TextEncoder().encode("%PDF-1.3 test"), { contentType: "application/pdf" });
    const app = new Hono();
    app.route("/dashboard", dashboardRoutes({ db: t.db, clock: systemClock, logger, catalog: () => loadTaskCatalog({ dir: FIXTURES_DIR }), documents }));

    const billing = await (await app.request("/dashboard/billing")).text();
    expect(billing).toContain(`href="/dashboard/documents/${key}"`);
    const opened = await app.request(`/dashboard/documents/${key}`);
    expect(opened.status).toBe(302);
    const location = new URL(opened.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`http://127.0.0.1:9/files/${key}`);
    expect(Number(location.searchParams.get("expires")) * 1000 - Date.now()).toBeLessThanOrEqual(300_000);
    expect(documents.checkSignedUrl(key, { expires: location.searchParams.get("expires")!, signature: location.searchParams.get("signature")! })).toEqual({ ok: true });

    expect((await app.request(`/dashboard/documents/invoices/${organization.id}/doc/other.pdf`)).status).toBe(404);
    expect((await dashboard().request(`/dashboard/documents/${key}`)).status).toBe(404);
  });
});
