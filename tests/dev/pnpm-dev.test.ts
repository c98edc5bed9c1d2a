import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, readPostmaster } from "@paycron/db/embedded";
import { buildSampleStripeEvent, signStripeEvent } from "@paycron/stripe";
import { groupIsEmpty, interrupt, paycron, processesMentioning, startDev, tempDir, waitFor, type Dev } from "./support.ts";

const dataDir = tempDir("paycron-dev-test-");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Your own secrets, as with `stripe listen`: the CLI, run without them, must still sign as the app verifies.
const STRIPE_SECRETS = "whsec_mine_first_0123456789,whsec_mine_second_0123456789";

/** Ctrl-C: exit 0, nothing that looks like a failure, nothing left running, dev.json gone. */
async function expectCleanStop(dev: Dev, postmasterPid: number): Promise<void> {
  const ended = await interrupt(dev);
  const output = dev.output();
  expect(ended, output).toEqual({ code: 0, signal: null });
  // No stack trace in either log format, no error line, no pnpm failure banner.
  expect(output).not.toMatch(/"stack"|\n\s+at \S+|"level":(50|60)|ELIFECYCLE|Command failed/);
  expect(groupIsEmpty(dev.pgid)).toBe(true);
  expect(isAlive(postmasterPid)).toBe(false);
  expect(processesMentioning(dataDir)).toEqual([]);
  expect(existsSync(join(dataDir, "dev.json"))).toBe(false);
}

describe("pnpm dev", () => {
  it("serves webhooks and runs their tasks; the CLI works beside it without DATABASE_URL; Ctrl-C stops it all with exit 0; a restart keeps the state", async () => {
    const dev = await startDev({ dataDir, env: { STRIPE_WEBHOOK_SECRETS: STRIPE_SECRETS } });
    const postgres = readPostmaster(join(dataDir, "postgres", "data"));
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${postgres.port}/postgres`;

    // One banner with what another terminal needs.
    const output = dev.output();
    expect(output).toContain(`${dev.url}/webhooks/stripe`);
    expect(output).toContain(databaseUrl);
    expect(output).toMatch(/Secrets\s+Stripe\s+whsec_…6789 {2}\(STRIPE_WEBHOOK_SECRETS\)/);
    expect(output).toMatch(/Supabase\s+[0-9a-f]{48} {2}\(dev\)/);
    expect(output).toMatch(/outbox-sweep\s+\* \* \* \* \* UTC\s+next \d{4}-\d\d-\d\d \d\d:\d\d:00Z \(in \d+ (s|min)\)/);
    expect(output).toMatch(/daily-cron\s+10 0 \* \* \* UTC\s+next \d{4}-\d\d-\d\d 00:10:00Z/);
    const state = JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as { databaseUrl: string; webhookUrl: string };
    expect(state).toMatchObject({ databaseUrl, webhookUrl: dev.url });
    expect(statSync(join(dataDir, "dev.json")).mode & 0o777).toBe(0o600);

    // customer.updated has no handler yet: its task settles it `unhandled`, and it stays replayable.
    const event = buildSampleStripeEvent("customer.updated");
    const delivery = signStripeEvent(event, "whsec_mine_second_0123456789");
    const response = await fetch(`${dev.url}/webhooks/stripe`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(200);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // The dispatcher and the local worker inside `pnpm dev` run its task, which settles it `unhandled`.
      await waitFor("the event's task", async () => {
        const status = (await client.query("select status from webhook_events where provider_event_id = $1", [event.id])).rows[0]?.status;
        return status === "unhandled" ? status : undefined;
      });

      // Commands beside it find its database by themselves: no DATABASE_URL, no "in use" refusal.
      const env = { PAYCRON_DATA_DIR: dataDir };
      const status = await paycron(["migrate", "status"], { env });
      expect(status.stderr).toBe("");
      expect(status.code).toBe(0);
      expect(status.stdout).toContain("20261125T000000-billing-schema");
      const replay = await paycron(["webhook", "replay", String(event.id)], { env });
      expect(replay.stdout).toContain(`stripe ${String(event.id)}  customer.updated  → stripe-customer-updated`);
      expect(replay.code).toBe(0);
      const runs = await waitFor("the replayed run", async () => {
        const rows = (await client.query("select idempotency_key, status from task_runs where idempotency_key like $1 order by 1", [`stripe:${String(event.id)}%`])).rows;
        return rows.length === 2 && rows.every((r) => r.status === "completed") ? rows : undefined;
      });
      expect(runs).toEqual([
        { idempotency_key: `stripe:${String(event.id)}`, status: "completed" },
        { idempotency_key: `stripe:${String(event.id)}:replay:1`, status: "completed" },
      ]);

      // webhook send: to the running app (no --url), signed with the first of its secrets, and it says new or duplicate.
      const send = (...args: string[]) => paycron(["webhook", "send", ...args], { env });
      const first = await send("stripe", "customer.updated", "--event-id", "evt_cli_send_1");
      expect(first.stdout).toContain(`stripe customer.updated evt_cli_send_1 → ${dev.url}/webhooks/stripe\n200 {"received":true}`);
      expect(first.stdout).toMatch(/new: stored as webhook event [0-9a-f-]{36}; its task stripe-customer-updated runs it/);
      expect(first.code).toBe(0);
      const again = await send("stripe", "customer.updated", "--event-id", "evt_cli_send_1");
      expect(again.stdout).toMatch(/duplicate: the app already had this event \(webhook event [0-9a-f-]{36}, \w+\); it stored nothing and started no run/);
      expect(again.code).toBe(0);
      expect((await client.query("select count(*)::int as n from webhook_events where provider_event_id = 'evt_cli_send_1'")).rows).toEqual([{ n: 1 }]);

      const typo = await send("stripe", "payment_intent.succeded");
      expect(typo.code).toBe(1);
      expect(typo.stderr).toContain('unknown Stripe event type "payment_intent.succeded" (did you mean payment_intent.succeeded?). Known types: ');
      expect(typo.stderr).toContain("--force sends it anyway");
      const forced = await send("stripe", "invoice.paid", "--force");
      expect(forced.stdout).toMatch(/new: stored as webhook event [0-9a-f-]{36}, ignored \(no task handles invoice\.paid\)/);
      expect((await client.query("select type from webhook_events where type like 'payment_intent.succeded%' or type = 'invoice.paid'")).rows).toEqual([{ type: "invoice.paid" }]);

      const change = await send("supabase", "customers:INSERT");
      expect(change.stdout).toMatch(/new: stored as webhook event [0-9a-f-]{36}; its task supabase-customers-insert runs it/);
      const key = /^supabase customers:INSERT ([0-9a-f]{64}) →/m.exec(change.stdout)?.[1];
      expect(key).toBeDefined();
      const redelivered = await send("supabase", "customers:INSERT", "--event-id", key!);
      expect(redelivered.stdout).toContain("duplicate: the app already had this event");
      expect(redelivered.code).toBe(0);
      const unknownKey = await send("supabase", "customers:INSERT", "--event-id", "0".repeat(64));
      expect(unknownKey.code).toBe(1);
      expect(unknownKey.stderr).toContain(`no stored Supabase event with key ${"0".repeat(64)}`);
    } finally {
      await client.end();
    }

    await expectCleanStop(dev, postgres.pid);
    expect(dev.output()).toContain("demo data seeded");

    const restarted = await startDev({ dataDir });
    expect(restarted.output()).toContain("demo data already present");
    await expectCleanStop(restarted, readPostmaster(join(dataDir, "postgres", "data")).pid);
  }, 240_000);
});
