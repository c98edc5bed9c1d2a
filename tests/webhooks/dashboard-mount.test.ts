import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { createApp } from "@paycron/webhooks";
import { FIXTURES_DIR } from "../support/task-fixtures.ts";
import { REFERENCE_TIME, testConfig } from "./helpers.ts";

const t = useTestDb();
const TOKEN = "deployed-dashboard-token-0123";
const catalog = () => loadTaskCatalog({ dir: FIXTURES_DIR });

function app(options: { token?: string; dashboard?: boolean }) {
  return createApp({
    db: t.db,
    config: testConfig(options.token ? { DASHBOARD_TOKEN: options.token } : {}),
    logger: silentLogger(),
    clock: new TestClock(REFERENCE_TIME),
    ...(options.dashboard ? { dashboard: { catalog } } : {}),
  });
}

describe("the webhook app's /dashboard", () => {
  it("is off in a deployed app without DASHBOARD_TOKEN", async () => {
    const res = await app({}).request("/dashboard/runs");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("with DASHBOARD_TOKEN, is served only to requests carrying it", async () => {
    const deployed = app({ token: TOKEN });
    expect((await deployed.request("/dashboard/runs")).status).toBe(401);
    expect((await deployed.request("/dashboard/runs", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const write = await deployed.request("/dashboard/runs/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/cancel", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
      body: "",
    });
    expect(write.status).toBe(401);
  });

  it("is on without a token when the app is started with the dashboard option (pnpm dev)", async () => {
    const res = await app({ dashboard: true }).request("/dashboard/runs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Runs</h1>");
  });

  it("under pnpm dev, sends a test event through the app's own webhook route (signed, verified, stored, routed); a deployed one does not offer it", async () => {
    const dev = app({ dashboard: true });
    const form = await (await dev.request("/dashboard/events/send?provider=stripe&type=customer.updated")).text();
    expect(form).toContain("Send a test event");
    const sample = JSON.parse(/<textarea id="event-payload"[^>]*>([^<]*)<\/textarea>/.exec(form)![1]!.replaceAll("&quot;", '"')) as { id: string; type: string };
    expect(sample).toMatchObject({ id: expect.stringMatching(/^evt_/), type: "customer.updated" });

    const send = (fields: Record<string, string>) =>
      dev.request("/dashboard/events/send", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
        body: new URLSearchParams(fields).toString(),
      });
    const payload = JSON.stringify(sample);
    const sent = await send({ provider: "stripe", type: "customer.updated", payload });
    expect(sent.status).toBe(303);
    const stored = await t.db.selectFrom("webhook_events").select(["id", "type", "status"]).where("provider_event_id", "=", sample.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ type: "customer.updated", status: "received" });
    expect(sent.headers.get("location")).toBe(`/dashboard/events/${stored.id}?notice=sent`);
    expect(await t.db.selectFrom("task_outbox").select("task_id").where("idempotency_key", "=", `stripe:${sample.id}`).executeTakeFirstOrThrow()).toEqual({ task_id: "stripe-customer-updated" });
    // The same event again is a redelivery, as from Stripe.
    expect((await send({ provider: "stripe", type: "customer.updated", payload })).headers.get("location")).toBe(`/dashboard/events/${stored.id}?notice=duplicate`);

    const notJson = await send({ provider: "stripe", type: "customer.updated", payload: "{" });
    expect(notJson.status).toBe(422);
    expect(await notJson.text()).toMatch(/id="event-payload-error" class="error" role="alert">Not valid JSON/);
    const notAnEvent = await send({ provider: "stripe", type: "customer.updated", payload: '{"hello":"world"}' });
    expect(notAnEvent.status).toBe(422);
    expect(await notAnEvent.text()).toContain("The webhook app refused it (400 invalid_event)");

    const supabaseForm = await (await dev.request("/dashboard/events/send?provider=supabase&type=customers:INSERT")).text();
    const supabasePayload = /<textarea id="event-payload"[^>]*>([^<]*)<\/textarea>/.exec(supabaseForm)![1]!.replaceAll("&quot;", '"');
    const supabase = await send({ provider: "supabase", type: "customers:INSERT", payload: supabasePayload });
    expect(supabase.status).toBe(303);
    expect(await t.db.selectFrom("webhook_events").select("type").where("provider", "=", "supabase").execute()).toEqual([{ type: "customers:INSERT" }]);

    const deployed = app({ token: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await deployed.request("/dashboard/events/send", { headers: auth })).status).toBe(404);
    expect(await (await deployed.request("/dashboard/events", { headers: auth })).text()).not.toContain("Send a test event");
  });

  it("refuses a DASHBOARD_TOKEN too short to be a secret", () => {
    expect(() => testConfig({ DASHBOARD_TOKEN: "short" })).toThrow(/DASHBOARD_TOKEN: DASHBOARD_TOKEN must be at least 16 characters/);
  });
});
