import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { buildSampleSupabasePayload } from "@paycron/inbox";
import { countRows, execSql, stripeDelivery, SUPABASE_SECRET, testApp, truncateInbox } from "./helpers.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

const t = useTestDb();
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let appDb: Db;

beforeAll(async () => {
  const url = new URL(t.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  url.port = String(proxy.port);
  appDb = createDb({ connectionString: url.toString(), max: 4, onError: () => {} });
});
afterAll(async () => {
  await appDb?.destroy();
  await proxy?.close();
});

describe("when the database is down", () => {
  it("answers 503 (never 200), stores nothing, and stores the redelivery once it is back", async () => {
    const { app, clock } = testApp(appDb);
    const stripe = stripeDelivery("payment_intent.succeeded", { clock });
    const supabase = { method: "POST", headers: { authorization: `Bearer ${SUPABASE_SECRET}` }, body: JSON.stringify(buildSampleSupabasePayload("customers:INSERT", { clock })) };

    // Warm the pool so the outage also drops live connections, not only new ones.
    expect((await app.request("/readyz")).status).toBe(200);
    await proxy.cut();

    for (const [path, init] of [["/webhooks/stripe", stripe.init], ["/webhooks/supabase", supabase]] as const) {
      const res = await app.request(path, init);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
    }
    expect((await app.request("/readyz")).status).toBe(503);
    expect((await app.request("/healthz")).status).toBe(200);

    await proxy.restore();
    expect(await countRows(t.db, "webhook_events")).toBe(0);

    // The senders retry: both events are now stored and routed, exactly once.
    expect((await app.request("/webhooks/stripe", stripe.init)).status).toBe(200);
    expect((await app.request("/webhooks/supabase", supabase)).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
    expect(await countRows(t.db, "webhook_events")).toBe(2);
    expect(await countRows(t.db, "task_outbox")).toBe(2);
  });

  it("rolls the event back when routing it fails: no stored row without its outbox row", async () => {
    const { app, clock } = testApp(appDb);
    await truncateInbox(t.db);
    // A trigger that makes the outbox insert fail after the webhook_events insert succeeded.
    await execSql(
      t.url,
      `create function refuse_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox unavailable'; end $$;
       create trigger refuse_outbox before insert on task_outbox for each row execute function refuse_outbox();`,
    );
    try {
      const delivery = stripeDelivery("charge.refunded", { clock });
      expect((await app.request("/webhooks/stripe", delivery.init)).status).toBe(503);
      expect(await countRows(t.db, "webhook_events")).toBe(0);
    } finally {
      await execSql(t.url, "drop trigger refuse_outbox on task_outbox; drop function refuse_outbox();");
    }
  });
});
